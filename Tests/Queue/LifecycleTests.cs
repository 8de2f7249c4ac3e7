using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

public sealed class LifecycleTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failing_job_is_delayed_then_buried_after_its_retries_and_kick_restores_them()
    {
        var rep = Jobs.Unique("retries");
        var ram = Jobs.UniqueRam();
        var group = Jobs.GroupFor(ram);
        await _client.AddAsync([Jobs.Spec("false", rep, retries: 2, ramMb: ram)], Ct);

        var first = await FailOnceAsync(group);
        Assert.Equal(JobState.Delayed, first);
        var afterFirst = await JobAsync("false");
        Assert.Equal((JobState.Delayed, 1, 2, 1), (afterFirst.State, afterFirst.Attempts, afterFirst.UntilBuried, afterFirst.ExitCode));
        Assert.Equal(FailReasons.Exit, afterFirst.FailReason);

        AssertRetryDelay(afterFirst, JobQueueDefaults.ReleaseDelay);

        await AdvancePastDelayAsync();
        Assert.Equal(JobState.Delayed, await FailOnceAsync(group));
        AssertRetryDelay(await JobAsync("false"), JobQueueDefaults.ReleaseDelay * 2);
        await AdvancePastDelayAsync();
        Assert.Equal(JobState.Buried, await FailOnceAsync(group));

        var buried = await JobAsync("false");
        Assert.Equal((JobState.Buried, 3, 0), (buried.State, buried.Attempts, buried.UntilBuried));
        Assert.Equal(1, await _client.KickAsync([JobRef.For("false", "/tmp")], Ct));
        var kicked = await JobAsync("false");
        Assert.Equal((JobState.Ready, 3), (kicked.State, kicked.UntilBuried));
        Assert.NotNull(await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct));
    }

    [Fact]
    public async Task A_release_without_a_failed_run_costs_no_retry()
    {
        var rep = Jobs.Unique("free-release");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec("echo again", rep, retries: 0, ramMb: ram)], Ct);

        for (var i = 0; i < 3; i++)
        {
            var job = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
            Assert.Equal(JobState.Ready, await _client.ReleaseAsync(job, "", TimeSpan.Zero, Ct));
        }

        var released = await JobAsync("echo again");
        Assert.Equal((JobState.Ready, 1, 0), (released.State, released.UntilBuried, released.Attempts));
    }

    [Fact]
    public async Task An_expired_lease_returns_the_job_to_ready_and_fences_out_the_old_holder()
    {
        var rep = Jobs.Unique("expiry");
        var ram = Jobs.UniqueRam();
        var group = Jobs.GroupFor(ram);
        await _client.AddAsync([Jobs.Spec("echo lost", rep, ramMb: ram)], Ct);
        var stale = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct))!;
        await _client.StartedAsync(stale, 100, "dead-host", Ct);

        fixture.Time.Advance(JobQueueDefaults.TimeToRelease + TimeSpan.FromSeconds(1));
        await Eventually.True(async () => (await JobAsync("echo lost")).State == JobState.Ready, what: "lease expiry");

        var other = fixture.NewClient();
        var fresh = (await other.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct))!;
        await other.StartedAsync(fresh, 200, "live-host", Ct);

        var rejected = await Assert.ThrowsAsync<JobQueueException>(() => _client.EndedAsync(stale, 0, 10, TimeSpan.Zero, null, null, Ct));
        Assert.Equal(JobQueueErrorKind.MustReserve, rejected.Kind);
        await other.EndedAsync(fresh, 0, 10, TimeSpan.FromSeconds(1), "ok"u8.ToArray(), null, Ct);
        await other.ArchiveAsync(fresh, Ct);

        var done = (await _client.GetByCmdAsync("echo lost", "/tmp", getStd: true, cancellationToken: Ct))!;
        Assert.Equal((JobState.Complete, "live-host", 200, TimeSpan.FromSeconds(1)), (done.State, done.Host, done.Pid, done.CpuTime));
    }

    [Fact]
    public async Task Touching_a_lease_keeps_it_alive()
    {
        var rep = Jobs.Unique("touch");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec("echo touched", rep, ramMb: ram)], Ct);
        var job = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
        await _client.StartedAsync(job, 1, "h", Ct);

        for (var i = 0; i < 5; i++)
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(40));
            var status = await _client.TouchAsync(job, Ct);
            Assert.False(status.KillRequested);
        }

        Assert.Equal(JobState.Running, (await JobAsync("echo touched")).State);
    }

    [Fact]
    public async Task An_archived_job_can_be_added_again_and_its_history_keeps_both_runs()
    {
        var rep = Jobs.Unique("rerun");
        var ram = Jobs.UniqueRam();
        var spec = Jobs.Spec("echo twice", rep, ramMb: ram);
        await _client.AddAsync([spec], Ct);
        await RunSuccessfullyAsync(Jobs.GroupFor(ram), "first");
        Assert.Equal(JobState.Complete, (await JobAsync("echo twice")).State);

        Assert.Equal(new AddResult(1, 0), await _client.AddAsync([spec], Ct));
        var again = await JobAsync("echo twice");
        Assert.Equal(JobState.Ready, again.State);

        // The first run taught its req group what it needs (Override 0), so the new job queues by that.
        Assert.Equal(("100:30:1", 100), (again.Queue, again.RamMb));
        await RunSuccessfullyAsync(again.Queue, "second");

        var runs = await _client.GetRunsAsync("echo twice", "/tmp", getStd: true, cancellationToken: Ct);
        Assert.Equal(["first", "second"], runs.Select(r => r.Host));

        // As in the model, output is kept for runs that failed only.
        Assert.All(runs, r => Assert.Equal("", r.StdOut));
        Assert.All(runs, r => Assert.Equal(JobState.Complete, r.State));
        var counts = Assert.Single(await _client.GetRepGroupCountsAsync(rep, Ct));
        Assert.Equal((2, 0), (counts.Complete, counts.Incomplete));
    }

    [Fact]
    public async Task Adding_with_skip_completed_leaves_completed_jobs_alone()
    {
        var rep = Jobs.Unique("skip");
        var ram = Jobs.UniqueRam();
        var done = Jobs.Spec("echo done once", rep, ramMb: ram);
        await _client.AddAsync([done], Ct);
        await RunSuccessfullyAsync(Jobs.GroupFor(ram), "once");

        var result = await _client.AddAsync([done, Jobs.Spec("echo new", rep, ramMb: ram) with { ReqGroup = Jobs.Unique("skip-new") }], skipCompleted: true, Ct);

        Assert.Equal(new AddResult(1, 1), result);
        Assert.Equal(JobState.Complete, (await JobAsync("echo done once")).State);
    }

    [Fact]
    public async Task Delete_removes_jobs_that_are_not_running()
    {
        var rep = Jobs.Unique("delete");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec("echo keep", rep, ramMb: ram), Jobs.Spec("echo drop", rep, ramMb: ram, priority: 1)], Ct);
        var running = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
        Assert.Equal("echo drop", running.Cmd);

        var deleted = await _client.DeleteAsync([JobRef.For("echo keep", "/tmp"), JobRef.For("echo drop", "/tmp")], Ct);

        Assert.Equal(1, deleted);
        Assert.Null(await _client.GetByCmdAsync("echo keep", "/tmp", cancellationToken: Ct));
        Assert.Equal(JobState.Reserved, (await JobAsync("echo drop")).State);
        var counts = Assert.Single(await _client.GetRepGroupCountsAsync(rep, Ct));
        Assert.Equal((0, 1), (counts.Ready, counts.Reserved));
    }

    [Fact]
    public async Task Server_stats_count_jobs_by_state()
    {
        var before = await _client.GetServerStatsAsync(Ct);
        var rep = Jobs.Unique("stats");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync(Enumerable.Range(0, 3).Select(i => Jobs.Spec($"echo s{i}", rep, ramMb: ram, retries: 0)), Ct);
        var job = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
        await _client.StartedAsync(job, 1, "h", Ct);

        var after = await _client.GetServerStatsAsync(Ct);

        Assert.Equal(before.Ready + 2, after.Ready);
        Assert.Equal(before.Running + 1, after.Running);
        Assert.True(after.Etc > TimeSpan.FromMinutes(59), $"ETC {after.Etc} should be about the job's hour");
        Assert.Equal("sqlite", after.ServerInfo.Storage);
    }

    private async Task<JobState> FailOnceAsync(string group)
    {
        var job = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct))!;
        await _client.StartedAsync(job, 1, "h", Ct);
        await _client.EndedAsync(job, 1, 5, TimeSpan.FromMilliseconds(3), null, "boom"u8.ToArray(), Ct);
        return await _client.ReleaseAsync(job, FailReasons.Exit, null, Ct);
    }

    /// <summary>The job waits <paramref name="expected"/>, give or take the tenth of jitter.</summary>
    private void AssertRetryDelay(Job job, TimeSpan expected)
    {
        var wait = job.DueAt!.Value - fixture.Time.GetUtcNow();
        Assert.InRange(wait, expected * 0.9, expected * 1.1);
    }

    private async Task AdvancePastDelayAsync()
    {
        var job = await JobAsync("false");
        fixture.Time.Advance(job.DueAt!.Value - fixture.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
        await Eventually.True(async () => (await JobAsync("false")).State == JobState.Ready, what: "delay end");
    }

    private async Task RunSuccessfullyAsync(string group, string host)
    {
        var job = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct))!;
        await _client.StartedAsync(job, 1, host, Ct);
        await _client.EndedAsync(job, 0, 5, TimeSpan.Zero, System.Text.Encoding.UTF8.GetBytes("output of " + host), null, Ct);
        await _client.ArchiveAsync(job, Ct);
    }

    private async Task<Job> JobAsync(string cmd) => (await _client.GetByCmdAsync(cmd, "/tmp", cancellationToken: Ct))!;
}
