using JobQueue.Grains.Learning;
using JobQueue.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Grains.Jobs;

/// <summary>
/// One job's state machine. The grain is the only writer of an existing job's row; each change is committed
/// (fenced by the row version) before the call returns, and a ready job is announced to its queue afterwards.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
[GrainType(GrainReferences.JobType)]
public sealed partial class JobGrain(
    IJobStore store,
    StoreWriter writer,
    ResourceAdvisor advisor,
    EnvironmentCache environments,
    OfferedRows offered,
    IOptions<JobQueueOptions> options,
    TimeProvider time,
    ILogger<JobGrain> logger) : Grain, IJobGrain
{
    private readonly JobQueueOptions _options = options.Value;
    private JobRecord? _row;

    private string Key => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task<ReserveAttempt> Reserve(string queue, string reservedBy, string? startOn)
    {
        // A cached row may be stale after a duplicate activation was resolved: decline only what the store declines.
        var row = await LoadFreshAsync(r => r.State == JobState.Ready && r.Queue == queue).ConfigureAwait(true);
        if (row is null || row.State != JobState.Ready || row.Queue != queue)
        {
            return ReserveAttempt.NotReady;
        }

        var now = time.GetUtcNow();
        var leased = row with { ReservedBy = reservedBy, KillRequested = false };
        var after = startOn is null
            ? leased with { State = JobState.Reserved, DueAt = now + _options.TimeToRelease }
            : leased.StartedOn(startOn, 0, now, now + _options.TimeToRelease);
        try
        {
            if (await TryCommitAsync("Reserve", after, outputChanged: startOn is not null && HasOutput(row)).ConfigureAwait(true) is LimitFull full)
            {
                return new ReserveAttempt { FullLimitGroup = full.Group };
            }
        }
        catch (JobQueueException ex) when (ex.Kind == JobQueueErrorKind.BadJob)
        {
            // Someone else changed it meanwhile: not this caller's job; the queue hands out the next one.
            return ReserveAttempt.NotReady;
        }

        var env = await environments.GetAsync(after.EnvKey).ConfigureAwait(true);
        return new ReserveAttempt
        {
            Job = after.ToJob(now, getStd: false, env) with
            {
                LeaseToken = Leases.TokenOf(reservedBy),
                Lease = _options.TimeToRelease,
                EnvUnavailable = env is null,
            },
        };
    }

    /// <inheritdoc />
    public async Task<LeaseStatus> Touch(string reservedBy)
    {
        var row = await RequireLeaseAsync("Touch", reservedBy).ConfigureAwait(true);
        var after = row with { DueAt = time.GetUtcNow() + _options.TimeToRelease };
        await CommitAsync("Touch", after).ConfigureAwait(true);
        return new LeaseStatus(after.DueAt!.Value, after.KillRequested);
    }

    /// <inheritdoc />
    public async Task Started(string reservedBy, int pid, string host)
    {
        if (pid <= 0)
        {
            throw Error(JobQueueErrorKind.BadRequest, "Started", "pid must be a process id (greater than 0)");
        }

        var row = await RequireLeaseAsync("Started", reservedBy).ConfigureAwait(true);
        if (row.State == JobState.Running && !row.Exited && row.Pid == pid && row.Host == (host ?? ""))
        {
            // A retried report whose first answer was lost: it already took effect.
            return;
        }

        var now = time.GetUtcNow();
        if (row.AwaitingPid)
        {
            // Started when it was reserved: only its process was not known yet.
            await CommitAsync("Started", row with { Pid = pid, Host = host ?? "", DueAt = now + _options.TimeToRelease }).ConfigureAwait(true);
            return;
        }

        if (row.State != JobState.Reserved)
        {
            throw Error(JobQueueErrorKind.BadJob, "Started", "the job was already started under this reservation");
        }

        await CommitAsync("Started", row.StartedOn(host ?? "", pid, now, now + _options.TimeToRelease), outputChanged: HasOutput(row)).ConfigureAwait(true);
    }

    /// <inheritdoc />
    public async Task<JobState> Release(string reservedBy, string failReason, TimeSpan? delay)
    {
        failReason ??= "";
        if (delay < TimeSpan.Zero)
        {
            throw Error(JobQueueErrorKind.BadRequest, "Release", "delay must not be negative");
        }

        var row = Unstarted(await RequireLeaseAsync("Release", reservedBy).ConfigureAwait(true));
        // Only a run of the command that failed costs a retry: a job whose command never started may be released any number of times.
        var failedRun = row.State == JobState.Running
            && failReason != FailReasons.Signal
            && (failReason.Length > 0 || (row.Exited && row.ExitCode != 0));
        var after = await WithRaisedRequirementsAsync(row, failReason).ConfigureAwait(true) with
        {
            ReservedBy = null,
            KillRequested = false,
            FailReason = failReason.Length > 0 ? failReason : row.FailReason,
            UntilBuried = failedRun ? row.UntilBuried - 1 : row.UntilBuried,
        };
        if (after.UntilBuried <= 0)
        {
            after = after with { State = JobState.Buried, UntilBuried = 0, DueAt = null };
            await CommitAsync("Release", after).ConfigureAwait(true);
            return after.State;
        }

        var wait = delay ?? RetryDelay(after);
        if (wait > TimeSpan.Zero)
        {
            after = after with { State = JobState.Delayed, DueAt = time.GetUtcNow() + wait };
            await CommitAsync("Release", after).ConfigureAwait(true);
            return after.State;
        }

        await MakeReadyAsync("Release", after).ConfigureAwait(true);
        return JobState.Ready;
    }

    /// <summary>
    /// How long a released job waits when its runner names no delay: Queue:ReleaseDelay after its first failure,
    /// doubling with each failure since it was added or kicked, up to Queue:MaxReleaseDelay, give or take a tenth, so
    /// that jobs that failed together (a file server away) do not all come back at the same moment.
    /// </summary>
    private TimeSpan RetryDelay(JobRecord after)
    {
        var failures = Math.Clamp(after.Retries + 1 - after.UntilBuried, 1, 31);
        var doubled = _options.ReleaseDelay * Math.Pow(2, failures - 1);
        var capped = doubled < _options.MaxReleaseDelay ? doubled : _options.MaxReleaseDelay;
        return capped * (0.9 + (0.2 * Random.Shared.NextDouble()));
    }

    /// <inheritdoc />
    public async Task Bury(string reservedBy, string failReason)
    {
        var row = Unstarted(await RequireLeaseAsync("Bury", reservedBy).ConfigureAwait(true));
        var after = await WithRaisedRequirementsAsync(row, failReason ?? "").ConfigureAwait(true) with
        {
            State = JobState.Buried,
            ReservedBy = null,
            DueAt = null,
            KillRequested = false,
            FailReason = string.IsNullOrEmpty(failReason) ? row.FailReason : failReason,
        };
        await CommitAsync("Bury", after).ConfigureAwait(true);
    }

    /// <inheritdoc />
    public async Task<bool> Delete()
    {
        var row = await LoadAsync().ConfigureAwait(true);
        if (row is null || row.State.IsLeased())
        {
            return false;
        }

        if (await store.GetWaitingDependentsAsync(Key, CancellationToken.None).ConfigureAwait(true) is { Count: > 0 } waiting)
        {
            throw Error(
                JobQueueErrorKind.BadRequest,
                "Delete",
                $"{(waiting.Count == 1 ? "1 job waits" : $"{waiting.Count} jobs wait")} on it; remove them first, or with it (remove --with-dependents)");
        }

        await CommitAsync("Delete", row, JobChangeKind.Delete).ConfigureAwait(true);
        DeactivateOnIdle();
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> Kill()
    {
        var row = await LoadAsync().ConfigureAwait(true);
        switch (row?.State)
        {
            case JobState.Reserved:
                await CommitAsync("Kill", row with { State = JobState.Buried, ReservedBy = null, DueAt = null, FailReason = FailReasons.Killed }).ConfigureAwait(true);
                return true;
            case JobState.Running when !row.KillRequested:
                await CommitAsync("Kill", row with { KillRequested = true }).ConfigureAwait(true);
                return true;
            default:
                return false;
        }
    }

    /// <inheritdoc />
    public async Task WakeIfDue()
    {
        var row = await LoadAsync().ConfigureAwait(true);
        var now = time.GetUtcNow();
        if (row?.DueAt is not { } due || due > now)
        {
            return;
        }

        switch (row.State)
        {
            case JobState.Delayed:
                await MakeReadyAsync("Delay", row).ConfigureAwait(true);
                break;
            case JobState.Reserved or JobState.Running when row.KillRequested:
                await CommitAsync("Lease", row with { State = JobState.Buried, ReservedBy = null, DueAt = null, KillRequested = false, FailReason = FailReasons.Killed }).ConfigureAwait(true);
                break;
            case JobState.Reserved or JobState.Running:
                LogLeaseExpired(logger, row.Key, Leases.ClientOf(row.ReservedBy));
                // A job started when it was reserved keeps its attempt: nobody can tell whether its command ran.
                await MakeReadyAsync("Lease", row with { ReservedBy = null }).ConfigureAwait(true);
                break;
            default:
                break;
        }
    }

    /// <summary>After a memory or time failure the job asks for more (and keeps asking: Override 1), at once.</summary>
    private async Task<JobRecord> WithRaisedRequirementsAsync(JobRecord row, string failReason)
    {
        var raised = failReason switch
        {
            FailReasons.Ram => row with { UserRamMb = Requirements.RaisedRam(row.PeakRamMb), Override = 1 },
            FailReasons.Time => row with { UserTime = row.Time + JobQueueDefaults.TimeIncrease, Override = 1 },
            _ => null,
        };
        return raised is null ? row : Requirements.Apply(raised, await advisor.RecommendAsync(row.ReqGroup).ConfigureAwait(true));
    }

    private async Task MakeReadyAsync(string operation, JobRecord row) =>
        await AnnounceReadyAsync(await CommitReadyAsync(operation, row).ConfigureAwait(true)).ConfigureAwait(true);

    /// <summary>Commits <paramref name="row"/> as ready; its queue is still to be told.</summary>
    private async Task<JobRecord> CommitReadyAsync(string operation, JobRecord row)
    {
        // Its needs (and so its scheduler group) change only when they were raised after a failure, never on the way back to ready.
        var after = row with { State = JobState.Ready, DueAt = null, ReservedBy = null };
        await CommitAsync(operation, after).ConfigureAwait(true);
        return after;
    }

    private Task AnnounceReadyAsync(JobRecord after) =>
        Queue.Announcements.JobsReadyAsync(GrainFactory, [after], (ex, queue, key) => LogQueueNotifyFailed(logger, ex, key, queue));

    private async Task<JobRecord?> LoadAsync()
    {
        // An absent row is re-read every time: a bulk add may have inserted it since.
        _row ??= await store.GetJobAsync(Key, CancellationToken.None).ConfigureAwait(true);
        return _row;
    }

    private async Task<JobRecord?> LoadFreshAsync(Func<JobRecord, bool> expected)
    {
        var row = await LoadAsync().ConfigureAwait(true);
        if (row is not null && expected(row))
        {
            return row;
        }

        _row = null;
        return await LoadAsync().ConfigureAwait(true);
    }

    private static bool HasOutput(JobRecord row) => row.StdOut is not null || row.StdErr is not null;

    /// <summary>A job given back before its command ran counts no attempt, as if it had only been reserved.</summary>
    private static JobRecord Unstarted(JobRecord row) => row.AwaitingPid ? row.AsReserved() : row;

    private static bool Holds(JobRecord row, string reservedBy) =>
        row.State.IsLeased() && !string.IsNullOrEmpty(reservedBy) && string.Equals(row.ReservedBy, reservedBy, StringComparison.Ordinal);

    private async Task<JobRecord> RequireLeaseAsync(string operation, string reservedBy)
    {
        var row = await LoadFreshAsync(r => Holds(r, reservedBy)).ConfigureAwait(true)
            ?? throw Error(JobQueueErrorKind.MissingJob, operation, null);
        if (!Holds(row, reservedBy))
        {
            throw Error(
                JobQueueErrorKind.MustReserve,
                operation,
                row.State.IsLeased() ? "the job is leased to another reservation" : $"the job is {row.State.ToName()}, not reserved");
        }

        return row;
    }

    private async Task CommitAsync(string operation, JobRecord after, JobChangeKind kind = JobChangeKind.Update, bool outputChanged = false, Storage.Dependencies.JobDeps? newDeps = null)
    {
        if (await TryCommitAsync(operation, after, kind, outputChanged, newDeps).ConfigureAwait(true) is LimitFull full)
        {
            // Only a lease takes a slot, and only Reserve leases.
            throw Error(JobQueueErrorKind.Internal, operation, $"limit group {full.Group} refused a change that takes no slot");
        }
    }

    /// <summary>Commits a change: Committed, or LimitFull when it would lease the job without a slot (nothing written).</summary>
    private async Task<WriteOutcome> TryCommitAsync(string operation, JobRecord after, JobChangeKind kind = JobChangeKind.Update, bool outputChanged = false, Storage.Dependencies.JobDeps? newDeps = null)
    {
        var before = _row ?? throw Error(JobQueueErrorKind.MissingJob, operation, null);
        var next = after with { Version = before.Version + 1 };
        var change = new JobChange(before, kind == JobChangeKind.Delete ? null : next, kind, outputChanged) { NewDeps = newDeps };
        WriteOutcome outcome;
        try
        {
            outcome = await writer.WriteAsync(change).ConfigureAwait(true);
        }
        catch
        {
            _row = null;
            throw;
        }

        if (outcome is LimitFull)
        {
            // Nothing was written: the row in memory is still the stored one.
            return outcome;
        }

        if (outcome is VersionConflict)
        {
            // Someone else changed the row (only possible around a split activation): trust the store, not memory.
            _row = null;
            throw Error(JobQueueErrorKind.BadJob, operation, "the job changed concurrently; try again");
        }

        _row = kind == JobChangeKind.Update ? next : null;
        if (outcome is Committed { Released.Count: > 0 } committed)
        {
            if (committed.Released.Any(r => r.Key == Key))
            {
                // This job itself was made ready by the store (its new dependencies are all met): read it afresh.
                _row = null;
            }

            // Their last dependency completed in this commit: their queues learn of them as of any job made ready.
            await Queue.Announcements.JobsReadyAsync(GrainFactory, committed.Released, (ex, queue, key) => LogQueueNotifyFailed(logger, ex, key, queue)).ConfigureAwait(true);
        }

        if (LimitSlots.Given(change) is { Count: > 0 } freed)
        {
            // Queues held back by these groups may reserve again.
            var directory = GrainFactory.GetGrain<IQueueDirectoryGrain>(0);
            Queue.Announcements.SendAsync(() => directory.LimitSlotsFreed([.. freed])).Ignore();
        }

        return outcome;
    }

    private JobQueueException Error(JobQueueErrorKind kind, string operation, string? detail) => new(kind, operation, Key, detail);
}
