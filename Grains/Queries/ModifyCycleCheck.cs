using JobQueue.Grains.Adding;
using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Queries;

/// <summary>
/// Refuses a modification whose dependencies would make jobs wait on each other in a circle. The graph is what the
/// store holds with the change applied to the selected jobs: their targets replaced and their groups replaced. It is
/// read from the selected jobs outwards, one layer of keys per query, so only the part that can close a circle is read.
/// </summary>
internal static class ModifyCycleCheck
{
    /// <summary>Throws BadRequest naming the jobs of a cycle the change would make.</summary>
    public static async Task ThrowIfCycleAsync(IJobStore store, JobFilter filter, JobModification changes)
    {
        var selected = await SelectedAsync(store, filter).ConfigureAwait(true);
        if (selected.Count == 0)
        {
            return;
        }

        var newGroups = changes.DepGroups?.ToHashSet(StringComparer.Ordinal);
        var edges = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var frontier = selected.Select(JobDependencies.JobTarget).ToList();
        while (frontier.Count > 0)
        {
            var jobs = frontier.Where(n => n[0] == 'k').Select(n => n[2..]).ToList();
            var stored = await store.GetTargetsAsync(jobs, CancellationToken.None).ConfigureAwait(true);
            foreach (var key in jobs)
            {
                var targets = stored.GetValueOrDefault(key) ?? [];
                edges[JobDependencies.JobTarget(key)] = selected.Contains(key) ? changes.TargetsAfter(targets) : targets;
            }

            foreach (var group in frontier.Where(n => n[0] == 'g').Select(n => n[2..]))
            {
                // Selected jobs leave the groups they are not given, and join every group they are given.
                var members = (await store.GetIncompleteMembersAsync(group, CancellationToken.None).ConfigureAwait(true))
                    .Where(k => newGroups is null || !selected.Contains(k));
                if (newGroups?.Contains(group) == true)
                {
                    members = members.Concat(selected);
                }

                edges[JobDependencies.GroupTarget(group)] = [.. members.Distinct(StringComparer.Ordinal).Select(JobDependencies.JobTarget)];
            }

            frontier = [.. frontier.SelectMany(n => edges[n]).Distinct(StringComparer.Ordinal).Where(n => !edges.ContainsKey(n))];
        }

        if (Cycles.Find(selected.Select(JobDependencies.JobTarget), n => edges.GetValueOrDefault(n) ?? []) is not { } cycle)
        {
            return;
        }

        var keys = cycle.Where(n => n[0] == 'k').Select(n => n[2..]).ToList();
        var cmds = (await store.Monitor.GetJobsAsync(keys, false, CancellationToken.None).ConfigureAwait(true)).ToDictionary(j => j.Key, j => j.Cmd, StringComparer.Ordinal);
        var field = changes.CmdDeps is not null ? nameof(JobModification.CmdDeps) : changes.Deps is not null ? nameof(JobModification.Deps) : nameof(JobModification.DepGroups);
        var circle = string.Join(" -> ", keys.Append(keys[0]).Select(k => cmds.GetValueOrDefault(k) ?? k));
        throw new JobQueueException(JobQueueErrorKind.BadRequest, "Modify", detail: $"{field}: the jobs would wait on each other in a cycle: {circle}");
    }

    /// <summary>The jobs the modification applies to (incomplete and not leased), by key.</summary>
    private static async Task<HashSet<string>> SelectedAsync(IJobStore store, JobFilter filter)
    {
        var selected = new HashSet<string>(StringComparer.Ordinal);
        var cursor = new JobCursor(JobState.Dependent, int.MinValue, "", long.MinValue);
        while (true)
        {
            var rows = await store.Monitor.GetPageAsync(filter, cursor, JobQueueDefaults.BulkStepSize, withOutput: false, CancellationToken.None).ConfigureAwait(true);
            selected.UnionWith(rows.Where(r => r.Job.State <= JobState.Buried && !r.Job.State.IsLeased()).Select(r => r.Job.Key));

            if (rows.Count < JobQueueDefaults.BulkStepSize || rows[^1].Job.State > JobState.Buried)
            {
                return selected;
            }

            cursor = rows[^1].Cursor;
        }
    }
}
