namespace JobQueue.Grains.Storage;

/// <summary>Inserts new jobs unless a job with the same key is already incomplete.</summary>
public sealed record InsertJobs(IReadOnlyList<JobRecord> Jobs, IReadOnlyDictionary<string, byte[]> Envs) : StoreWrite;
