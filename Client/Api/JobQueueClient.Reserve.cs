using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using JobQueue.Grains;

namespace JobQueue.Client;

/// <summary>
/// Reserving: a long wait is a loop of short calls, each under a lease minted here. When a call fails before its
/// answer arrives (its manager died holding it, or the store failed mid-commit), the job it may have been granted is
/// given back before the next reserve, so a lost answer never leaves a job reserved by nobody until its lease runs out.
/// The grant may also land after the failure is known (the job's own manager still commits it), so until one is found
/// or <see cref="LateGrantWindow"/> has passed, every reserve looks again.
/// </summary>
public sealed partial class JobQueueClient
{
    /// <summary>The longest a single grain call waits for a job; a longer reserve is a loop of such calls.</summary>
    public static readonly TimeSpan MaxCallWait = JobQueueDefaults.ReserveCallWait;

    /// <summary>
    /// How long a failed reserve's grant may still land: the call to the job that carries it expires within Orleans'
    /// half-minute response time-out, and a commit is retried for at most 8 s. Past that, nothing more can come.
    /// </summary>
    private static readonly TimeSpan LateGrantWindow = TimeSpan.FromMinutes(1);

    /// <summary>Leases of reserve calls that failed without an answer, with when (this machine's clock) they failed.</summary>
    private readonly ConcurrentDictionary<string, long> _unanswered = new(StringComparer.Ordinal);

    /// <summary>For each job this client reserved, when (on this machine's clock) the answer that granted it arrived.</summary>
    private readonly ConditionalWeakTable<Job, StrongBox<long>> _reservedAt = new();

    /// <summary>Reserves the best ready job of any scheduler group, waiting up to <paramref name="timeout"/> (zero waits forever). Null on time-out.</summary>
    public Task<Job?> ReserveAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ReserveFromAsync(timeout, null, null, cancellationToken);

    /// <summary>Like <see cref="ReserveAsync"/>, but only from one scheduler group ("ramMb:minutes:cores").</summary>
    public Task<Job?> ReserveScheduledAsync(TimeSpan timeout, string schedulerGroup, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schedulerGroup);
        return ReserveFromAsync(timeout, schedulerGroup, null, cancellationToken);
    }

    /// <summary>
    /// Reserves as <see cref="ReserveScheduledAsync"/> (or, with no <paramref name="schedulerGroup"/>, as
    /// <see cref="ReserveAsync"/>) and starts the job on <paramref name="host"/> in the same commit: for a runner that
    /// runs the command at once, one commit instead of a reserve's and <see cref="StartedAsync"/>'s. The job comes
    /// back running with <see cref="Job.Pid"/> 0, not yet known: <see cref="ExecuteAsync"/> reports it (with the run's
    /// end when that comes first), as may <see cref="StartedAsync"/>. Released or buried before its command ran, the
    /// job counts no attempt, as a job only reserved.
    /// </summary>
    public Task<Job?> ReserveAndStartAsync(TimeSpan timeout, string? schedulerGroup, string host, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new JobQueueException(JobQueueErrorKind.BadRequest, "Reserve", detail: "host must name the machine the job starts on");
        }

        if (schedulerGroup is not null && string.IsNullOrWhiteSpace(schedulerGroup))
        {
            throw new JobQueueException(JobQueueErrorKind.BadRequest, "Reserve", detail: "schedulerGroup must be null (any group) or name one");
        }

        return ReserveFromAsync(timeout, schedulerGroup, host, cancellationToken);
    }

    private Task<Job?> ReserveFromAsync(TimeSpan timeout, string? schedulerGroup, string? startOn, CancellationToken cancellationToken) =>
        ReserveLoopAsync(
            (lease, wait) => schedulerGroup is null
                ? _cluster.GetGrain<IQueueDirectoryGrain>(0).ReserveAny(lease, wait, startOn, cancellationToken)
                : _cluster.GetQueueGrain(schedulerGroup).Reserve(lease, wait, startOn, cancellationToken),
            timeout,
            cancellationToken);

    private async Task<Job?> ReserveLoopAsync(Func<string, TimeSpan, Task<Job?>> reserve, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout < TimeSpan.Zero)
        {
            throw new JobQueueException(JobQueueErrorKind.BadRequest, "Reserve", detail: "timeout must not be negative");
        }

        var forever = timeout == TimeSpan.Zero;
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await GiveBackUnansweredAsync().ConfigureAwait(false);
            var remaining = forever ? MaxCallWait : deadline - _time.GetUtcNow();
            var wait = remaining > MaxCallWait ? MaxCallWait : remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining;
            var lease = Leases.New(ClientId);
            Job? job;
            try
            {
                // Cancellation travels with the grain call itself; the call ends only once the grain has let go.
                job = await Call("Reserve", reserve(lease, wait), CancellationToken.None).ConfigureAwait(false);
            }
            catch (JobQueueException ex) when (ex.Kind is JobQueueErrorKind.NoServer or JobQueueErrorKind.DbError)
            {
                _unanswered.TryAdd(lease, _time.GetTimestamp());
                throw;
            }

            if (job is not null && cancellationToken.IsCancellationRequested)
            {
                // Taken just as the caller gave up: give it back at no cost rather than leave it to its lease.
                await Call("Release", JobGrain(job).Release(Leases.Of(job)!, "", TimeSpan.Zero), CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (job is not null)
            {
                _reservedAt.AddOrUpdate(job, new StrongBox<long>(_time.GetTimestamp()));
                return job;
            }

            if (!forever && _time.GetUtcNow() >= deadline)
            {
                return null;
            }
        }
    }

    /// <summary>When the answer granting <paramref name="job"/> to this client arrived, as a <see cref="TimeProvider"/> timestamp; null for a job this client did not reserve.</summary>
    internal long? ReservedAt(Job job) => _reservedAt.TryGetValue(job, out var at) ? at.Value : null;

    /// <summary>
    /// Gives back whatever failed reserve calls may have been granted. A lease stays listed until the job it was granted
    /// has been given back, or no grant can land any more.
    /// </summary>
    private async Task GiveBackUnansweredAsync()
    {
        foreach (var (lease, failedAt) in _unanswered)
        {
            if (await Call("Reserve", _cluster.GetGrain<IJobActionGrain>(0).Abandon(lease), CancellationToken.None).ConfigureAwait(false)
                || _time.GetElapsedTime(failedAt) > LateGrantWindow)
            {
                _unanswered.TryRemove(lease, out _);
            }
        }
    }
}
