using JobQueue.Home;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace JobQueue.Silo.Hosting;

/// <summary>A started manager; disposing it stops it and removes its manager file.</summary>
public sealed class RunningManager : IAsyncDisposable
{
    private readonly FileStream _lock;
    private int _disposed;

    internal RunningManager(IHost host, ManagerInfo info, string home, FileStream lockFile)
    {
        Host = host;
        Info = info;
        Home = home;
        _lock = lockFile;
    }

    /// <summary>The silo's host.</summary>
    public IHost Host { get; }

    /// <summary>How clients reach it.</summary>
    public ManagerInfo Info { get; }

    /// <summary>Its home directory.</summary>
    public string Home { get; }

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services => Host.Services;

    /// <summary>Completes when the manager was told to stop (signal, shutdown request, or drain finished).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => Host.WaitForShutdownAsync(cancellationToken);

    /// <summary>Asks the manager to stop.</summary>
    public void RequestStop() => Host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await Host.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            Host.Dispose();
            ManagerInfo.Remove(Home, Environment.ProcessId);
            await _lock.DisposeAsync().ConfigureAwait(false);
        }
    }
}
