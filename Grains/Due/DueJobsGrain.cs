using JobQueue.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Grains.Due;

/// <summary>
/// Fires elapsed delays and expired leases. Due times live in the store's due index (so they survive restarts and
/// cost no per-job timer or reminder); a grain timer sweeps that index a few times a second, and one reminder
/// brings this grain back after a restart or a silo failure.
/// </summary>
public sealed partial class DueJobsGrain(
    IJobStore store,
    IOptions<JobQueueOptions> options,
    TimeProvider time,
    ILogger<DueJobsGrain> logger) : Grain, IDueJobsGrain, IRemindable
{
    private const string ReminderName = "wake";

    private DateTimeOffset _prunedAt = DateTimeOffset.MinValue;

    // Where the last sweep stopped when it ran out of pages; null once a sweep reached the end of what is due.
    private DueJob? _cursor;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(SweepAsync, new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.SweepInterval) { KeepAlive = true });
        try
        {
            await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            // The timer works without it; the reminder only speeds recovery after a crash.
            LogReminderFailed(logger, ex);
        }
    }

    /// <inheritdoc />
    public Task Ping() => Task.CompletedTask;

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow();
            var (pageSize, pages) = (options.Value.DueSweepPageSize, options.Value.DueSweepPages);
            for (var page = 0; page < pages && !cancellationToken.IsCancellationRequested; page++)
            {
                var due = await store.GetDueAsync(now, _cursor, pageSize, cancellationToken).ConfigureAwait(true);
                await Task.WhenAll(due.Select(d => WakeAsync(d.Key))).ConfigureAwait(true);

                // Jobs that stay due (a wake failed) are passed over, not read again and again ahead of later ones.
                _cursor = due.Count < pageSize ? null : due[^1];
                if (_cursor is null)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSweepFailed(logger, ex);
        }

        await PruneQueuesAsync(cancellationToken).ConfigureAwait(true);
    }

    private async Task PruneQueuesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _prunedAt < options.Value.QueuePruneInterval && _prunedAt <= now)
        {
            return;
        }

        _prunedAt = now;
        try
        {
            var pruned = await store.PruneQueuesAsync(cancellationToken).ConfigureAwait(true);
            if (pruned > 0)
            {
                LogQueuesPruned(logger, pruned);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPruneFailed(logger, ex);
        }
    }

    private async Task WakeAsync(string key)
    {
        try
        {
            await GrainFactory.GetJobGrain(key).WakeIfDue().ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            LogWakeFailed(logger, ex, key);
        }
    }
}
