using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Queries;

/// <summary>The jobs a bulk action selects, a step at a time, in the order of the state index.</summary>
internal static class BulkPages
{
    /// <summary>
    /// The next <paramref name="size"/> jobs <paramref name="filter"/> selects in states <paramref name="first"/> to
    /// <paramref name="last"/>, after <paramref name="after"/> (null: from the first of those states, which the seek
    /// starts at); and the cursor of the page after them, null when there is none.
    /// </summary>
    public static async Task<(List<JobRecord> Jobs, JobCursor? Next)> NextAsync(IJobStore store, JobFilter filter, JobCursor? after, JobState first, JobState last, int size = JobQueueDefaults.BulkStepSize)
    {
        var cursor = after ?? new JobCursor(first, int.MinValue, "", long.MinValue);
        var rows = await store.Monitor.GetPageAsync(filter, cursor, size, withOutput: false, CancellationToken.None).ConfigureAwait(true);
        var chosen = rows.Where(r => r.Job.State <= last).Select(r => r.Job).ToList();
        var more = rows.Count == size && chosen.Count == rows.Count;
        return (chosen, more ? rows[^1].Cursor : null);
    }
}
