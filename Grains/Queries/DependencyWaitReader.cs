using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Queries;

/// <summary>Reads what dependent jobs still wait on; a target many of them share (a group) is read once.</summary>
public static class DependencyWaitReader
{
    /// <summary>What each of <paramref name="keys"/> waits on, by key; jobs without dependencies are left out.</summary>
    public static async Task<IReadOnlyDictionary<string, DependencyWait>> ReadAsync(IJobStore store, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        var states = new Dictionary<string, (long Incomplete, long Buried)>(StringComparer.Ordinal);
        var waits = new Dictionary<string, DependencyWait>(StringComparer.Ordinal);
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            if (await store.GetDependenciesAsync(key, cancellationToken).ConfigureAwait(false) is not { } deps || deps.Targets.Count == 0)
            {
                continue;
            }

            var unmet = new List<(string, long, long)>();
            foreach (var target in deps.Targets)
            {
                if (!states.TryGetValue(target, out var state))
                {
                    states[target] = state = await store.GetTargetStateAsync(target, cancellationToken).ConfigureAwait(false);
                }

                if (state.Incomplete > 0)
                {
                    unmet.Add(($"{(target[0] == 'g' ? "group" : "job")} {target[2..]}", state.Incomplete, state.Buried));
                }
            }

            waits[key] = new DependencyWait { Total = deps.Targets.Count, Unmet = unmet, Note = deps.Note };
        }

        return waits;
    }
}
