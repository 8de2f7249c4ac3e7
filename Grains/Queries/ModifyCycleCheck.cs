using JobQueue.Grains.Adding;
using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Queries;

/// <summary>
/// Refuses a modification whose dependencies would make jobs wait on each other in a circle: the graph is what the
/// store holds with the change applied to the selected jobs, read from them outwards.
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

        // Selected jobs get the new targets; they leave the groups they are not given, and join every group they are given.
        var newGroups = changes.DepGroups?.ToHashSet(StringComparer.Ordinal);
        var keys = await DependencyGraph.FindCycleAsync(
            store,
            selected,
            (key, stored) => selected.Contains(key) ? changes.TargetsAfter(stored) : stored,
            (group, stored) =>
            {
                var members = stored.Where(k => newGroups is null || !selected.Contains(k));
                return newGroups?.Contains(group) == true ? members.Concat(selected) : members;
            }).ConfigureAwait(true);
        if (keys is null)
        {
            return;
        }

        var cmds = (await store.Monitor.GetJobsAsync(keys, false, CancellationToken.None).ConfigureAwait(true)).ToDictionary(j => j.Key, j => j.Cmd, StringComparer.Ordinal);
        var field = changes.CmdDeps is not null ? nameof(JobModification.CmdDeps) : changes.Deps is not null ? nameof(JobModification.Deps) : nameof(JobModification.DepGroups);
        var circle = string.Join(" -> ", keys.Append(keys[0]).Select(k => cmds.GetValueOrDefault(k) ?? k));
        throw new JobQueueException(JobQueueErrorKind.BadRequest, "Modify", detail: $"{field}: the jobs would wait on each other in a cycle: {circle}");
    }

    /// <summary>The jobs the modification applies to (incomplete and not leased), by key.</summary>
    private static async Task<HashSet<string>> SelectedAsync(IJobStore store, JobFilter filter)
    {
        var selected = new HashSet<string>(StringComparer.Ordinal);
        JobCursor? cursor = null;
        do
        {
            (var jobs, cursor) = await BulkPages.NextAsync(store, filter, cursor, JobState.Dependent, JobState.Buried).ConfigureAwait(true);
            selected.UnionWith(jobs.Where(j => !j.State.IsLeased()).Select(j => j.Key));
        }
        while (cursor is not null);

        return selected;
    }
}
