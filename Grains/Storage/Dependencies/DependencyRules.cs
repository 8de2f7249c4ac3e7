namespace JobQueue.Grains.Storage.Dependencies;

/// <summary>
/// What adding and finishing jobs do to their dependents, inside the store's transaction (the same rules for SQLite and
/// PostgreSQL). A dependent counts its unmet targets: a group target is met while the group has no incomplete member, a
/// job target once that job completed. Finishing a job costs a look at its own groups and at its direct waiters,
/// never a scan; a dependent whose count reaches zero is made ready in the same transaction.
/// </summary>
internal static class DependencyRules
{
    /// <summary>
    /// Settles new jobs: their memberships, what they wait on and so their state (dependent, or ready when all is met
    /// already), and waiters of a group that was done and has a new member now. Returns the jobs as they were stored.
    /// </summary>
    public static async Task<List<JobRecord>> AddedAsync(DependencyTables tables, IReadOnlyList<JobRecord> inserted, IReadOnlyDictionary<string, JobDeps> deps, BatchEffects effects)
    {
        if (deps.Count == 0)
        {
            return [.. inserted];
        }

        var reopened = new Queue<string>();
        foreach (var job in inserted)
        {
            await JoinAllAsync(tables, deps.GetValueOrDefault(job.Key)?.DepGroups ?? [], job.Key, reopened).ConfigureAwait(false);
        }

        var stored = new List<JobRecord>(inserted.Count);
        var added = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in inserted)
        {
            added.Add(job.Key);
            if (!deps.TryGetValue(job.Key, out var own))
            {
                stored.Add(job);
                continue;
            }

            var unmet = await WaitOnAsync(tables, job.Key, own).ConfigureAwait(false);
            var state = unmet > 0 ? JobState.Dependent : job.State == JobState.Dependent ? JobState.Ready : job.State;
            if (state != job.State)
            {
                await tables.SetStateAsync(job, state).ConfigureAwait(false);
            }

            stored.Add(job with { State = state });
        }

        await ReopenAsync(tables, reopened, added, effects).ConfigureAwait(false);
        return stored;
    }

    /// <summary>
    /// Groups that were done and have an incomplete member again: dependents still waiting (on something else) wait for
    /// it too, and dependents that had completed run again once it completes (wr's rule). A job put back is incomplete
    /// again in its own groups, which may reopen further groups, and so on down the pipeline.
    /// </summary>
    private static async Task ReopenAsync(DependencyTables tables, Queue<string> reopened, HashSet<string> added, BatchEffects effects)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reopened.TryDequeue(out var group))
        {
            if (!seen.Add(group))
            {
                continue;
            }

            foreach (var waiter in await tables.WaitersAsync(JobDependencies.GroupTarget(group)).ConfigureAwait(false))
            {
                if (added.Contains(waiter)
                    || await tables.AddUnmetAsync(waiter, 1).ConfigureAwait(false) is not null
                    || await tables.UnmetAsync(JobDependencies.JobTarget(waiter)).ConfigureAwait(false)
                    || await tables.DepsOfAsync(waiter).ConfigureAwait(false) is not { } own
                    || await tables.RequeueAsync(waiter, JobState.Dependent).ConfigureAwait(false) is not { } again)
                {
                    // Added now, still waiting (now on this group too), not yet run, or never run: nothing more to do.
                    continue;
                }

                added.Add(waiter);
                effects.Added(again);
                await JoinAllAsync(tables, own.DepGroups, waiter, reopened).ConfigureAwait(false);

                // It waits on this group, which has an incomplete member again: at least one is unmet.
                await WaitOnAsync(tables, waiter, own, $"it runs again: dependency group {group} gained a member after it had completed").ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Settles the jobs of <paramref name="batch"/> that committed as completed (archive) or removed (delete): their groups,
    /// and their waiters, which become ready once nothing else is unmet. Those made ready go with the outcome of the first
    /// such change, whose grain announces them; their changes are in <paramref name="effects"/>.
    /// </summary>
    public static async Task FinishBatchAsync(DependencyTables tables, IReadOnlyList<StoreWrite> batch, IList<WriteOutcome> outcomes, BatchEffects effects)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(outcomes);
        var committed = batch.Where((w, i) => w is JobChange && outcomes[i] is Committed).Cast<JobChange>();
        Attach(batch, outcomes, await FinishedAsync(tables, committed, effects).ConfigureAwait(false));
    }

    private static async Task<List<JobRecord>> FinishedAsync(DependencyTables tables, IEnumerable<JobChange> committed, BatchEffects effects)
    {
        var met = new List<string>();
        foreach (var change in committed.Where(c => c.Kind is JobChangeKind.Archive or JobChangeKind.Delete).OrderBy(c => c.Before.Key, StringComparer.Ordinal))
        {
            var key = change.Before.Key;
            if (!await tables.InvolvedAsync(key).ConfigureAwait(false))
            {
                continue;
            }

            var removed = change.Kind == JobChangeKind.Delete;
            await LeaveAllAsync(tables, (await tables.DepsOfAsync(key).ConfigureAwait(false))?.DepGroups ?? [], key, removed, met).ConfigureAwait(false);
            if (removed)
            {
                await tables.ForgetAsync(key, removed: true).ConfigureAwait(false);
            }
            else
            {
                // A completed job keeps its waits: a member added to a group it waited on later makes it run again.
                met.Add(JobDependencies.JobTarget(key));
            }
        }

        var released = new List<JobRecord>();
        await ReleaseWaitersAsync(tables, met, effects, released).ConfigureAwait(false);
        return released;
    }

    /// <summary>
    /// Replaces the dependencies of a job changed in this transaction (jobqueue mod): it leaves and joins groups, waits
    /// on its new targets, and is made ready if it is dependent and nothing is unmet; a group it left may be done now.
    /// Returns the jobs made ready.
    /// </summary>
    public static async Task<List<JobRecord>> ReplacedAsync(DependencyTables tables, JobChange change, BatchEffects effects)
    {
        ArgumentNullException.ThrowIfNull(change);
        var key = change.Before.Key;
        var next = change.NewDeps ?? throw new ArgumentException("the change replaces no dependencies", nameof(change));
        var old = await tables.DepsOfAsync(key).ConfigureAwait(false) ?? new JobDeps([], []);
        var met = new List<string>();
        var reopened = new Queue<string>();
        await LeaveAllAsync(tables, old.DepGroups.Except(next.DepGroups, StringComparer.Ordinal), key, removed: true, met).ConfigureAwait(false);
        await JoinAllAsync(tables, next.DepGroups.Except(old.DepGroups, StringComparer.Ordinal), key, reopened).ConfigureAwait(false);
        var unmet = await WaitOnAsync(tables, key, next).ConfigureAwait(false);
        var released = new List<JobRecord>();
        if (change.After?.State == JobState.Dependent && unmet == 0)
        {
            await ReleaseAsync(tables, key, effects, released).ConfigureAwait(false);
        }

        await ReopenAsync(tables, reopened, new HashSet<string>(StringComparer.Ordinal) { key }, effects).ConfigureAwait(false);
        await ReleaseWaitersAsync(tables, met, effects, released).ConfigureAwait(false);
        return released;
    }

    /// <summary>Makes <paramref name="key"/> a member of each of <paramref name="groups"/> (in name order), queueing the groups that were done.</summary>
    private static async Task JoinAllAsync(DependencyTables tables, IEnumerable<string> groups, string key, Queue<string> reopened)
    {
        foreach (var group in groups.Order(StringComparer.Ordinal))
        {
            if (await tables.JoinAsync(group, key).ConfigureAwait(false))
            {
                reopened.Enqueue(group);
            }
        }
    }

    /// <summary>Counts <paramref name="key"/> out of each of <paramref name="groups"/> (in name order), adding the groups now done to <paramref name="met"/>.</summary>
    private static async Task LeaveAllAsync(DependencyTables tables, IEnumerable<string> groups, string key, bool removed, List<string> met)
    {
        foreach (var group in groups.Order(StringComparer.Ordinal))
        {
            if (await tables.LeaveAsync(group, key, removed).ConfigureAwait(false))
            {
                met.Add(JobDependencies.GroupTarget(group));
            }
        }
    }

    /// <summary>Records what <paramref name="key"/> waits on now, with how much of it is unmet (returned), and why if it waits again.</summary>
    private static async Task<long> WaitOnAsync(DependencyTables tables, string key, JobDeps deps, string note = "")
    {
        long unmet = 0;
        foreach (var target in deps.Targets)
        {
            unmet += await tables.UnmetAsync(target).ConfigureAwait(false) ? 1 : 0;
        }

        await tables.PutAsync(key, deps.DepGroups, deps.Targets, unmet, note).ConfigureAwait(false);
        await tables.ForgetAsync(key, removed: false).ConfigureAwait(false);
        await tables.WaitAsync(key, deps.Targets).ConfigureAwait(false);
        return unmet;
    }

    /// <summary>Counts each met target off its waiters; those left with nothing unmet become ready.</summary>
    private static async Task ReleaseWaitersAsync(DependencyTables tables, IEnumerable<string> met, BatchEffects effects, List<JobRecord> released)
    {
        foreach (var target in met)
        {
            foreach (var waiter in await tables.WaitersAsync(target).ConfigureAwait(false))
            {
                if (await tables.AddUnmetAsync(waiter, -1).ConfigureAwait(false) is 0)
                {
                    await ReleaseAsync(tables, waiter, effects, released).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Makes the dependent job <paramref name="key"/> ready, with its change in <paramref name="effects"/>.</summary>
    private static async Task ReleaseAsync(DependencyTables tables, string key, BatchEffects effects, List<JobRecord> released)
    {
        if (await tables.ReleaseAsync(key).ConfigureAwait(false) is { } release)
        {
            effects.Changed(new JobChange(release.Before, release.After, JobChangeKind.Update));
            released.Add(release.After);
        }
    }

    /// <summary>Hands the jobs made ready to the first finishing change of the batch that committed, whose grain announces them.</summary>
    private static void Attach(IReadOnlyList<StoreWrite> batch, IList<WriteOutcome> outcomes, IReadOnlyList<JobRecord> released)
    {
        for (var i = 0; i < batch.Count && released.Count > 0; i++)
        {
            if (batch[i] is JobChange { Kind: JobChangeKind.Archive or JobChangeKind.Delete } && outcomes[i] is Committed)
            {
                outcomes[i] = new Committed { Released = released };
                return;
            }
        }
    }
}
