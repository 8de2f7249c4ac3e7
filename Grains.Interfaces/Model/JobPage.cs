namespace JobQueue;

/// <summary>One page of a listing, and the cursor of the next (null after the last page).</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.JobPage")]
public sealed record JobPage([property: Id(0)] IReadOnlyList<Job> Jobs, [property: Id(1)] string? Next);
