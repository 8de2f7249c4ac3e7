namespace JobQueue;

/// <summary>How many jobs one step of a bulk action changed, and where the next step starts (null when done).</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.BulkResult")]
public sealed record BulkResult([property: Id(0)] int Affected, [property: Id(1)] string? Next);
