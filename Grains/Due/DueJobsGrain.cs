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
    private const int PageSize = 500;
    private const int MaxPagesPerSweep = 20;
    private const string ReminderName = "wake";

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
            for (var page = 0; page < MaxPagesPerSweep && !cancellationToken.IsCancellationRequested; page++)
            {
                var keys = await store.GetDueAsync(now, PageSize, cancellationToken).ConfigureAwait(true);
                await Task.WhenAll(keys.Select(WakeAsync)).ConfigureAwait(true);
                if (keys.Count < PageSize)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSweepFailed(logger, ex);
        }
    }

    private async Task WakeAsync(string key)
    {
        try
        {
            await GrainFactory.GetGrain<IJobGrain>(key).WakeIfDue().ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            LogWakeFailed(logger, ex, key);
        }
    }
}
