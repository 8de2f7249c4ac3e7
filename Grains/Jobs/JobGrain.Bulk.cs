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
    public Task<BulkOutcome> KickInBulk() => InBulkAsync(async row =>
    {
        if (row is null || row.State != JobState.Buried)
        {
            return BulkOutcome.NotApplied;
        }

        return ReadyIn(await CommitReadyAsync("Kick", row with { UntilBuried = row.Retries + 1, KillRequested = false }).ConfigureAwait(true));
    });

    /// <summary>
    /// Applies a bulk change to the job's row: the one in memory; else the one the bulk step offered, which is then
    /// forgotten (it was read without the job's output, which the grain must know before it runs the job again); else
    /// the stored one.
    /// </summary>
    private async Task<BulkOutcome> InBulkAsync(Func<Storage.JobRecord?, Task<BulkOutcome>> change)
    {
        if (_row is not null || !offered.TryTake(Key, out var row))
        {
            return await change(await LoadAsync().ConfigureAwait(true)).ConfigureAwait(true);
        }

        _row = row;
        try
        {
            return await change(row).ConfigureAwait(true);
        }
        catch (JobQueueException ex) when (ex.Kind == JobQueueErrorKind.BadJob && _row is null)
        {
            // The offered row was stale (its commit was refused and the grain let go of it): change the stored one.
            return await change(await LoadAsync().ConfigureAwait(true)).ConfigureAwait(true);
        }
        finally
        {
            _row = null;
        }
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
