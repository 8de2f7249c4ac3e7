namespace JobQueue;

/// <summary>What a drain leaves running.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.DrainResult")]
public sealed record DrainResult([property: Id(0)] long Running, [property: Id(1)] TimeSpan Etc);
