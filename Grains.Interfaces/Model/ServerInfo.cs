namespace JobQueue;

/// <summary>Basic facts about the manager.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.ServerInfo")]
public sealed record ServerInfo
{
    /// <summary>The address clients connect to (host:port of the gateway).</summary>
    [Id(0)] public string Addr { get; init; } = "";

    /// <summary>The manager's host name.</summary>
    [Id(1)] public string Host { get; init; } = "";

    /// <summary>The gateway port clients connect to.</summary>
    [Id(2)] public int Port { get; init; }

    /// <summary>The port of the web interface, or 0.</summary>
    [Id(3)] public int WebPort { get; init; }

    /// <summary>The manager's process id.</summary>
    [Id(4)] public int Pid { get; init; }

    /// <summary>"production" or "development".</summary>
    [Id(5)] public string Deployment { get; init; } = "";

    /// <summary>The scheduler runners are submitted to ("local" or "none").</summary>
    [Id(6)] public string Scheduler { get; init; } = "";

    /// <summary>"started", or "draining" once a drain was asked for.</summary>
    [Id(7)] public string Mode { get; init; } = ModeNames.Started;

    /// <summary>When the manager started.</summary>
    [Id(8)] public DateTimeOffset StartedAt { get; init; }

    /// <summary>The storage provider ("sqlite" or "postgres").</summary>
    [Id(9)] public string Storage { get; init; } = "";

    /// <summary>The name of the queue the manager serves (runners are told it with --queue).</summary>
    [Id(10)] public string Queue { get; init; } = JobQueueDefaults.QueueName;
}
