using JobQueue.Grains;

namespace JobQueue.Silo.Web;

/// <summary>The JSON views the page and the REST API share, built from counters and bounded queries only.</summary>
public static class WebViews
{
    /// <summary>The manager: its facts, mode, runners, managers in the cluster, and the totals.</summary>
    public static async Task<object> InfoAsync(IGrainFactory grains, CountsFeed feed)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(feed);
        var stats = await grains.GetGrain<IServerGrain>(0).GetStats().ConfigureAwait(false);
        var managers = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).ConfigureAwait(false);
        return Manager(stats, managers.Count);
    }

    /// <summary>The manager part of a snapshot.</summary>
    public static object Manager(ServerStats stats, int managers)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var info = stats.ServerInfo;
        return new
        {
            info.Addr,
            info.Host,
            info.Port,
            info.WebPort,
            info.Pid,
            info.Deployment,
            info.Scheduler,
            info.Mode,
            info.Storage,
            info.Queue,
            info.StartedAt,
            stats.Runners,
            Managers = managers,
            stats.Delayed,
            stats.Ready,
            stats.Running,
            stats.Buried,
            stats.Complete,
            EtcSeconds = stats.Etc.TotalSeconds,
            stats.SchedulerNotes,
        };
    }

    /// <summary>
    /// One page of rep groups whose name contains <paramref name="filter"/> (any case), sorted by name, with the
    /// totals over all of them and how many matched.
    /// </summary>
    public static object Overview(IReadOnlyList<RepGroupCounts> groups, string? filter, int offset, int limit)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var matched = string.IsNullOrEmpty(filter)
            ? groups
            : [.. groups.Where(g => g.RepGroup.Contains(filter, StringComparison.OrdinalIgnoreCase))];
        offset = Math.Max(0, offset);
        limit = Math.Clamp(limit, 1, 10_000);
        return new
        {
            Total = Sum(groups),
            MatchedTotal = Sum(matched),
            Matched = matched.Count,
            Offset = offset,
            Groups = matched.Skip(offset).Take(limit).Select(Counts),
        };
    }

    /// <summary>A rep group: its jobs by state, exit code and fail reason, each group with one example and its statistics.</summary>
    public static async Task<object> RepGroupAsync(IGrainFactory grains, string repGroup)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var query = grains.GetGrain<IJobQueryGrain>(0);
        var stats = await query.GetGroupStats(repGroup).ConfigureAwait(false);
        var examples = await query.Find(new JobQuery { RepGroup = repGroup, Limit = 1 }).ConfigureAwait(false);
        return new
        {
            RepGroup = repGroup,
            RamEdgesMb = RunBuckets.RamMb,
            WallEdgesSeconds = RunBuckets.WallSeconds,
            Groups = stats.Select(s => new
            {
                State = s.State.ToName(),
                s.ExitCode,
                s.FailReason,
                s.Count,
                s.Measured,
                s.PeakRamMb,
                s.WallSeconds,
                s.CpuSeconds,
                s.RamHistogram,
                s.WallHistogram,
                Example = examples
                    .Where(j => j.State == s.State && j.FailReason == s.FailReason && (j.Exited ? j.ExitCode : -1) == s.ExitCode)
                    .Select(j => JobJson.From(j, withStd: false, withEnv: false))
                    .FirstOrDefault(),
            }),
        };
    }

    private static object Counts(RepGroupCounts g) => new { g.RepGroup, g.Delayed, g.Ready, g.Reserved, g.Running, g.Buried, g.Complete };

    private static object Sum(IReadOnlyList<RepGroupCounts> groups) => Counts(RepGroupCounts.Sum(groups));

    /// <summary>A job's page: the job (with why it is not running, when incomplete) and its earlier runs; null if the key is unknown.</summary>
    public static async Task<object?> JobAsync(IGrainFactory grains, string key, bool std, bool env)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var query = grains.GetGrain<IJobQueryGrain>(0);
        var found = await query.GetByKeys([key], std, env).ConfigureAwait(false);
        if (found.Count == 0)
        {
            return null;
        }

        var job = found[0];
        var runs = await query.GetRuns(key, std, getEnv: false).ConfigureAwait(false);
        var why = job.State == JobState.Complete ? null : await grains.ExplainAsync(job).ConfigureAwait(false);

        return new { job = JobJson.From(job, std, env) with { Why = why }, runs = runs.Select(r => JobJson.From(r, std, withEnv: false)) };
    }
}
