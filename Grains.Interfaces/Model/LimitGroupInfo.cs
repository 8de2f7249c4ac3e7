namespace JobQueue;

/// <summary>A limit group: its limit (null when none is set) and how many of its jobs hold a slot (reserved or running).</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.LimitGroupInfo")]
public sealed record LimitGroupInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] int? Limit,
    [property: Id(2)] int Running);
