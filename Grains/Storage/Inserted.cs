namespace JobQueue.Grains.Storage;

/// <summary>Inserted jobs, with their sequence numbers; the rest existed.</summary>
public sealed record Inserted(IReadOnlyList<JobRecord> Jobs, int Existed) : WriteOutcome;
