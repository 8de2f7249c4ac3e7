namespace JobQueue.Grains.Storage;

/// <summary>A change to one job, fenced by the version the changing grain last saw.</summary>
/// <param name="Before">The row as last read or written (its version is checked).</param>
/// <param name="After">The new row (for Update and Archive).</param>
/// <param name="Kind">What happens to the row.</param>
/// <param name="OutputChanged">True if stdout/stderr changed and must be written.</param>
public sealed record JobChange(JobRecord Before, JobRecord? After, JobChangeKind Kind, bool OutputChanged = false) : StoreWrite
{
    /// <summary>When set (an update only), the job's dependencies are replaced by these in the same commit (jobqueue mod).</summary>
    public Dependencies.JobDeps? NewDeps { get; init; }
}
