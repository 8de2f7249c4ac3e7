namespace JobQueue;

/// <summary>The state of a lease after a touch.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.LeaseStatus")]
public sealed record LeaseStatus(
    [property: Id(0)] DateTimeOffset ExpiresAt,
    [property: Id(1)] bool KillRequested);
