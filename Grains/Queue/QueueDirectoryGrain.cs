using JobQueue.Grains.Manager;
using JobQueue.Grains.Storage;
using Microsoft.Extensions.Options;

namespace JobQueue.Grains.Queue;

/// <summary>
/// Serves reservations from any scheduler group: it compares the heads of all queues (there are few: one per
/// distinct requirement) and reserves from the best. Calls that find nothing are parked until a queue announces jobs.
/// </summary>
[Reentrant]
public sealed class QueueDirectoryGrain : Grain, IQueueDirectoryGrain
{
    private static readonly TimeSpan QueueListAge = TimeSpan.FromSeconds(5);

    private readonly IJobStore _store;
    private readonly JobQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly Waiters _waiters;
    private readonly HashSet<string> _heldBack = new(StringComparer.Ordinal);
    private HashSet<string> _queues = new(StringComparer.Ordinal);
    private DateTimeOffset _queuesFetchedAt = DateTimeOffset.MinValue;

    /// <summary>Creates the grain.</summary>
    public QueueDirectoryGrain(IJobStore store, ModeView mode, Metrics.JobQueueMetrics metrics, IOptions<JobQueueOptions> options, TimeProvider time)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _waiters = new Waiters(time, mode, metrics);
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _waiters.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<Job?> ReserveAny(string lease, TimeSpan maxWait, string? startOn, CancellationToken cancellationToken = default)
    {
        var reservedBy = Leases.ForReserve(lease);
        return _waiters.ReserveAsync(
            QueueGrain.Clamp(maxWait, _options.MaxReserveWait),
            _options.StoreRecheckInterval,
            () => TryReserveAsync(reservedBy, startOn, cancellationToken),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task JobsAvailable(string queue, int count)
    {
        if (!_queues.Contains(queue))
        {
            _queuesFetchedAt = DateTimeOffset.MinValue;
        }

        _waiters.Wake(count);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task QueueHeldBack(string queue)
    {
        _heldBack.Add(queue);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task LimitSlotsFreed(string[] groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var freed = groups.CountBy(g => g, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);

        // Every queue of these groups hears of it, not only those known to be held back: the news that a queue was
        // held back travels on its own and may arrive after this.
        foreach (var queue in _heldBack.Union(_queues, StringComparer.Ordinal).ToList())
        {
            var slots = SchedulerGroup.LimitGroupsOf(queue).Sum(g => freed.GetValueOrDefault(g));
            if (slots > 0)
            {
                _heldBack.Remove(queue);
                var held = GrainFactory.GetQueueGrain(queue);
                await Announcements.SendAsync(() => held.LimitSlotsFreed(slots)).ConfigureAwait(true);
            }
        }

        _waiters.Wake(groups.Length);
    }

    /// <summary>Reserves from the queue with the best head, trying the next best while heads turn out stale; null if every queue is empty.</summary>
    private async Task<Job?> TryReserveAsync(string reservedBy, string? startOn, CancellationToken cancellationToken)
    {
        while (true)
        {
            var queues = await QueuesAsync().ConfigureAwait(true);
            var heads = await Task.WhenAll(queues.Select(async q => (Queue: q, Head: await GrainFactory.GetQueueGrain(q).Peek(cancellationToken).ConfigureAwait(true)))).ConfigureAwait(true);
            var best = heads.Where(h => h.Head is not null).OrderBy(h => h.Head).FirstOrDefault();
            if (best.Head is null)
            {
                return null;
            }

            // Taking from the best queue pops its head, so a stale head cannot be chosen twice.
            if (await GrainFactory.GetQueueGrain(best.Queue).Reserve(reservedBy, TimeSpan.Zero, startOn, cancellationToken).ConfigureAwait(true) is { } job)
            {
                return await Waiters.KeepUnlessAbandonedAsync(GrainFactory, job, cancellationToken).ConfigureAwait(true);
            }
        }
    }

    private async Task<IReadOnlyCollection<string>> QueuesAsync()
    {
        var now = _time.GetUtcNow();
        if (now - _queuesFetchedAt >= QueueListAge || _queuesFetchedAt > now)
        {
            _queues = new HashSet<string>(await _store.GetQueuesAsync(CancellationToken.None).ConfigureAwait(true), StringComparer.Ordinal);
            _queuesFetchedAt = now;
        }

        return _queues;
    }
}
