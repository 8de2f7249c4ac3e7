using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Limits;

/// <summary>Sets a limit group's limit, then lets the queues it held back try again.</summary>
internal static class LimitSetter
{
    /// <summary>How many waiters a change of limit wakes at most; the others find out at their next recheck.</summary>
    private const int MaxWoken = 100;

    /// <summary>Sets the limits that limit-group entries give ("irods:10"; entries without a limit set none); the last one given for a group wins.</summary>
    public static async Task SetGivenAsync(IJobStore store, IGrainFactory grains, IEnumerable<string> entries)
    {
        var given = entries.Select(LimitGroups.Parse).Where(l => l.Limit is not null);
        foreach (var (name, limit) in given.GroupBy(l => l.Name, StringComparer.Ordinal).Select(g => (g.Key, g.Last().Limit)))
        {
            await SetAsync(store, grains, name, limit).ConfigureAwait(true);
        }
    }

    /// <summary>Sets the limit of <paramref name="name"/> (null: none), committed before it returns.</summary>
    public static async Task SetAsync(IJobStore store, IGrainFactory grains, string name, int? limit)
    {
        if (LimitGroups.NameProblem(name) is { } problem)
        {
            throw new JobQueueException(JobQueueErrorKind.BadRequest, "SetLimit", detail: $"the limit group name {problem}");
        }

        if (limit is < 0 or > LimitGroups.MaxLimit)
        {
            throw new JobQueueException(JobQueueErrorKind.BadRequest, "SetLimit", detail: $"the limit must be from 0 to {LimitGroups.MaxLimit}");
        }

        await store.SetLimitAsync(name, limit, CancellationToken.None).ConfigureAwait(true);

        // A raised or removed limit may let held-back queues go on; a lowered one wakes a few that find it still full.
        var directory = grains.GetGrain<IQueueDirectoryGrain>(0);
        var woken = Math.Clamp(limit ?? MaxWoken, 1, MaxWoken);
        await Queue.Announcements.SendAsync(() => directory.LimitSlotsFreed([.. Enumerable.Repeat(name, woken)])).ConfigureAwait(true);
    }
}
