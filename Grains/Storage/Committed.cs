namespace JobQueue.Grains.Storage;

/// <summary>The write committed.</summary>
public sealed record Committed : WriteOutcome
{
    /// <summary>The shared instance.</summary>
    public static readonly Committed Instance = new();

    /// <summary>Dependent jobs the write made ready (it completed their last dependency), for their queues to hear of.</summary>
    public IReadOnlyList<JobRecord> Released { get; init; } = [];
}
