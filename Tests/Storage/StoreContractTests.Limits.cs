using JobQueue.Grains.Storage;

namespace JobQueue.Tests.Storage;

/// <summary>Limit groups in the store: a lease takes a slot of each group in its own commit, every end of a lease gives it back.</summary>
public abstract partial class StoreContractTests
{
    private static readonly string Limited = SchedulerGroup.For(100, TimeSpan.FromHours(1), 1, ["lg"]);

    [Fact]
    public async Task A_lease_takes_a_slot_of_its_limit_group_and_the_lease_that_does_not_fit_is_refused_alone()
    {
        await Store.SetLimitAsync("lg", 2, Ct);
        var jobs = (await InsertAsync(Job("slot a", queue: Limited), Job("slot b", queue: Limited), Job("slot c", queue: Limited), Job("free"))).Jobs.ToList();

        var outcomes = await Store.WriteAsync([.. jobs.Select(j => (StoreWrite)Lease(j))], Ct);

        Assert.Equal([typeof(Committed), typeof(Committed), typeof(LimitFull), typeof(Committed)], outcomes.Select(o => o.GetType()));
        Assert.Equal("lg", ((LimitFull)outcomes[2]).Group);
        Assert.Equal(JobState.Ready, (await Store.GetJobAsync(jobs[2].Key, Ct))!.State);
        Assert.Equal((1, 3), (await CountAsync("rep", JobState.Ready), await CountAsync("rep", JobState.Reserved)));
        Assert.Equal([new LimitGroupInfo("lg", 2, 2)], await Store.GetLimitsAsync(Ct));
    }

    [Fact]
    public async Task Every_end_of_a_lease_gives_its_slot_back_and_a_slot_given_back_in_a_batch_serves_a_lease_in_it()
    {
        await Store.SetLimitAsync("lg", 1, Ct);
        var jobs = (await InsertAsync(Job("end a", queue: Limited), Job("end b", queue: Limited))).Jobs.ToList();
        var a = Lease(jobs[0]).After!;
        Assert.IsType<Committed>(await Writer.WriteAsync(Lease(jobs[0])));
        Assert.IsType<LimitFull>(await Writer.WriteAsync(Lease(jobs[1])));

        // a is released and b leased in one batch: the slot moves.
        var released = a with { Version = a.Version + 1, State = JobState.Ready, ReservedBy = null, DueAt = null };
        var outcomes = await Store.WriteAsync([new JobChange(a, released, JobChangeKind.Update), Lease(jobs[1])], Ct);
        Assert.Equal([typeof(Committed), typeof(Committed)], outcomes.Select(o => o.GetType()));
        Assert.Equal(1, Assert.Single(await Store.GetLimitsAsync(Ct)).Running);

        // Burial, completion and a lease run out (back to ready) each give it back.
        var b = Lease(jobs[1]).After!;
        foreach (var end in new Func<JobRecord, JobChange>[]
        {
            r => new JobChange(r, r with { Version = r.Version + 1, State = JobState.Buried, ReservedBy = null }, JobChangeKind.Update),
            r => new JobChange(r, r with { Version = r.Version + 1, State = JobState.Complete, ReservedBy = null, Exited = true, EndedAt = Now }, JobChangeKind.Archive),
            r => new JobChange(r, r with { Version = r.Version + 1, State = JobState.Ready, ReservedBy = null }, JobChangeKind.Update),
        })
        {
            Assert.IsType<Committed>(await Writer.WriteAsync(end(b)));
            Assert.Equal(0, Assert.Single(await Store.GetLimitsAsync(Ct)).Running);
            var again = (await InsertAsync(Job($"end again {Guid.NewGuid():N}", queue: Limited))).Jobs.Single();
            Assert.IsType<Committed>(await Writer.WriteAsync(Lease(again)));
            b = Lease(again).After!;
        }
    }

    [Fact]
    public async Task A_job_in_two_groups_needs_a_slot_of_both_and_takes_neither_when_one_is_full()
    {
        await Store.SetLimitAsync("lg", 1, Ct);
        var both = SchedulerGroup.For(100, TimeSpan.FromHours(1), 1, ["lg", "other"]);
        var jobs = (await InsertAsync(Job("only lg", queue: Limited), Job("lg and other", queue: both))).Jobs.ToList();
        Assert.IsType<Committed>(await Writer.WriteAsync(Lease(jobs[0])));

        Assert.Equal(new LimitFull("lg"), await Writer.WriteAsync(Lease(jobs[1])));

        // "other" has no limit, and holds no slot for the refused lease.
        Assert.Equal([new LimitGroupInfo("lg", 1, 1)], await Store.GetLimitsAsync(Ct));
        await Store.SetLimitAsync("lg", null, Ct);
        Assert.IsType<Committed>(await Writer.WriteAsync(Lease(jobs[1])));
        Assert.Equal([new LimitGroupInfo("lg", null, 2), new LimitGroupInfo("other", null, 1)], await Store.GetLimitsAsync(Ct));
    }

    [Fact]
    public async Task Two_managers_leasing_at_once_never_exceed_a_limit_between_them()
    {
        await Store.SetLimitAsync("lg", 3, Ct);
        await using var other = await OpenAgainAsync();
        var jobs = (await InsertAsync([.. Enumerable.Range(0, 20).Select(i => Job($"race {i}", queue: Limited))])).Jobs.ToList();

        // Each manager leases half the jobs, a few per batch, at the same time.
        var outcomes = await Task.WhenAll(
            Task.Run(() => LeaseAllAsync(Store, jobs.Where((_, i) => i % 2 == 0))),
            Task.Run(() => LeaseAllAsync(other, jobs.Where((_, i) => i % 2 == 1))));

        Assert.Equal(3, outcomes.SelectMany(o => o).Count(o => o is Committed));
        Assert.Equal(3, await CountAsync("rep", JobState.Reserved));
        Assert.Equal([new LimitGroupInfo("lg", 3, 3)], await Store.GetLimitsAsync(Ct));
    }

    private static async Task<List<WriteOutcome>> LeaseAllAsync(IJobStore store, IEnumerable<JobRecord> jobs)
    {
        var outcomes = new List<WriteOutcome>();
        foreach (var batch in jobs.Chunk(2))
        {
            outcomes.AddRange(await store.WriteAsync([.. batch.Select(j => (StoreWrite)Lease(j))], Ct));
        }

        return outcomes;
    }

    private static JobChange Lease(JobRecord job) =>
        new(job, job with { Version = job.Version + 1, State = JobState.Reserved, ReservedBy = $"me/{job.Cmd}", DueAt = Now }, JobChangeKind.Update);
}
