using JobQueue.Grains.Storage;
using JobQueue.Grains.Storage.Dependencies;

namespace JobQueue.Tests.Storage;

/// <summary>Dependencies in the store: a dependent is made ready in the very commit that completes its last dependency.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Completing_the_last_dependency_makes_its_dependents_ready_in_the_same_commit()
    {
        var member = Job("dep member") with { RepGroup = "deps" };
        var other = Job("dep other") with { RepGroup = "deps" };
        var byGroup = Job("dep by group") with { RepGroup = "deps", State = JobState.Dependent };
        var byJob = Job("dep by job") with { RepGroup = "deps", State = JobState.Dependent };
        var deps = new Dictionary<string, JobDeps>
        {
            [member.Key] = new(["grp"], []),
            [other.Key] = new(["grp"], []),
            [byGroup.Key] = new([], [JobDependencies.GroupTarget("grp")]),
            [byJob.Key] = new([], [JobDependencies.JobTarget(member.Key)]),
        };

        var inserted = (Inserted)await Writer.WriteAsync(new InsertJobs([member, other, byGroup, byJob], new Dictionary<string, byte[]>()) { Deps = deps });

        Assert.Equal([JobState.Ready, JobState.Ready, JobState.Dependent, JobState.Dependent], inserted.Jobs.Select(j => j.State));
        Assert.Equal((2, 2), (await CountAsync("deps", JobState.Ready), await CountAsync("deps", JobState.Dependent)));

        var first = await Writer.WriteAsync(Complete(inserted.Jobs[0]));
        Assert.Equal([byJob.Key], ((Committed)first).Released.Select(j => j.Key));
        Assert.Equal(JobState.Ready, (await Store.GetJobAsync(byJob.Key, Ct))!.State);
        Assert.Equal(JobState.Dependent, (await Store.GetJobAsync(byGroup.Key, Ct))!.State);

        var second = await Writer.WriteAsync(Complete(inserted.Jobs[1]));
        var released = Assert.Single(((Committed)second).Released);
        Assert.Equal((byGroup.Key, JobState.Ready), (released.Key, released.State));
        Assert.Equal(released.Version, (await Store.GetJobAsync(byGroup.Key, Ct))!.Version);
        Assert.Equal((2, 0), (await CountAsync("deps", JobState.Ready), await CountAsync("deps", JobState.Dependent)));
        Assert.Equal(2, (await Store.GetReadyAsync("q1", 10, Ct)).Count(e => e.Key == byJob.Key || e.Key == byGroup.Key));
    }

    [Fact]
    public async Task A_job_others_wait_on_is_known_as_such_until_it_completes()
    {
        var member = Job("waited member");
        var dependent = Job("waiting dependent") with { State = JobState.Dependent };
        var deps = new Dictionary<string, JobDeps>
        {
            [member.Key] = new(["wg"], []),
            [dependent.Key] = new([], [JobDependencies.GroupTarget("wg")]),
        };
        var inserted = (Inserted)await Writer.WriteAsync(new InsertJobs([member, dependent], new Dictionary<string, byte[]>()) { Deps = deps });

        Assert.Equal([dependent.Key], await Store.GetWaitingDependentsAsync(member.Key, Ct));
        Assert.Equal(["wg"], await Store.GetKnownDepGroupsAsync(["wg", "nobody"], Ct));
        Assert.Equal((1L, 0L), await Store.GetTargetStateAsync(JobDependencies.GroupTarget("wg"), Ct));

        await Writer.WriteAsync(Complete(inserted.Jobs[0]));
        Assert.Empty(await Store.GetWaitingDependentsAsync(member.Key, Ct));
        Assert.Equal((0L, 0L), await Store.GetTargetStateAsync(JobDependencies.GroupTarget("wg"), Ct));
    }

    private static JobChange Complete(JobRecord job) =>
        new(job, job with { Version = job.Version + 1, State = JobState.Complete, Exited = true, EndedAt = Now }, JobChangeKind.Archive);
}
