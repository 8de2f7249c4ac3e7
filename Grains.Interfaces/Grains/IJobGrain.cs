namespace JobQueue.Grains;

/// <summary>
/// One job, keyed by its job key. It owns the job's state machine and its lease: every call that changes a
/// reserved or running job must present the lease of the current holder: "clientId/token" (<see cref="Job.ReservedBy"/>
/// and the secret <see cref="Job.LeaseToken"/>).
/// </summary>
[Alias("JobQueue.Grains.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>
    /// Leases the job if it is ready in <paramref name="queue"/> and each of its limit groups has a free slot, which the
    /// lease takes in the same commit. The attempt names a full group, or holds no job if the job is not ready there.
    /// With <paramref name="startOn"/> (a host) the job is started there in that commit too, as <see cref="Started"/>
    /// would, its pid not yet known (0): the runner reports it with <see cref="Started"/> or with the end of the run.
    /// </summary>
    /// <remarks>Called by the queue grain, which picks the job and mints the lease token.</remarks>
    [Alias("Reserve")]
    Task<ReserveAttempt> Reserve(string queue, string reservedBy, string? startOn);

    /// <summary>Extends the lease by the time-to-release; tells the holder if a kill was asked for.</summary>
    [Alias("Touch"), ResponseTimeout(JobQueueDefaults.LeaseCallTimeoutText)]
    Task<LeaseStatus> Touch(string reservedBy);

    /// <summary>
    /// Records that the command started, as process <paramref name="pid"/> on <paramref name="host"/>; for a job started
    /// when it was reserved, records only its pid (and host).
    /// </summary>
    [Alias("Started"), ResponseTimeout(JobQueueDefaults.LeaseCallTimeoutText)]
    Task Started(string reservedBy, int pid, string host);

    /// <summary>Records how the command ended.</summary>
    [Alias("Ended"), ResponseTimeout(JobQueueDefaults.LeaseCallTimeoutText)]
    Task Ended(string reservedBy, JobEndReport report);

    /// <summary>
    /// Records that the command exited 0 and completes the job: <see cref="Ended"/> then <see cref="Archive"/>, in one
    /// commit. Half the writes of the two calls, with the same effect.
    /// </summary>
    [Alias("EndedAndArchive"), ResponseTimeout(JobQueueDefaults.LeaseCallTimeoutText)]
    Task EndedAndArchive(string reservedBy, JobEndReport report);

    /// <summary>Gives the job back: delayed by <paramref name="delay"/> (null: the manager's default), or buried once its retries are spent after a failed run. Returns the new state.</summary>
    [Alias("Release"), ResponseTimeout(JobQueueDefaults.LeaseCallTimeoutText)]
    Task<JobState> Release(string reservedBy, string failReason, TimeSpan? delay);

    /// <summary>Buries the job with a reason.</summary>
    [Alias("Bury"), ResponseTimeout(JobQueueDefaults.LeaseCallTimeoutText)]
    Task Bury(string reservedBy, string failReason);

    /// <summary>Completes the job after a successful run, moving it into the history.</summary>
    [Alias("Archive"), ResponseTimeout(JobQueueDefaults.LeaseCallTimeoutText)]
    Task Archive(string reservedBy);

    /// <summary>Makes a buried job ready again with its retries restored; false if it was not buried.</summary>
    [Alias("Kick")]
    Task<bool> Kick();

    /// <summary>
    /// <see cref="Kick"/> for a bulk action, which tells the queues of the jobs it made ready itself, once for many
    /// jobs; a queue never told finds them in the store when it next looks.
    /// </summary>
    [Alias("KickInBulk")]
    Task<BulkOutcome> KickInBulk();

    /// <summary>Removes the job unless it is reserved or running; false if it was not removed.</summary>
    [Alias("Delete")]
    Task<bool> Delete();

    /// <summary>Stops the job: a reserved job is buried at once, a running one is killed by its runner at its next touch.</summary>
    [Alias("Kill")]
    Task<bool> Kill();

    /// <summary>Applies <paramref name="changes"/> if the job is ready, delayed or buried (not leased, not complete); false otherwise.</summary>
    [Alias("Modify")]
    Task<bool> Modify(JobModification changes);

    /// <summary><see cref="Modify"/> for a bulk action, which tells the queues itself (as <see cref="KickInBulk"/>).</summary>
    [Alias("ModifyInBulk")]
    Task<BulkOutcome> ModifyInBulk(JobModification changes);

    /// <summary>Acts on an elapsed delay or an expired lease, if the job has one.</summary>
    [Alias("WakeIfDue")]
    Task WakeIfDue();
}
