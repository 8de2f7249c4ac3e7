using JobQueue.Grains.Storage;
using JobQueue.Grains.Storage.Dependencies;

namespace JobQueue.Grains.Adding;

/// <summary>
/// What an add's dependencies must satisfy before anything is stored: every group waited on has a member (in the
/// store or in the batch), every job waited on exists (incomplete, completed, or in the batch), and no job waits,
/// through other jobs of the batch, on itself.
/// </summary>
internal static class DependencyCheck
{
    /// <summary>The dependencies of the jobs that have any, by key; throws BadJob naming every problem.</summary>
    public static async Task<Dictionary<string, JobDeps>> CheckAsync(IJobStore store, AddBatch batch)
    {
        var jobs = batch.Jobs;
        var deps = new Dictionary<string, JobDeps>(StringComparer.Ordinal);
        if (!jobs.Any(j => j.DepGroups is { Count: > 0 } || j.HasDependencies))
        {
            return deps;
        }

        var problems = new List<JobProblem>();
        var byKey = jobs.GroupBy(j => j.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var members = jobs.SelectMany(j => (j.DepGroups ?? []).Select(g => (Group: g, j.Key))).ToLookup(m => m.Group, m => m.Key, StringComparer.Ordinal);
        var (emptyGroups, unknownKeys) = await MissingAsync(
            store,
            jobs.SelectMany(j => j.Deps ?? []).Where(g => !members.Contains(g)),
            jobs.SelectMany(j => j.CmdDeps ?? []).Select(r => r.Key).Where(k => !byKey.ContainsKey(k))).ConfigureAwait(true);

        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            foreach (var group in (job.Deps ?? []).Where(emptyGroups.Contains))
            {
                problems.Add(new JobProblem(batch.FirstIndex + i, job.Key, nameof(JobSpec.Deps), $"waits on dependency group \"{group}\", which has no member: add its members first, or in the same batch"));
            }

            foreach (var target in (job.CmdDeps ?? []).Where(r => unknownKeys.Contains(r.Key)))
            {
                problems.Add(new JobProblem(batch.FirstIndex + i, job.Key, nameof(JobSpec.CmdDeps), $"waits on job {target.Key}, which was never added"));
            }

            if (job.DepGroups is { Count: > 0 } || job.HasDependencies)
            {
                deps[job.Key] = new JobDeps(
                    [.. (job.DepGroups ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                    JobDependencies.Targets(job.Deps, job.CmdDeps));
            }
        }

        if ((Cycle(byKey, members) ?? await CycleThroughStoreAsync(store, byKey, members).ConfigureAwait(true)) is { } cycle)
        {
            var cmds = await CmdsAsync(store, jobs, cycle).ConfigureAwait(true);
            var index = Math.Max(0, jobs.ToList().FindIndex(j => j.Key == cycle[0]));
            problems.Add(new JobProblem(batch.FirstIndex + index, cycle[0], nameof(JobSpec.CmdDeps), $"the jobs wait on each other in a cycle: {string.Join(" -> ", cycle.Append(cycle[0]).Select(k => cmds[k]))}"));
        }

        return problems.Count > 0 ? throw new JobQueueException("Add", problems) : deps;
    }

    /// <summary>
    /// Which of <paramref name="groups"/> have no member in the store, and which of the jobs <paramref name="keys"/> were
    /// never added (neither incomplete nor with a completed run).
    /// </summary>
    public static async Task<(HashSet<string> EmptyGroups, HashSet<string> UnknownKeys)> MissingAsync(IJobStore store, IEnumerable<string> groups, IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(store);
        var empty = groups.ToHashSet(StringComparer.Ordinal);
        empty.ExceptWith(await store.GetKnownDepGroupsAsync(empty, CancellationToken.None).ConfigureAwait(true));
        var unknown = keys.ToHashSet(StringComparer.Ordinal);
        List<string> wanted = [.. unknown];
        unknown.ExceptWith((await store.Monitor.GetJobsAsync(wanted, false, CancellationToken.None).ConfigureAwait(true)).Select(j => j.Key));
        unknown.ExceptWith((await store.Monitor.GetLatestRunsAsync(wanted, false, CancellationToken.None).ConfigureAwait(true)).Select(j => j.Key));
        return (empty, unknown);
    }

    /// <summary>
    /// Keys of jobs of the batch (<paramref name="byKey"/>, with the members of each group they join) that wait on each
    /// other in a circle, through their cmd_deps and the groups they wait on; or null.
    /// </summary>
    private static List<string>? Cycle(Dictionary<string, JobSpec> byKey, ILookup<string, string> members)
    {
        IEnumerable<string> Next(string key) =>
            (byKey[key].CmdDeps ?? []).Select(r => r.Key).Where(byKey.ContainsKey).Concat((byKey[key].Deps ?? []).SelectMany(g => members[g]));

        return Cycles.Find(byKey.Keys, Next);
    }

    /// <summary>
    /// A circle through jobs already stored: possible only when the batch joins a group that stored dependents wait on
    /// (they then wait on the new members too), so the store is read only then.
    /// </summary>
    private static async Task<List<string>?> CycleThroughStoreAsync(IJobStore store, Dictionary<string, JobSpec> byKey, ILookup<string, string> members)
    {
        if (members.Count == 0 || !await store.AnyWaitingOnAsync([.. members.Select(g => g.Key)], CancellationToken.None).ConfigureAwait(true))
        {
            return null;
        }

        return await DependencyGraph.FindCycleAsync(
            store,
            byKey.Keys,
            (key, stored) => byKey.TryGetValue(key, out var job) ? JobDependencies.Targets(job.Deps, job.CmdDeps) : stored,
            (group, stored) => stored.Concat(members[group])).ConfigureAwait(true);
    }

    /// <summary>The command of each of <paramref name="keys"/>, from the batch or the store.</summary>
    private static async Task<Dictionary<string, string>> CmdsAsync(IJobStore store, IReadOnlyList<JobSpec> jobs, List<string> keys)
    {
        var cmds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var job in jobs.Where(j => keys.Contains(j.Key)))
        {
            cmds.TryAdd(job.Key, job.Cmd);
        }

        foreach (var job in await store.Monitor.GetJobsAsync([.. keys.Where(k => !cmds.ContainsKey(k))], false, CancellationToken.None).ConfigureAwait(true))
        {
            cmds.TryAdd(job.Key, job.Cmd);
        }

        return keys.ToDictionary(k => k, k => cmds.GetValueOrDefault(k) ?? k, StringComparer.Ordinal);
    }
}
