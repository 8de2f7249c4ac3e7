namespace JobQueue;

/// <summary>Live counts of the queue's jobs.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.ServerStats")]
public sealed record ServerStats
{
    /// <summary>Facts about the manager.</summary>
    [Id(0)] public required ServerInfo ServerInfo { get; init; }

    /// <summary>Jobs waiting out a delay.</summary>
    [Id(1)] public long Delayed { get; init; }

    /// <summary>Jobs ready to run.</summary>
    [Id(2)] public long Ready { get; init; }

    /// <summary>Jobs reserved or running.</summary>
    [Id(3)] public long Running { get; init; }

    /// <summary>Jobs buried.</summary>
    [Id(4)] public long Buried { get; init; }

    /// <summary>Runs completed and archived.</summary>
    [Id(5)] public long Complete { get; init; }

    /// <summary>How long until the slowest running job is expected to finish.</summary>
    [Id(6)] public TimeSpan Etc { get; init; }

    /// <summary>Runners the manager's scheduler has alive (running or waiting for jobs).</summary>
    [Id(7)] public int Runners { get; init; }

    /// <summary>Jobs waiting for their dependencies.</summary>
    [Id(9)] public long Dependent { get; init; }

    /// <summary>Why runners of a scheduler group have not started, in the words of the scheduler asked (Slurm's pending reasons), by group.</summary>
    [Id(8)] public IReadOnlyDictionary<string, string> SchedulerNotes { get; init; } = new Dictionary<string, string>();
}
