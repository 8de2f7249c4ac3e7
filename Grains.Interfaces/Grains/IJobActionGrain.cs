namespace JobQueue.Grains;

/// <summary>
/// Bulk actions chosen on the server: the jobs are selected from the store's indexes and changed through their
/// grains inside the cluster, a step of up to <see cref="JobQueueDefaults.BulkStepSize"/> jobs per call.
/// </summary>
[Alias("JobQueue.Grains.IJobActionGrain")]
public interface IJobActionGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Applies <paramref name="action"/> to the next step of jobs matching <paramref name="filter"/> after the cursor
    /// <paramref name="after"/> (null: from the start). Jobs the action does not apply to are passed over.
    /// </summary>
    /// <returns>How many jobs changed, and the cursor to call again with (null when done).</returns>
    [Alias("Apply")]
    Task<BulkResult> Apply(JobFilter filter, BulkAction action, string? after);

    /// <summary>
    /// Applies <paramref name="changes"/> to the next step of jobs matching <paramref name="filter"/> that are not
    /// leased or complete, as <see cref="Apply"/> does. Limits given with the limit groups ("name:N") are set first.
    /// </summary>
    [Alias("Modify")]
    Task<BulkResult> Modify(JobFilter filter, JobModification changes, string? after);

    /// <summary>
    /// Gives back, at no cost, the job reserved under <paramref name="lease"/> if it has not started: the client's
    /// reserve call failed before its answer arrived, so the client never learnt of the reservation. False if no job
    /// is reserved under that lease.
    /// </summary>
    [Alias("Abandon")]
    Task<bool> Abandon(string lease);
}
