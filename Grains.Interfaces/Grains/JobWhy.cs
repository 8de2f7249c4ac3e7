namespace JobQueue.Grains;

/// <summary>Why a job is not running, asked of the managers: the shared context and, per job, what only a query tells.</summary>
public static class JobWhy
{
    /// <summary>One line for each reason that <paramref name="job"/> is not running (or where it is), with the jobs ahead of a ready one and what a dependent waits on.</summary>
    public static async Task<IReadOnlyList<string>> ExplainAsync(this IGrainFactory grains, Job job)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(job);
        var context = await grains.GetGrain<IServerGrain>(0).GetWhyContext().ConfigureAwait(false);
        var query = grains.GetGrain<IJobQueryGrain>(0);
        var ahead = job.State == JobState.Ready ? await query.CountAhead(job.Key).ConfigureAwait(false) : null;
        var wait = job.State == JobState.Dependent ? (await query.DependencyWaits([job.Key]).ConfigureAwait(false)).GetValueOrDefault(job.Key) : null;
        return JobReasons.Explain(job, context, ahead, wait);
    }
}
