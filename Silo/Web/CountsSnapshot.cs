namespace JobQueue.Silo.Web;

/// <summary>
/// What the overview shows, read from the counters only: every rep group's counts (sorted by name), their totals,
/// and the manager's state. A new version is made only when something changed.
/// </summary>
public sealed record CountsSnapshot
{
    /// <summary>Grows by one with each change; pages compare it instead of adding up changes.</summary>
    public long Version { get; init; }

    /// <summary>When it was read.</summary>
    public DateTimeOffset TakenAt { get; init; }

    /// <summary>Each rep group's counts, by name.</summary>
    public IReadOnlyList<RepGroupCounts> Groups { get; init; } = [];

    /// <summary>The sums over every rep group.</summary>
    public RepGroupCounts Total { get; init; } = new() { RepGroup = "" };

    /// <summary>The manager's facts, runners and scheduler notes (null until read).</summary>
    public ServerStats? Stats { get; init; }

    /// <summary>How many managers (silos) are active in the cluster.</summary>
    public int Managers { get; init; }

    /// <summary>Totals per state, as the metrics' gauges report them.</summary>
    public IReadOnlyDictionary<JobState, long> ByState => new Dictionary<JobState, long>
    {
        [JobState.Dependent] = Total.Dependent,
        [JobState.Delayed] = Total.Delayed,
        [JobState.Ready] = Total.Ready,
        [JobState.Reserved] = Total.Reserved,
        [JobState.Running] = Total.Running + Total.Reserved,
        [JobState.Buried] = Total.Buried,
        [JobState.Complete] = Total.Complete,
    };

    /// <summary>True if <paramref name="other"/> shows the same thing.</summary>
    public bool SameAs(CountsSnapshot? other) =>
        other is not null
        && Managers == other.Managers
        && Total == other.Total
        && Stats?.Runners == other.Stats?.Runners
        && Stats?.ServerInfo.Mode == other.Stats?.ServerInfo.Mode
        && Groups.SequenceEqual(other.Groups);
}
