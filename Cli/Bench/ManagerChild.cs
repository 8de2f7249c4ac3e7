using System.Diagnostics;
using JobQueue.Home;

namespace JobQueue.Cli.Bench;

/// <summary>
/// A manager in a process of its own (jobqueue-manager, next to this program) on a bench's store, with a client: the
/// bench hosts manager and client in one process, and this measures the manager's memory alone.
/// </summary>
internal sealed class ManagerChild : IAsyncDisposable
{
    private readonly Process _process;

    private ManagerChild(Process process, JobQueueClient client)
    {
        _process = process;
        Client = client;
    }

    public JobQueueClient Client { get; }

    /// <summary>Starts it with <paramref name="settings"/> ("Section:Key" to value) and connects once it answers.</summary>
    public static async Task<ManagerChild> StartAsync(string home, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var (process, info) = await LaunchAsync(home, settings, cancellationToken).ConfigureAwait(false);
        var client = await JobQueueClient.ConnectAsync(JobQueueConnectionOptions.For(info, home), cancellationToken).ConfigureAwait(false);
        return new ManagerChild(process, client);
    }

    /// <summary>
    /// Starts jobqueue-manager with home <paramref name="home"/> and <paramref name="settings"/> (as JOBQUEUE__ variables)
    /// and returns once it has written its manager file.
    /// </summary>
    /// <exception cref="InvalidOperationException">It exited, or had not started within five minutes.</exception>
    public static async Task<(Process Process, ManagerInfo Info)> LaunchAsync(string home, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "jobqueue-manager.dll"));
        start.Environment["JOBQUEUE_HOME"] = home;
        foreach (var (key, value) in settings)
        {
            start.Environment["JOBQUEUE__" + key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        ManagerInfo? info;
        while ((info = ManagerInfo.Read(home)) is null || info.Pid != process.Id)
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromMinutes(5))
            {
                process.Kill();
                process.Dispose();
                throw new InvalidOperationException($"the manager with home {home} did not start");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        return (process, info);
    }

    /// <summary>Its proportional memory, in MB.</summary>
    public long PssMb() => ProcessTree.PssMb([_process.Id]);

    /// <summary>Asks it to shut down and waits until it has.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Client.ShutdownServerAsync().ConfigureAwait(false);
            await Client.DisposeAsync().ConfigureAwait(false);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or JobQueueException or Orleans.Runtime.OrleansException or OperationCanceledException)
        {
            // It did not go in time, or the call broke as it went: make sure it is gone.
            _process.Kill();
        }

        _process.Dispose();
    }
}
