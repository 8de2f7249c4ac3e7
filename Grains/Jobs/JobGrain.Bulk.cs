namespace JobQueue.Grains.Jobs;

/// <summary>
/// Retry for one job or many. A bulk action tells each queue once of the many jobs it made ready, rather than each job
/// telling its queue (and each queue the directory) once per job.
/// </summary>
public sealed partial class JobGrain
{
    /// <inheritdoc />
    public async Task<bool> Kick() => await AnnouncedAsync(await KickInBulk().ConfigureAwait(true)).ConfigureAwait(true);

    /// <inheritdoc />
    public async Task<BulkOutcome> KickInBulk()
    {
        var row = await LoadAsync().ConfigureAwait(true);
        if (row is null || row.State != JobState.Buried)
        {
            return BulkOutcome.NotApplied;
        }

        return ReadyIn(await CommitReadyAsync("Kick", row with { UntilBuried = row.Retries + 1, KillRequested = false }).ConfigureAwait(true));
    }

    private static BulkOutcome ReadyIn(Storage.JobRecord after) => new() { Done = true, Queue = after.Queue, Ready = after.ReadyEntry };

    /// <summary>Tells the queue of a job that <paramref name="outcome"/> made ready; true if the action applied.</summary>
    private async Task<bool> AnnouncedAsync(BulkOutcome outcome)
    {
        if (outcome is { Queue: { } queue, Ready: { } entry })
        {
            await Queue.Announcements.JobsReadyAsync(GrainFactory, [(queue, entry)], (ex, q, key) => LogQueueNotifyFailed(logger, ex, key, q)).ConfigureAwait(true);
        }

        return outcome.Done;
    }
}
