using JobQueue.Grains.Manager;
using JobQueue.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Grains.Queue;

/// <summary>
/// The ready jobs of one scheduler group. It keeps the best few in memory, refills from the store's ready index
/// when they run out, and parks reserve calls until a job is announced or their wait ends. Reentrant: a parked
/// reserve must not block the announcements that wake it; state changes happen between awaits only.
/// </summary>
[Reentrant]
[GrainType(GrainReferences.QueueType)]
public sealed partial class QueueGrain : Grain, IQueueGrain
{
    private readonly IJobStore _store;
    private readonly JobQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueGrain> _logger;
    private readonly RunnerDemand _demand;
    private readonly ReadyBuffer _buffer;
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly Waiters _waiters;
    private Task? _refill;
    private bool _announcedDuringRefill;
    private DateTimeOffset _lastStoreCheck = DateTimeOffset.MinValue;
    private DateTimeOffset _heldBackUntil = DateTimeOffset.MinValue;
    private Task? _limitedAttempt;
    private long _slotsFreed;

    /// <summary>Creates the grain.</summary>
    public QueueGrain(IJobStore store, ModeView mode, Metrics.JobQueueMetrics metrics, RunnerDemand demand, IOptions<JobQueueOptions> options, TimeProvider time, ILogger<QueueGrain> logger)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _demand = demand;
        _buffer = new ReadyBuffer(_options.ReadyBufferSize);
        _waiters = new Waiters(time, mode, metrics);
    }

    private string Queue => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _waiters.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<Job?> Reserve(string lease, TimeSpan maxWait, string? startOn, CancellationToken cancellationToken = default)
    {
        var reservedBy = Leases.ForReserve(lease);
        return await _waiters.ReserveAsync(
            Clamp(maxWait, _options.MaxReserveWait),
            _options.StoreRecheckInterval,
            () => TryReserveAsync(reservedBy, startOn, cancellationToken),
            cancellationToken).ConfigureAwait(true);
    }

    /// <inheritdoc />
    public Task JobsReady(IReadOnlyList<ReadyEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (_buffer.Announce(entries) > 0 && _refill is not null)
        {
            // A refill under way may have read the store before these were committed: look again after it.
            _announcedDuringRefill = true;
        }

        var parked = _waiters.Count;
        _waiters.Wake(entries.Count);
        if (entries.Count > parked)
        {
            // More than the runners waiting here can take: this manager's scheduler may start runners for them now.
            _demand.Signal();
            var directory = GrainFactory.GetGrain<IQueueDirectoryGrain>(0);
            var queue = Queue;
            var unserved = entries.Count - parked;
            Announcements.SendAsync(() => directory.JobsAvailable(queue, unserved)).Ignore();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task LimitSlotsFreed(int count)
    {
        _slotsFreed++;
        _heldBackUntil = DateTimeOffset.MinValue;
        _waiters.Wake(count);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ReadyEntry?> Peek(CancellationToken cancellationToken = default)
    {
        if (HeldBack)
        {
            return null;
        }

        if (_buffer.Count == 0 && StoreWorthChecking())
        {
            await RefillAsync().ConfigureAwait(true);
        }

        return _buffer.First;
    }

    internal static TimeSpan Clamp(TimeSpan wait, TimeSpan max) =>
        wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > max ? max : wait;

    /// <summary>
    /// True while a limit group of this queue (all its jobs share them) was found full: nothing is tried until a slot is
    /// given back, or a store recheck interval has passed in case that news was lost.
    /// </summary>
    private bool HeldBack => _time.GetUtcNow() < _heldBackUntil;

    private bool StoreWorthChecking() =>
        _buffer.StoreHasMore || _time.GetUtcNow() - _lastStoreCheck >= _options.StoreRecheckInterval;

    private async Task<Job?> TryReserveAsync(string reservedBy, string? startOn, CancellationToken cancellationToken)
    {
        if (SchedulerGroup.LimitGroupsOf(Queue).Count == 0)
        {
            return await TryReserveCoreAsync(reservedBy, startOn, cancellationToken).ConfigureAwait(true);
        }

        // The jobs of a limited queue compete for the same slots: one attempt at a time, or a later job could take a
        // slot freed while the head's attempt was being refused, and jump ahead of it.
        while (_limitedAttempt is { } busy)
        {
            await busy.ConfigureAwait(true);
        }

        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _limitedAttempt = turn.Task;
        try
        {
            return await TryReserveCoreAsync(reservedBy, startOn, cancellationToken).ConfigureAwait(true);
        }
        finally
        {
            _limitedAttempt = null;
            turn.SetResult();
        }
    }

    private async Task<Job?> TryReserveCoreAsync(string reservedBy, string? startOn, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (HeldBack)
            {
                return null;
            }

            if (_buffer.Count == 0)
            {
                if (!StoreWorthChecking())
                {
                    return null;
                }

                await RefillAsync().ConfigureAwait(true);
                if (_buffer.Count == 0)
                {
                    return null;
                }
            }

            var entry = _buffer.TakeFirst()!;
            if (!_inFlight.Add(entry.Key))
            {
                continue;
            }

            var slotsFreed = _slotsFreed;
            try
            {
                var attempt = await GrainFactory.GetJobGrain(entry.Key).Reserve(Queue, reservedBy, startOn).ConfigureAwait(true);
                if (attempt.Job is { } job)
                {
                    return await Waiters.KeepUnlessAbandonedAsync(GrainFactory, job, cancellationToken).ConfigureAwait(true);
                }

                if (attempt.FullLimitGroup is not null)
                {
                    // Still ready: it goes back in its place, and the queue waits for a slot, unless one was given
                    // back while it was being refused: then it is tried again at once.
                    _buffer.Add([entry]);
                    if (_slotsFreed != slotsFreed)
                    {
                        continue;
                    }

                    _heldBackUntil = _time.GetUtcNow() + _options.StoreRecheckInterval;
                    var directory = GrainFactory.GetGrain<IQueueDirectoryGrain>(0);
                    var queue = Queue;
                    Announcements.SendAsync(() => directory.QueueHeldBack(queue)).Ignore();
                    return null;
                }
            }
            catch (Exception ex)
            {
                // The job stays ready in the store; make sure it is looked for again.
                _buffer.StoreHasMore = true;
                LogReserveFailed(_logger, ex, entry.Key, Queue);
                throw;
            }
            finally
            {
                _inFlight.Remove(entry.Key);
            }
        }
    }

    private async Task RefillAsync()
    {
        // One refill at a time; callers arriving meanwhile share it.
        if (_refill is { } running)
        {
            await running.ConfigureAwait(true);
            return;
        }

        var refill = RefillCoreAsync();
        _refill = refill;
        try
        {
            await refill.ConfigureAwait(true);
        }
        finally
        {
            if (ReferenceEquals(_refill, refill))
            {
                _refill = null;
            }
        }
    }

    private async Task RefillCoreAsync()
    {
        var wanted = _options.ReadyBufferSize + _inFlight.Count;
        _announcedDuringRefill = false;
        var rows = await _store.GetReadyAsync(Queue, wanted, CancellationToken.None).ConfigureAwait(true);
        _lastStoreCheck = _time.GetUtcNow();
        _buffer.StoreHasMore = rows.Count >= wanted || _announcedDuringRefill;
        _buffer.Add(rows.Where(r => !_inFlight.Contains(r.Key)));
    }
}
