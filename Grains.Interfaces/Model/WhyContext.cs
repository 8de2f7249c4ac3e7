namespace JobQueue;

/// <summary>What the manager knows beyond a job's own record that decides why it is not running; fetched once for many jobs.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.WhyContext")]
public sealed record WhyContext
{
    /// <summary>The cluster's mode ("started", "paused", "draining"), or null when no manager is running.</summary>
    [Id(0)] public string? Mode { get; init; }

    /// <summary>Limit groups with a limit or slots held.</summary>
    [Id(1)] public IReadOnlyList<LimitGroupInfo> Limits { get; init; } = [];

    /// <summary>What one runner of each manager's scheduler can have (0 MB and 0 cores: that manager starts no runners); empty when unknown.</summary>
    [Id(2)] public IReadOnlyList<MachineSize> RunnerSizes { get; init; } = [];

    /// <summary>Why the schedulers have not started runners of a scheduler group yet, by group, in their own words.</summary>
    [Id(3)] public IReadOnlyDictionary<string, string> SchedulerNotes { get; init; } = new Dictionary<string, string>();
}
