using JobQueue.Grains.Jobs;
using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Queries;

/// <summary>
/// The read side of the queue: jobs by key, by rep group (grouped by state, exit code and fail reason, with "similar"
/// counts), runs and counts. Served by the query grain, and straight from a read-only database when no manager runs.
/// </summary>
public sealed class JobQueries(IJobMonitor monitor, EnvironmentCache environments, TimeProvider time)
{
    private IJobMonitor Monitor => monitor;

    /// <summary>As <see cref="IJobQueryGrain"/>.</summary>
    public async Task<IReadOnlyList<Job>> GetByKeys(IReadOnlyList<string> keys, bool getStd, bool getEnv)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var live = await Monitor.GetJobsAsync(keys, getStd, CancellationToken.None).ConfigureAwait(true);
        var found = live.Select(j => j.Key).ToHashSet(StringComparer.Ordinal);
        var missing = keys.Where(k => !found.Contains(k)).ToList();
        var complete = missing.Count == 0 ? [] : await Monitor.GetLatestRunsAsync(missing, getStd, CancellationToken.None).ConfigureAwait(true);
        var byKey = live.Concat(complete).ToDictionary(j => j.Key, StringComparer.Ordinal);
        var result = new List<Job>();
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            if (byKey.TryGetValue(key, out var record))
            {
                result.Add(await ToJobAsync(record, getStd, getEnv).ConfigureAwait(true));
            }
        }

        return result;
    }

    /// <summary>As <see cref="IJobQueryGrain"/>.</summary>
    public async Task<IReadOnlyList<Job>> Find(JobQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.RepGroup is null && query.State == JobState.Complete)
        {
            return [];
        }

        var result = new List<Job>();
        if (query.Limit <= 0)
        {
            foreach (var record in await Monitor.GetAllAsync(query.RepGroup, query.State, query.GetStd, CancellationToken.None).ConfigureAwait(true))
            {
                result.Add(await ToJobAsync(record, query.GetStd, query.GetEnv).ConfigureAwait(true));
            }

            return result;
        }

        var groups = (await Monitor.GetCountsAsync(query.RepGroup, CancellationToken.None).ConfigureAwait(true))
            .Where(c => c.Count > 0 && (query.State is null || c.Key.State == query.State))
            .Where(c => query.RepGroup is not null || c.Key.State != JobState.Complete)
            .GroupBy(c => c.Key with { RepGroup = "" })
            .Select(g => (Group: g.Key, Count: g.Sum(c => c.Count)))
            .OrderBy(g => g.Group.State)
            .ThenBy(g => g.Group.ExitCode)
            .ThenBy(g => g.Group.FailReason, StringComparer.Ordinal);
        foreach (var (group, count) in groups)
        {
            var records = await Monitor.GetGroupAsync(query.RepGroup, group, query.Limit, query.GetStd, CancellationToken.None).ConfigureAwait(true);
            for (var i = 0; i < records.Count; i++)
            {
                var similar = i == records.Count - 1 ? (int)Math.Max(0, count - records.Count) : 0;
                result.Add(await ToJobAsync(records[i], query.GetStd, query.GetEnv, similar).ConfigureAwait(true));
            }
        }

        return result;
    }

    /// <summary>As <see cref="IJobQueryGrain"/>.</summary>
    public async Task<IReadOnlyList<Job>> GetRuns(string key, bool getStd, bool getEnv)
    {
        var result = new List<Job>();
        foreach (var record in await Monitor.GetRunsAsync(key, getStd, CancellationToken.None).ConfigureAwait(true))
        {
            result.Add(await ToJobAsync(record, getStd, getEnv).ConfigureAwait(true));
        }

        return result;
    }

    /// <summary>As <see cref="IJobQueryGrain"/>.</summary>
    public async Task<IReadOnlyList<RepGroupCounts>> GetRepGroupCounts(string? repGroup)
    {
        var counts = await Monitor.GetCountsAsync(repGroup, CancellationToken.None).ConfigureAwait(true);
        return [.. counts
            .GroupBy(c => c.Key.RepGroup, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                long Sum(JobState state) => g.Where(c => c.Key.State == state).Sum(c => c.Count);
                return new RepGroupCounts
                {
                    RepGroup = g.Key,
                    Delayed = Sum(JobState.Delayed),
                    Ready = Sum(JobState.Ready),
                    Reserved = Sum(JobState.Reserved),
                    Running = Sum(JobState.Running),
                    Buried = Sum(JobState.Buried),
                    Complete = Sum(JobState.Complete),
                };
            })];
    }

    private async Task<Job> ToJobAsync(JobRecord record, bool getStd, bool getEnv, int similar = 0)
    {
        var env = getEnv ? await environments.GetAsync(record.EnvKey).ConfigureAwait(true) : null;
        return record.ToJob(time.GetUtcNow(), getStd, env, similar);
    }
}
