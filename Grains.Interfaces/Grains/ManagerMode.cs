namespace JobQueue.Grains;

/// <summary>The manager's mode as every silo needs to know it.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.Grains.ManagerMode")]
public sealed record ManagerMode(
    [property: Id(0)] string Mode,
    [property: Id(1)] bool ShutdownRequested);
