using JobQueue.Home;

namespace JobQueue.Tests.Infrastructure;

/// <summary>A real jobqueue-manager child process on a home directory of its own (scheduler "none" unless told otherwise).</summary>
public sealed class ManagerProcess : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private readonly ChildProcess _process;

    private ManagerProcess(string home, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        Home = home;
        var variables = new Dictionary<string, string> { ["JOBQUEUE_HOME"] = home, ["JOBQUEUE__Manager__Scheduler"] = "none" };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        _process = ChildProcess.Start("jobqueue-manager.dll", args, variables);
    }

    public string Home { get; }

    public int Pid => _process.Pid;

    public ManagerInfo Info { get; private set; } = null!;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The environment a runner of this manager needs: its cluster, and its home for the certificate.</summary>
    public IReadOnlyDictionary<string, string> RunnerEnvironment => new Dictionary<string, string>
    {
        ["JOBQUEUE_HOME"] = Home,
        ["JOBQUEUE_CLUSTER_ID"] = Info.ClusterId,
        ["JOBQUEUE_SERVICE_ID"] = Info.ServiceId,
    };

    /// <summary>Everything the process printed so far.</summary>
    public IReadOnlyList<string> Output => _process.Output;

    /// <summary>Starts a manager and waits until it has written its manager file.</summary>
    public static async Task<ManagerProcess> StartAsync(string home, params string[] args)
    {
        var manager = new ManagerProcess(home, args);
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
    public static Task<ManagerProcess> RunToExitAsync(string home, params string[] args) => RunToExitAsync(home, null, args);

    public static async Task<ManagerProcess> RunToExitAsync(string home, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var manager = new ManagerProcess(home, args, environment);
        await manager._process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return manager;
    }

    /// <summary>Connects a client to this manager.</summary>
    public Task<JobQueueClient> ConnectAsync() => JobQueueClient.ConnectAsync(JobQueueConnectionOptions.For(Info, Home));

    /// <summary>SIGKILL: the process gets no chance to flush or clean up.</summary>
    public void Signal(int signal) => _process.Signal(signal);

    public async Task KillHardAsync()
    {
        _process.Signal(SigKill);
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM, then waits for a clean exit.</summary>
    public async Task StopAsync()
    {
        _process.Signal(SigTerm);
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();
}
