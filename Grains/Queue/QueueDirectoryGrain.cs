using JobQueue.Grains.Server;
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
    private void ThrowIfDraining()
    {
        if (_mode.IsDraining)
        {
            throw new JobQueueException(JobQueueErrorKind.QueueClosed, "Reserve", detail: "the manager is draining; no new jobs are handed out");
        }
    }

    private static readonly TimeSpan QueueListAge = TimeSpan.FromSeconds(5);

    private readonly IJobStore _store;
    private readonly ServerMode _mode;
    private readonly JobQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly Waiters _waiters;
    private HashSet<string> _queues = new(StringComparer.Ordinal);
    private DateTimeOffset _queuesFetchedAt = DateTimeOffset.MinValue;

    /// <summary>Creates the grain.</summary>
    public QueueDirectoryGrain(IJobStore store, ServerMode mode, IOptions<JobQueueOptions> options, TimeProvider time)
    {
        _store = store;
        _mode = mode;
        _options = options.Value;
        _time = time;
        _waiters = new Waiters(time);
    }

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _mode.Changed += _waiters.WakeAll;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _mode.Changed -= _waiters.WakeAll;
        _waiters.WakeAll();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<Job?> ReserveAny(string clientId, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var deadline = _time.GetUtcNow() + QueueGrain.Clamp(maxWait, _options.MaxReserveWait);
        while (true)
        {
            ThrowIfDraining();
            cancellationToken.ThrowIfCancellationRequested();
            var queues = await QueuesAsync().ConfigureAwait(true);
            var heads = await Task.WhenAll(queues.Select(async q => (Queue: q, Head: await GrainFactory.GetGrain<IQueueGrain>(q).Peek(cancellationToken).ConfigureAwait(true)))).ConfigureAwait(true);
            var best = heads.Where(h => h.Head is not null).OrderBy(h => h.Head).FirstOrDefault();
            if (best.Head is not null)
            {
                var job = await GrainFactory.GetGrain<IQueueGrain>(best.Queue).Reserve(clientId, TimeSpan.Zero, cancellationToken).ConfigureAwait(true);
                if (job is not null)
                {
                    return job;
                }

                continue;
            }

            var remaining = deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            await _waiters.WaitAsync(remaining < _options.StoreRecheckInterval ? remaining : _options.StoreRecheckInterval, cancellationToken).ConfigureAwait(true);
        }

        return null;
    }

    /// <inheritdoc />
    public Task JobsAvailable(string queue)
    {
        if (!_queues.Contains(queue))
        {
            _queuesFetchedAt = DateTimeOffset.MinValue;
        }

        _waiters.WakeAll();
        return Task.CompletedTask;
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
