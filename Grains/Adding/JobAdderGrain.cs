using JobQueue.Grains.Learning;
using JobQueue.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobQueue.Grains.Adding;

/// <summary>
/// Adds batches of jobs: validates the whole batch, applies learned requirements, commits it in one transaction
/// (jobs whose key is already incomplete are skipped as existed), then announces the new jobs to their queues.
/// No job grain is activated: a job's grain wakes only when the job is worked on.
/// </summary>
[StatelessWorker]
public sealed partial class JobAdderGrain(
    IJobStore store,
    StoreWriter writer,
    ResourceAdvisor advisor,
    IOptions<JobQueueOptions> options,
    Manager.ModeView mode,
    TimeProvider time,
    ILogger<JobAdderGrain> logger) : Grain, IJobAdderGrain
{
    /// <inheritdoc />
    public async Task<AddResult> Add(AddBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (mode.ShutdownRequested)
        {
            // Shutdown ceases operations at once: nothing more is taken in.
            throw new JobQueueException(JobQueueErrorKind.QueueClosed, "Add", detail: "the manager is shutting down");
        }

        Check(batch);
        var deps = await DependencyCheck.CheckAsync(store, batch).ConfigureAwait(true);
        var now = time.GetUtcNow();
        var recommendations = new Dictionary<string, Recommendation?>(StringComparer.Ordinal);
        var records = new List<JobRecord>(batch.Jobs.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (batch.SkipCompleted)
        {
            // Jobs with a completed run are not run again: they count as existed (the history index answers this).
            var completed = await store.Monitor.GetLatestRunsAsync([.. batch.Jobs.Select(j => j.Key)], false, CancellationToken.None).ConfigureAwait(true);
            seen.UnionWith(completed.Select(r => r.Key));
        }

        for (var i = 0; i < batch.Jobs.Count; i++)
        {
            var spec = batch.Jobs[i];
            var key = spec.Key;
            if (!seen.Add(key))
            {
                continue;
            }

            var reqGroup = string.IsNullOrWhiteSpace(spec.ReqGroup) ? Requirements.DefaultReqGroup(spec.Cmd) : spec.ReqGroup;
            if (!recommendations.TryGetValue(reqGroup, out var recommendation))
            {
                recommendation = await advisor.RecommendAsync(reqGroup).ConfigureAwait(true);
                recommendations[reqGroup] = recommendation;
            }

            var record = new JobRecord
            {
                Key = key,
                Version = 1,
                Cmd = spec.Cmd,
                Cwd = spec.Cwd,
                RepGroup = spec.RepGroup,
                ReqGroup = reqGroup,
                UserRamMb = spec.RamMb,
                UserTime = spec.Time,
                Cores = spec.Cores == 0 ? JobQueueDefaults.Cores : spec.Cores,
                Override = spec.Override,
                Priority = spec.Priority,
                Retries = spec.Retries,
                EnvKey = batch.EnvKeys[i],
                // Only the limit groups: the requirements part follows from learning, below.
                Queue = SchedulerGroup.LimitSuffix(LimitGroups.Names(spec.LimitGroups)),
                State = spec.HasDependencies ? JobState.Dependent : JobState.Ready,
                UntilBuried = spec.Retries + 1,
                AddedAt = now,
            };
            records.Add(Requirements.Apply(record, recommendation));
        }

        // Limits set while adding ("irods:10") hold before the jobs exist.
        await Limits.LimitSetter.SetGivenAsync(store, GrainFactory, batch.Jobs.SelectMany(j => j.LimitGroups ?? [])).ConfigureAwait(true);

        var envs = batch.Envs.Where(e => batch.EnvKeys.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var outcome = (Inserted)await writer.WriteAsync(new InsertJobs(records, envs) { Deps = deps }).ConfigureAwait(true);
        await Queue.Announcements.JobsReadyAsync(GrainFactory, outcome.Jobs.Where(j => j.State == JobState.Ready), (ex, queue, _) => LogAnnounceFailed(logger, ex, queue)).ConfigureAwait(true);
        return new AddResult(outcome.Jobs.Count, batch.Jobs.Count - outcome.Jobs.Count);
    }

    private void Check(AddBatch batch)
    {
        if (batch.Jobs.Count > options.Value.MaxAddBatch)
        {
            throw new JobQueueException(JobQueueErrorKind.BadRequest, "Add", detail: $"a batch holds at most {options.Value.MaxAddBatch} jobs; the client splits larger adds");
        }

        if (batch.EnvKeys.Count != batch.Jobs.Count)
        {
            throw new JobQueueException(JobQueueErrorKind.BadRequest, "Add", detail: "every job needs an environment key");
        }

        var problems = JobSpecValidator.Validate(batch.Jobs, batch.FirstIndex).ToList();
        for (var i = 0; i < batch.EnvKeys.Count; i++)
        {
            if (!batch.Envs.ContainsKey(batch.EnvKeys[i]))
            {
                problems.Add(new JobProblem(batch.FirstIndex + i, null, nameof(JobSpec.Env), "refers to an environment that was not sent"));
            }
        }

        if (problems.Count > 0)
        {
            throw new JobQueueException("Add", problems);
        }
    }
}
