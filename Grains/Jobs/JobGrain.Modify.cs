using JobQueue.Grains.Learning;

namespace JobQueue.Grains.Jobs;

/// <summary>Changing a job that is not running: its needs, priority, retries, rep group and limit groups.</summary>
public sealed partial class JobGrain
{
    /// <inheritdoc />
    public async Task<bool> Modify(JobModification changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var row = await LoadAsync().ConfigureAwait(true);
        if (row is null || row.State.IsLeased() || row.State == JobState.Complete || changes.IsEmpty)
        {
            return false;
        }

        var failures = row.Retries + 1 - row.UntilBuried;
        var retries = changes.Retries ?? row.Retries;
        var limits = changes.LimitGroups is { } groups ? SchedulerGroup.LimitSuffix(LimitGroups.Names(groups)) : LimitSuffixOf(row.Queue);
        var changed = row with
        {
            Priority = changes.Priority ?? row.Priority,
            UserRamMb = changes.RamMb ?? row.UserRamMb,
            UserTime = changes.Time ?? row.UserTime,
            Cores = changes.Cores is { } cores ? Math.Max(cores, JobQueueDefaults.Cores) : row.Cores,
            // Memory or time given by hand is meant: unless told otherwise, it wins over what was learned.
            Override = changes.Override ?? (changes.RamMb is not null || changes.Time is not null ? 2 : row.Override),
            Retries = retries,

            // Failures so far still count; a buried job stays buried (a kick gives it its retries back).
            UntilBuried = row.State == JobState.Buried ? row.UntilBuried : Math.Max(1, retries + 1 - failures),
            RepGroup = changes.RepGroup ?? row.RepGroup,

            // Requirements.Apply below puts the requirements in front of the limit groups.
            Queue = limits,
        };
        var after = Requirements.Apply(changed, await advisor.RecommendAsync(row.ReqGroup).ConfigureAwait(true));
        if (after.State == JobState.Ready)
        {
            // Its queue (perhaps a new one) must learn of its new place.
            await MakeReadyAsync("Modify", after).ConfigureAwait(true);
        }
        else
        {
            await CommitAsync("Modify", after).ConfigureAwait(true);
        }

        return true;
    }

    private static string LimitSuffixOf(string queue) => SchedulerGroup.LimitSuffix(SchedulerGroup.LimitGroupsOf(queue));
}
