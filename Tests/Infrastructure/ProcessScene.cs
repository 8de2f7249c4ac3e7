namespace JobQueue.Tests.Infrastructure;

/// <summary>
/// A home for real manager and runner processes, and a log whose lines ("start ...", "end ...") the test's commands
/// write about themselves. Disposing stops the processes, the last started first, then removes the home.
/// </summary>
public sealed class ProcessScene(string name) : IAsyncDisposable
{
    private readonly TempDirectory _home = new(name);
    private readonly List<IAsyncDisposable> _processes = [];

    /// <summary>The home directory (also the commands' working directory).</summary>
    public string Home => _home.Path;

    /// <summary>The log the commands append to.</summary>
    public string Log => System.IO.Path.Combine(_home.Path, "runs.log");

    /// <summary>Has <paramref name="process"/> stopped with the scene.</summary>
    public T Track<T>(T process)
        where T : IAsyncDisposable
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>Starts a jobqueue-runner of <paramref name="manager"/> for scheduler group <paramref name="group"/>.</summary>
    public ChildProcess StartRunner(ManagerProcess manager, string group, int reserveTimeout) => Track(ChildProcess.Start(
        "jobqueue-runner.dll",
        ["--group", group, "--server", manager.Info.Address, "--reserve-timeout", $"{reserveTimeout}"],
        manager.RunnerEnvironment));

    /// <summary>The log's lines of one kind ("start", "end", ...).</summary>
    public List<string> Lines(string kind) =>
        File.Exists(Log) ? [.. File.ReadAllLines(Log).Where(l => l.StartsWith(kind + " ", StringComparison.Ordinal))] : [];

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        _home.Dispose();
    }
}
