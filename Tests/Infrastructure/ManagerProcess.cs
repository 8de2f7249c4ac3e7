using System.Diagnostics;
using System.Runtime.InteropServices;
using JobQueue.Silo.Hosting;

namespace JobQueue.Tests.Infrastructure;

/// <summary>A real jobqueue-manager child process on a home directory of its own.</summary>
public sealed partial class ManagerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ManagerProcess(Process process, string home)
    {
        _process = process;
        Home = home;
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Home { get; }

    public int Pid => _process.Id;

    public ManagerInfo Info { get; private set; } = null!;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process printed so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>The path of a program built next to the tests.</summary>
    public static string Built(string dll) => Path.Combine(AppContext.BaseDirectory, dll);

    /// <summary>Starts a manager and waits until it has written its manager file.</summary>
    public static async Task<ManagerProcess> StartAsync(string home, params string[] args)
    {
        var manager = Launch(home, args);
        await Eventually.True(
            () => manager.HasExited || ManagerInfo.Read(home)?.Pid == manager.Pid,
            TimeSpan.FromSeconds(60),
            "the manager to start");
        if (manager.HasExited)
        {
            throw new InvalidOperationException($"the manager exited with {manager.ExitCode}: {string.Join('\n', manager.Output)}");
        }

        manager.Info = ManagerInfo.Read(home)!;
        return manager;
    }

    /// <summary>Starts a manager that is expected to fail, and returns once it exited.</summary>
    public static async Task<ManagerProcess> RunToExitAsync(string home, params string[] args)
    {
        var manager = Launch(home, args);
        await manager._process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        manager._process.WaitForExit();
        return manager;
    }

    /// <summary>Connects a client to this manager.</summary>
    public Task<JobQueueClient> ConnectAsync() => JobQueueClient.ConnectAsync(JobQueueConnectionOptions.For(Info));

    /// <summary>SIGKILL: the process gets no chance to flush or clean up.</summary>
    public async Task KillHardAsync()
    {
        Signal(9);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM, then waits for a clean exit.</summary>
    public async Task StopAsync()
    {
        Signal(15);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillHardAsync();
        }

        _process.Dispose();
    }

    private static ManagerProcess Launch(string home, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Built("jobqueue-manager.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["JOBQUEUE_HOME"] = home;
        start.Environment["JOBQUEUE__Manager__Scheduler"] = "none";
        return new ManagerProcess(Process.Start(start)!, home);
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    private void Signal(int signal)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, signal);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
