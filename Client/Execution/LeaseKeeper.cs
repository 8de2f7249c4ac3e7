namespace JobQueue.Client.Execution;

/// <summary>
/// Keeps a running job's lease and knows, on this machine's clock, when it runs out. The lease lasts
/// <see cref="Job.Lease"/> from the moment the manager accepted the last touch or report; since that moment is not
/// before the call was sent, the send time is a safe start. A runner that could not renew in time kills its command
/// before the manager may hand the job to anyone else, even if it cannot reach the manager at all (fencing).
/// </summary>
internal sealed class LeaseKeeper
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(2);

    private readonly JobQueueClient _client;
    private readonly Job _job;
    private readonly TimeProvider _time;
    private readonly TimeSpan _usable;
    private long _renewedAt;
    private long _lastTouch;
    private long _touchSentAt;
    private Task<LeaseStatus>? _touch;
    private CancellationTokenSource? _touchTimeout;

    public LeaseKeeper(JobQueueClient client, Job job, TimeProvider time, TimeSpan? touchInterval)
    {
        _client = client;
        _job = job;
        _time = time;
        var lease = job.Lease > TimeSpan.Zero ? job.Lease : JobQueueDefaults.TimeToRelease;

        // Stop a tenth early: the kill itself and clocks that tick at slightly different rates need the room.
        _usable = lease - (lease / 10);
        TouchInterval = touchInterval ?? lease / 4;

        // The reservation was granted a moment before its answer arrived (not when a waiting reserve was sent, which may
        // be long before): count from a margin before that, or, for a job reserved by another client, before this run
        // began. A runner frozen since it took the job so finds its lease gone instead of running the command.
        var grantedBy = client.ReservedAt(job) ?? time.GetTimestamp();
        _renewedAt = grantedBy - (long)((lease / 10).TotalSeconds * time.TimestampFrequency);
        _lastTouch = time.GetTimestamp();
    }

    /// <summary>How often the lease is touched: a quarter of it unless set.</summary>
    public TimeSpan TouchInterval { get; }

    /// <summary>How long the lease is certain to last from now.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var left = _usable - _time.GetElapsedTime(_renewedAt);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>True once the lease may have run out: the command must die and nothing may be reported.</summary>
    public bool Expired => Remaining <= TimeSpan.Zero;

    /// <summary>
    /// Called while the command runs: sends a touch when one is due (never waiting for it), takes in the answer of the
    /// last one, and returns why the command must be killed: <see cref="FailReasons.Killed"/> when a user asked,
    /// <see cref="JobExecutor.LeaseLost"/> when the lease is gone, else null.
    /// </summary>
    public string? Poll()
    {
        if (_touch is { IsCompleted: true } done)
        {
            _touch = null;
            _touchTimeout?.Dispose();
            _touchTimeout = null;
            if (done.IsCompletedSuccessfully)
            {
                Renewed(_touchSentAt);
                if (done.Result.KillRequested)
                {
                    return FailReasons.Killed;
                }
            }
            else if (done.Exception?.InnerException is JobQueueException { Kind: JobQueueErrorKind.MustReserve or JobQueueErrorKind.MissingJob })
            {
                // Someone else holds the job now.
                return JobExecutor.LeaseLost;
            }

            // Anything else (the manager restarting, the database away, a time-out) is passing: try again next time.
        }

        if (Expired)
        {
            return JobExecutor.LeaseLost;
        }

        if (_touch is null && _time.GetElapsedTime(_lastTouch) >= TouchInterval)
        {
            _lastTouch = _touchSentAt = _time.GetTimestamp();
            _touchTimeout = new CancellationTokenSource(Remaining, _time);
            _touch = _client.TouchAsync(_job, _touchTimeout.Token);
        }

        return null;
    }

    /// <summary>
    /// Sends a report, retrying passing failures with backoff for as long as the lease lasts. Reports that the manager
    /// accepts renew the lease when <paramref name="renews"/>. Throws <see cref="JobQueueException"/> (MustReserve)
    /// once the lease is gone; <paramref name="lostAfterRetry"/> decides what a lost lease means on a retry (the first
    /// try may have taken effect with its answer lost).
    /// </summary>
    public async Task<T> ReportAsync<T>(string operation, Func<CancellationToken, Task<T>> report, bool renews, Func<Task<T>>? lostAfterRetry = null)
    {
        var wait = FirstRetry;
        for (var attempt = 1; ; attempt++)
        {
            if (Expired)
            {
                throw Lost(operation);
            }

            using var timeout = new CancellationTokenSource(Remaining, _time);
            var sentAt = _time.GetTimestamp();
            try
            {
                var result = await report(timeout.Token).ConfigureAwait(false);
                if (renews)
                {
                    Renewed(sentAt);
                }

                return result;
            }
            catch (JobQueueException ex) when (ex.Kind is JobQueueErrorKind.MustReserve or JobQueueErrorKind.MissingJob && attempt > 1 && lostAfterRetry is not null)
            {
                return await lostAfterRetry().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsPassing(ex))
            {
                var pause = wait < Remaining ? wait : Remaining;
                await Task.Delay(pause, _time).ConfigureAwait(false);
                wait = wait * 2 < MaxRetry ? wait * 2 : MaxRetry;
            }
        }
    }

    /// <summary>The error for a run whose lease is gone.</summary>
    public JobQueueException Lost(string operation) =>
        new(JobQueueErrorKind.MustReserve, operation, _job.Key, "the lease was lost while the command ran; it was killed and nothing was reported");

    /// <summary>The error for a job whose lease ran out before its command was started.</summary>
    public JobQueueException LostBeforeStart(string operation) =>
        new(JobQueueErrorKind.MustReserve, operation, _job.Key, "the lease ran out before the command started; it was not run and nothing was reported");

    private static bool IsPassing(Exception ex) => ex switch
    {
        JobQueueException j => j.Kind is JobQueueErrorKind.NoServer or JobQueueErrorKind.DbError,
        OperationCanceledException or TimeoutException or OrleansException => true,
        _ => false,
    };

    private void Renewed(long sentAt)
    {
        if (sentAt > _renewedAt)
        {
            _renewedAt = sentAt;
        }
    }
}
