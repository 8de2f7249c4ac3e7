namespace JobQueue.Grains.Storage;

/// <summary>Inserts new jobs unless a job with the same key is already incomplete.</summary>
public sealed record InsertJobs(IReadOnlyList<JobRecord> Jobs, IReadOnlyDictionary<string, byte[]> Envs) : StoreWrite
{
    /// <summary>The dependencies of the jobs that have any, by key.</summary>
    public IReadOnlyDictionary<string, Dependencies.JobDeps> Deps { get; init; } = new Dictionary<string, Dependencies.JobDeps>();
}
