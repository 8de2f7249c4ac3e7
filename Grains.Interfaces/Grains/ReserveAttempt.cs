namespace JobQueue.Grains;

/// <summary>What a job grain answers a queue's reserve: the leased job, or why there is none.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.Grains.ReserveAttempt")]
public sealed record ReserveAttempt
{
    /// <summary>The answer when the job is no longer ready in that queue.</summary>
    public static readonly ReserveAttempt NotReady = new();

    /// <summary>The leased job, or null.</summary>
    [Id(0)] public Job? Job { get; init; }

    /// <summary>When not null: the job is ready, but this limit group of it has no free slot, so it stays ready.</summary>
    [Id(1)] public string? FullLimitGroup { get; init; }
}
