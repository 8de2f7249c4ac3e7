using JobQueue.Grains.Learning;

namespace JobQueue.Grains.Jobs;

/// <summary>Changing a job that is not running: its needs, priority, retries, rep group, limit groups and dependencies.</summary>
public sealed partial class JobGrain
{
    /// <inheritdoc />
    public async Task<bool> Modify(JobModification changes) => await AnnouncedAsync(await ModifyInBulk(changes).ConfigureAwait(true)).ConfigureAwait(true);

    /// <inheritdoc />
    public Task<BulkOutcome> ModifyInBulk(JobModification changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return InBulkAsync(row => ModifyAsync(row, changes));
    }

    private async Task<BulkOutcome> ModifyAsync(Storage.JobRecord? row, JobModification changes)
    {
        if (row is null || row.State.IsLeased() || row.State == JobState.Complete || changes.IsEmpty)
        {
            return BulkOutcome.NotApplied;
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
        if (changes.ChangesDependencies)
        {
            // The store replaces the dependency rows in the same commit, and makes the job ready itself if nothing it
            // now waits on is unmet (then announcing it); a buried job stays buried.
            var deps = await NewDependenciesAsync(changes).ConfigureAwait(true);
            after = after with
            {
                State = row.State == JobState.Buried ? JobState.Buried
                    : deps.Targets.Count > 0 ? JobState.Dependent
                    : row.State == JobState.Dependent ? JobState.Ready
                    : row.State,
            };
            await CommitAsync("Modify", after, newDeps: deps).ConfigureAwait(true);
            return after.State == JobState.Ready ? ReadyIn(after) : BulkOutcome.Applied;
        }

        if (after.State == JobState.Ready)
        {
            // Its queue (perhaps a new one) must learn of its new place.
            return ReadyIn(await CommitReadyAsync("Modify", after).ConfigureAwait(true));
        }

        await CommitAsync("Modify", after).ConfigureAwait(true);
        return BulkOutcome.Applied;
    }

    /// <summary>The job's dependencies with <paramref name="changes"/> applied: what is not given stays as it was.</summary>
    private async Task<Storage.Dependencies.JobDeps> NewDependenciesAsync(JobModification changes)
    {
        var current = await store.GetDependenciesAsync(Key, CancellationToken.None).ConfigureAwait(true);
        return new Storage.Dependencies.JobDeps(
            [.. (changes.DepGroups ?? current?.Groups ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            changes.TargetsAfter(current?.Targets ?? []));
    }

    private static string LimitSuffixOf(string queue) => SchedulerGroup.LimitSuffix(SchedulerGroup.LimitGroupsOf(queue));
}
