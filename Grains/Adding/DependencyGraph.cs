using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Adding;

/// <summary>
/// The part of the store's dependency graph that some jobs can reach, with a change applied (what an add or a mod
/// would make of it), and a cycle in it. It is read outwards from those jobs, one query per layer of jobs and one per
/// group reached. Only incomplete jobs are nodes: a completed job waits on nothing.
/// </summary>
internal static class DependencyGraph
{
    /// <summary>
    /// A cycle reachable from the jobs <paramref name="starts"/>, as job keys in the order they wait on each other; null if
    /// there is none. <paramref name="targetsOf"/> gives a job's targets ("g:group", "k:key") after the change from what
    /// the store holds for it; <paramref name="membersOf"/> a group's incomplete members after it from the store's.
    /// </summary>
    public static async Task<List<string>?> FindCycleAsync(
        IJobStore store,
        IReadOnlyCollection<string> starts,
        Func<string, IReadOnlyList<string>, IReadOnlyList<string>> targetsOf,
        Func<string, IReadOnlyList<string>, IEnumerable<string>> membersOf)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(starts);
        var edges = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var frontier = starts.Select(JobDependencies.JobTarget).ToList();
        while (frontier.Count > 0)
        {
            var jobs = frontier.Where(n => n[0] == 'k').Select(n => n[2..]).ToList();
            var stored = await store.GetTargetsAsync(jobs, CancellationToken.None).ConfigureAwait(true);
            foreach (var key in jobs)
            {
                edges[JobDependencies.JobTarget(key)] = targetsOf(key, stored.GetValueOrDefault(key) ?? []);
            }

            foreach (var group in frontier.Where(n => n[0] == 'g').Select(n => n[2..]))
            {
                var members = membersOf(group, await store.GetIncompleteMembersAsync(group, CancellationToken.None).ConfigureAwait(true));
                edges[JobDependencies.GroupTarget(group)] = [.. members.Distinct(StringComparer.Ordinal).Select(JobDependencies.JobTarget)];
            }

            frontier = [.. frontier.SelectMany(n => edges[n]).Distinct(StringComparer.Ordinal).Where(n => !edges.ContainsKey(n))];
        }

        var cycle = Cycles.Find(starts.Select(JobDependencies.JobTarget), n => edges.GetValueOrDefault(n) ?? []);
        return cycle?.Where(n => n[0] == 'k').Select(n => n[2..]).ToList();
    }
}
