namespace JobQueue;

/// <summary>What one job did for a bulk action: whether it applied, and the queue it was made ready in, which the action tells.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.BulkOutcome")]
public sealed record BulkOutcome
{
    /// <summary>Nothing was done: the job was not in a state the action applies to.</summary>
    public static readonly BulkOutcome NotApplied = new();

    /// <summary>Done, and nothing for a queue to learn.</summary>
    public static readonly BulkOutcome Applied = new() { Done = true };

    /// <summary>True if the action applied to the job.</summary>
    [Id(0)] public bool Done { get; init; }

    /// <summary>The scheduler group the job is now ready in; null if it is not ready.</summary>
    [Id(1)] public string? Queue { get; init; }

    /// <summary>Its place in that queue; null if it is not ready.</summary>
    [Id(2)] public ReadyEntry? Ready { get; init; }
}
