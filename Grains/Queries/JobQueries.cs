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
        // One pass over the counter rows (a row per rep group, state, exit code and fail reason): at 10,000 rep groups
        // grouping and summing each state with LINQ took half of the web overview's time.
        var counts = await Monitor.GetCountsAsync(repGroup, CancellationToken.None).ConfigureAwait(true);
        var byGroup = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var row in counts)
        {
            if (!byGroup.TryGetValue(row.Key.RepGroup, out var states))
            {
                byGroup[row.Key.RepGroup] = states = new long[(int)JobState.Complete + 2];
            }

            if (row.Key.State is >= JobState.Dependent and <= JobState.Complete)
            {
                states[(int)row.Key.State + 1] += row.Count;
            }
        }

        long Of(long[] states, JobState state) => states[(int)state + 1];
        return [.. byGroup.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new RepGroupCounts
        {
            RepGroup = g.Key,
            Dependent = Of(g.Value, JobState.Dependent),
            Delayed = Of(g.Value, JobState.Delayed),
            Ready = Of(g.Value, JobState.Ready),
            Reserved = Of(g.Value, JobState.Reserved),
            Running = Of(g.Value, JobState.Running),
            Buried = Of(g.Value, JobState.Buried),
            Complete = Of(g.Value, JobState.Complete),
        })];
    }

    /// <summary>As <see cref="IJobQueryGrain"/>.</summary>
    public async Task<JobPage> List(JobFilter filter, string? after, int limit, bool getStd, bool getEnv)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var cursor = after is null ? null : JobCursor.Parse(after);
        limit = Math.Clamp(limit, 1, JobQueueDefaults.MaxPageSize);

        // One more than asked tells whether there is a next page without a count.
        var rows = await Monitor.GetPageAsync(filter, cursor, limit + 1, getStd, CancellationToken.None).ConfigureAwait(true);
        var jobs = new List<Job>(Math.Min(rows.Count, limit));
        foreach (var (record, _) in rows.Take(limit))
        {
            jobs.Add(await ToJobAsync(record, getStd, getEnv).ConfigureAwait(true));
        }

        return new JobPage(jobs, rows.Count > limit ? rows[limit - 1].Cursor.ToString() : null);
    }

    /// <summary>As <see cref="IJobQueryGrain"/>.</summary>
    public async Task<IReadOnlyList<JobGroupStats>> GetGroupStats(string repGroup)
    {
        ArgumentException.ThrowIfNullOrEmpty(repGroup);
        var counts = await Monitor.GetCountsAsync(repGroup, CancellationToken.None).ConfigureAwait(true);
        var (rows, buckets) = await Monitor.GetStatsAsync(repGroup, CancellationToken.None).ConfigureAwait(true);
        var totals = rows.ToDictionary(r => r.Key, r => r.Totals);
        var histograms = buckets.ToLookup(b => (b.Key, b.Kind));
        long[] Histogram(CountKey key, int kind, int size)
        {
            var bars = new long[size + 1];
            foreach (var bucket in histograms[(key, kind)])
            {
                bars[Math.Clamp(bucket.Bucket, 0, size)] += bucket.N;
            }

            return bars;
        }

        return [.. counts
            .Where(c => c.Count > 0)
            .OrderBy(c => c.Key.State).ThenBy(c => c.Key.ExitCode).ThenBy(c => c.Key.FailReason, StringComparer.Ordinal)
            .Select(c =>
            {
                var t = totals.GetValueOrDefault(c.Key);
                return new JobGroupStats
                {
                    State = c.Key.State,
                    ExitCode = c.Key.ExitCode,
                    FailReason = c.Key.FailReason,
                    Count = c.Count,
                    Measured = Math.Max(0, t.N),
                    PeakRamMb = Spread.From(t.N, t.RamSum, t.RamSquares),
                    WallSeconds = Spread.From(t.N, t.WallSum, t.WallSquares),
                    CpuSeconds = Spread.From(t.N, t.CpuSum, t.CpuSquares),
                    RamHistogram = Histogram(c.Key, BatchEffects.RamKind, RunBuckets.RamMb.Count),
                    WallHistogram = Histogram(c.Key, BatchEffects.TimeKind, RunBuckets.WallSeconds.Count),
                };
            })];
    }

    private async Task<Job> ToJobAsync(JobRecord record, bool getStd, bool getEnv, int similar = 0)
    {
        var env = getEnv ? await environments.GetAsync(record.EnvKey).ConfigureAwait(true) : null;
        return record.ToJob(time.GetUtcNow(), getStd, env, similar);
    }
}
