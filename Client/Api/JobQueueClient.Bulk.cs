using JobQueue.Grains;

namespace JobQueue.Client;

/// <summary>Acting on many jobs, and listing them page by page: selected on the server, never fetched job by job.</summary>
public sealed partial class JobQueueClient
{
    /// <summary>Makes buried jobs ready again, with their retries restored. Returns how many were kicked.</summary>
    public Task<int> KickAsync(IEnumerable<JobRef> jobs, CancellationToken cancellationToken = default) =>
        CountAsync("Kick", jobs, g => g.Kick(), cancellationToken);

    /// <summary>Removes jobs that are not reserved or running. Returns how many were removed.</summary>
    public Task<int> DeleteAsync(IEnumerable<JobRef> jobs, CancellationToken cancellationToken = default) =>
        CountAsync("Delete", jobs, g => g.Delete(), cancellationToken);

    /// <summary>Stops jobs: reserved ones are buried at once, running ones are killed by their runner and buried. Returns how many were affected.</summary>
    public Task<int> KillAsync(IEnumerable<JobRef> jobs, CancellationToken cancellationToken = default) =>
        CountAsync("Kill", jobs, g => g.Kill(), cancellationToken);

    /// <summary>
    /// Applies <paramref name="action"/> to every job <paramref name="filter"/> selects, on the server (a few calls
    /// of up to <see cref="JobQueueDefaults.BulkStepSize"/> jobs each, whatever the number of jobs).
    /// Kick acts on buried jobs, Delete on jobs neither leased nor complete, Kill on leased jobs; others are passed over.
    /// </summary>
    /// <returns>How many jobs changed.</returns>
    public async Task<int> ApplyAsync(JobFilter filter, BulkAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return await Call(action.ToString(), _cluster.GetGrain<IJobActionGrain>(0).ApplyAllAsync(filter, action, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes every job <paramref name="filter"/> selects that is not reserved, running or complete, on the server (a
    /// step of up to <see cref="JobQueueDefaults.BulkStepSize"/> jobs per call). Jobs whose needs or limit groups change
    /// move to the matching scheduler group.
    /// </summary>
    /// <returns>How many jobs changed.</returns>
    public async Task<int> ModifyAsync(JobFilter filter, JobModification changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(changes);
        return await Call("Modify", _cluster.GetGrain<IJobActionGrain>(0).ModifyAllAsync(filter, changes, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One page of the jobs <paramref name="filter"/> selects (a rep group's, complete runs last; or every incomplete
    /// job), at most <paramref name="limit"/>, after the cursor <paramref name="after"/> of the previous page.
    /// </summary>
    public Task<JobPage> ListAsync(JobFilter filter, string? after = null, int limit = 100, bool getStd = false, bool getEnv = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Call("List", Query.List(filter, after, limit, getStd, getEnv), cancellationToken);
    }

    /// <summary>Every job <paramref name="filter"/> selects, fetched a page at a time as the caller reads on.</summary>
    public IAsyncEnumerable<Job> ListAllAsync(JobFilter filter, bool getStd = false, bool getEnv = false, CancellationToken cancellationToken = default) =>
        JobPage.ReadAllAsync((after, ct) => ListAsync(filter, after, JobQueueDefaults.MaxPageSize, getStd, getEnv, ct), cancellationToken);

    /// <summary>A rep group's jobs by state, exit code and fail reason, with means, deviations and histograms of their runs.</summary>
    public Task<IReadOnlyList<JobGroupStats>> GetGroupStatsAsync(string repGroup, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repGroup);
        return Call("GetGroupStats", Query.GetGroupStats(repGroup), cancellationToken);
    }

    private async Task<int> CountAsync(string operation, IEnumerable<JobRef> jobs, Func<IJobGrain, Task<bool>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var count = 0;
        foreach (var chunk in jobs.Select(j => j.Key).Distinct(StringComparer.Ordinal).Chunk(256))
        {
            var results = await Call(operation, Task.WhenAll(chunk.Select(k => action(_cluster.GetJobGrain(k)))), cancellationToken).ConfigureAwait(false);
            count += results.Count(r => r);
        }

        return count;
    }
}
