using JobQueue.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace JobQueue.Grains.Queries;

/// <summary>Selects jobs on the server and acts on each through its grain, a bounded number at a time.</summary>
[StatelessWorker]
public sealed partial class JobActionGrain(IJobStore store, Jobs.OfferedRows offered, ILogger<JobActionGrain> logger) : Grain, IJobActionGrain
{
    // Calls in flight: enough that the writer's batches are large. On PostgreSQL, where each batch costs round trips
    // and a commit, 1,024 rather than 256 took a retry of 100,000 jobs from 8.5 to 6.0-6.7 s (SQLite: no change).
    private const int Parallel = 1024;

    // How many rows of a step are read at once: small enough that the next part is read before the calls of this one
    // have run out.
    private const int ReadPart = 1000;

    /// <inheritdoc />
    public Task<BulkResult> Apply(JobFilter filter, BulkAction action, string? after)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (applies, first, last) = action switch
        {
            BulkAction.Kick => ((Func<JobState, bool>)(s => s == JobState.Buried), JobState.Buried, JobState.Buried),
            BulkAction.Delete or BulkAction.DeleteWithDependents => (NotLeasedOrComplete, JobState.Dependent, JobState.Buried),
            BulkAction.Kill => (s => s.IsLeased(), JobState.Reserved, JobState.Running),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not a bulk action"),
        };
        return StepAsync(filter, after, applies, first, last, job => Act(job, action), offer: action == BulkAction.Kick);
    }

    /// <inheritdoc />
    public async Task<BulkResult> Modify(JobFilter filter, JobModification changes, string? after)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Problems() is { Count: > 0 } problems)
        {
            throw new JobQueueException(JobQueueErrorKind.BadRequest, "Modify", detail: string.Join("; ", problems.Select(p => $"{p.Field} {p.Problem}")));
        }

        if (after is null)
        {
            await CheckDependenciesAsync(changes).ConfigureAwait(true);
            if (changes.ChangesDependencies)
            {
                await ModifyCycleCheck.ThrowIfCycleAsync(store, filter, changes).ConfigureAwait(true);
            }

            await Limits.LimitSetter.SetGivenAsync(store, GrainFactory, changes.LimitGroups ?? []).ConfigureAwait(true);
        }

        return await StepAsync(filter, after, NotLeasedOrComplete, JobState.Dependent, JobState.Buried, job => job.ModifyInBulk(changes), offer: true).ConfigureAwait(true);
    }

    /// <summary>New dependencies must name groups that have members and jobs that exist, as an add's must.</summary>
    private async Task CheckDependenciesAsync(JobModification changes)
    {
        var (emptyGroups, unknownKeys) = await Adding.DependencyCheck.MissingAsync(store, changes.Deps ?? [], (changes.CmdDeps ?? []).Select(r => r.Key)).ConfigureAwait(true);
        var problems = emptyGroups.Order(StringComparer.Ordinal).Select(g => $"Deps: dependency group \"{g}\" has no member")
            .Concat(unknownKeys.Order(StringComparer.Ordinal).Select(k => $"CmdDeps: job {k} was never added"))
            .ToList();
        if (problems.Count > 0)
        {
            throw new JobQueueException(JobQueueErrorKind.BadRequest, "Modify", detail: string.Join("; ", problems));
        }
    }

    private static bool NotLeasedOrComplete(JobState state) => !state.IsLeased() && state != JobState.Complete;

    private async Task<BulkResult> StepAsync(JobFilter filter, string? after, Func<JobState, bool> applies, JobState first, JobState last, Func<IJobGrain, Task<BulkOutcome>> act, bool offer)
    {
        if (filter.State is { } only && !applies(only))
        {
            return new BulkResult(0, null);
        }

        // A window of calls in flight rather than chunks: the writer's batches stay full instead of draining at the
        // end of each chunk. The step is read a part at a time, each part while the calls of the one before it run, so
        // the database reads while the grains and the writer work rather than in between.
        var affected = 0;
        var ready = new List<(string Queue, ReadyEntry Entry)>();
        using var window = new SemaphoreSlim(Parallel);
        var calls = new List<Task>();
        var seen = new List<JobRecord>();
        JobCursor? next;
        try
        {
            next = await StartCallsAsync().ConfigureAwait(true);
        }
        finally
        {
            // Calls already made run to their end before their rows are withdrawn, even when a later read failed.
            try
            {
                await Task.WhenAll(calls).ConfigureAwait(true);
            }
            finally
            {
                if (offer)
                {
                    offered.Withdraw(seen);
                }
            }
        }

        // Each queue learns of its jobs made ready once, not once per job.
        await Queue.Announcements.JobsReadyAsync(GrainFactory, ready, (ex, queue, key) => LogQueueNotifyFailed(logger, ex, key, queue)).ConfigureAwait(true);

        return new BulkResult(affected, next?.ToString());

        // Reads the step a part at a time, making each part's calls; the cursor after the step.
        async Task<JobCursor?> StartCallsAsync()
        {
            var read = BulkPages.NextAsync(store, filter, after is null ? null : JobCursor.Parse(after), first, last, ReadPart);
            while (true)
            {
                var (chosen, cursor) = await read.ConfigureAwait(true);
                var more = cursor is not null && seen.Count + chosen.Count < JobQueueDefaults.BulkStepSize;
                if (more)
                {
                    read = BulkPages.NextAsync(store, filter, cursor, first, last, ReadPart);
                }

                // Grains not in memory take their rows from this step's read rather than each reading its own (retry
                // and mod take them; remove and kill read their own).
                if (offer)
                {
                    offered.Offer(chosen);
                }

                seen.AddRange(chosen);
                calls.AddRange(chosen.Where(j => applies(j.State)).Select(CallAsync));
                if (!more)
                {
                    return cursor;
                }
            }
        }

        async Task CallAsync(JobRecord job)
        {
            await window.WaitAsync().ConfigureAwait(true);
            try
            {
                var outcome = await act(GrainFactory.GetJobGrain(job.Key)).ConfigureAwait(true);
                affected += outcome.Done ? 1 : 0;
                if (outcome is { Queue: { } queue, Ready: { } entry })
                {
                    ready.Add((queue, entry));
                }
            }
            finally
            {
                window.Release();
            }
        }
    }

    /// <inheritdoc />
    public async Task<bool> Abandon(string lease)
    {
        if (Leases.TokenOf(lease) is null)
        {
            throw new JobQueueException(JobQueueErrorKind.BadRequest, "Abandon", detail: "a lease \"clientId/token\" is required");
        }

        var given = false;
        foreach (var key in await store.Monitor.GetReservedUnderAsync(lease, CancellationToken.None).ConfigureAwait(true))
        {
            // A release before the command started costs the job no attempt.
            try
            {
                given |= await GrainFactory.GetJobGrain(key).Release(lease, "", TimeSpan.Zero).ConfigureAwait(true) == JobState.Ready;
            }
            catch (JobQueueException ex) when (ex.Kind is JobQueueErrorKind.MustReserve or JobQueueErrorKind.MissingJob)
            {
                // Its lease ran out and it was reclaimed in the meantime: nothing left to give back.
            }
        }

        return given;
    }

    private async Task<BulkOutcome> Act(IJobGrain job, BulkAction action) => action switch
    {
        BulkAction.Kick => await job.KickInBulk().ConfigureAwait(true),
        BulkAction.Delete => Done(await job.Delete().ConfigureAwait(true)),
        BulkAction.DeleteWithDependents => Done(await DeleteWithDependentsAsync(job.GetPrimaryKeyString(), new HashSet<string>(StringComparer.Ordinal)).ConfigureAwait(true)),
        _ => Done(await job.Kill().ConfigureAwait(true)),
    };

    private static BulkOutcome Done(bool done) => done ? BulkOutcome.Applied : BulkOutcome.NotApplied;

    /// <summary>Removes the jobs that wait on <paramref name="key"/> (theirs first), then the job itself.</summary>
    private async Task<bool> DeleteWithDependentsAsync(string key, HashSet<string> seen)
    {
        foreach (var dependent in await store.GetWaitingDependentsAsync(key, CancellationToken.None).ConfigureAwait(true))
        {
            if (seen.Add(dependent))
            {
                await DeleteWithDependentsAsync(dependent, seen).ConfigureAwait(true);
            }
        }

        return await GrainFactory.GetJobGrain(key).Delete().ConfigureAwait(true);
    }
}
