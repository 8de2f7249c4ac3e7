using System.Runtime.InteropServices;

namespace JobQueue.Client.Execution;

/// <summary>Turns the signals that tell a process to stop (INT, TERM, QUIT, USR1, USR2) into a cancellation.</summary>
public sealed class StopSignals : IDisposable
{
    private const int SigUsr1 = 10;
    private const int SigUsr2 = 12;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    /// <summary>Starts listening.</summary>
    public StopSignals()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT, (PosixSignal)SigUsr1, (PosixSignal)SigUsr2 })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Received = context.Signal;
                _stop.Cancel();
            }));
        }
    }

    /// <summary>Cancelled once a stop signal arrived.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>The signal that arrived, if one did.</summary>
    public PosixSignal? Received { get; private set; }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }
}
