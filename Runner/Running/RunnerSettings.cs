namespace JobQueue.Runner;

/// <summary>What a runner is told when it is started.</summary>
public sealed record RunnerSettings
{
    /// <summary>The queue's name, as in the model's runner command line; it must be the one the manager serves.</summary>
    public string Queue { get; init; } = "cmds";

    /// <summary>The scheduler group it serves ("ramMb:minutes:cores").</summary>
    public required string Group { get; init; }

    /// <summary>The deployment this runner is for; it refuses a manager of another.</summary>
    public string Deployment { get; init; } = "production";

    /// <summary>Gateways of the manager, "host:port[,host:port]".</summary>
    public required string Server { get; init; }

    /// <summary>How long to wait for a job before exiting.</summary>
    public TimeSpan ReserveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the runner may keep taking jobs; zero means no limit.</summary>
    public TimeSpan MaxTime { get; init; }

    /// <summary>The shell commands run under.</summary>
    public string Shell { get; init; } = "bash";
}
