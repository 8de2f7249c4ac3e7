using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>Reserve and start in one call and one commit, as runners do, against the model's reserve then started.</summary>
public sealed class ReserveAndStartTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reserve_and_start_leaves_the_job_running_on_its_host_and_its_run_ends_as_after_the_two_calls()
    {
        var rep = Jobs.Unique("reserve-start");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec($"echo two-{rep}", rep, ramMb: ram), Jobs.Spec($"echo one-{rep}", rep, ramMb: ram)], Ct);

        var two = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
        await _client.StartedAsync(two, 11, "node-7", Ct);
        var one = await _client.ReserveAndStartAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), "node-7", Ct);

        Assert.NotNull(one);
        Assert.Equal($"echo one-{rep}", one.Cmd);
        Assert.Equal((JobState.Running, "node-7", 0, 1, _client.ClientId), (one.State, one.Host, one.Pid, one.Attempts, one.ReservedBy));
        var stored = await _client.GetByCmdAsync(one.Cmd, one.Cwd, cancellationToken: Ct);
        Assert.Equal((JobState.Running, "node-7", 0), (stored!.State, stored.Host, stored.Pid));
        Assert.Equal((0L, 2L), Counts(Assert.Single(await _client.GetRepGroupCountsAsync(rep, Ct))));

        Assert.Contains(await _client.WhyAsync(stored, Ct), r => r.StartsWith("it is running on node-7 (starting; its pid is not reported yet)", StringComparison.Ordinal));

        // Its pid, once known, is recorded by the model's call.
        await _client.StartedAsync(one, 12, "node-7", Ct);
        var withPid = (await _client.GetByCmdAsync(one.Cmd, one.Cwd, cancellationToken: Ct))!;
        Assert.Equal(12, withPid.Pid);
        Assert.Contains(await _client.WhyAsync(withPid, Ct), r => r.StartsWith("it is running on node-7 (pid 12)", StringComparison.Ordinal));

        fixture.Time.Advance(TimeSpan.FromSeconds(3));
        await _client.EndedAndArchiveAsync(two, 42, TimeSpan.FromSeconds(2), null, null, Ct);
        await _client.EndedAndArchiveAsync(one, 42, TimeSpan.FromSeconds(2), null, null, Ct);
        var runTwo = Assert.Single(await _client.GetRunsAsync(two.Cmd, two.Cwd, cancellationToken: Ct));
        var runOne = Assert.Single(await _client.GetRunsAsync(one.Cmd, one.Cwd, cancellationToken: Ct));
        Assert.Equal(
            (runTwo.State, runTwo.ExitCode, runTwo.PeakRamMb, runTwo.CpuTime, runTwo.Walltime, runTwo.FailReason, runTwo.Attempts, runTwo.Host),
            (runOne.State, runOne.ExitCode, runOne.PeakRamMb, runOne.CpuTime, runOne.Walltime, runOne.FailReason, runOne.Attempts, runOne.Host));
        Assert.Equal((JobState.Complete, TimeSpan.FromSeconds(3), 12), (runOne.State, runOne.Walltime, runOne.Pid));
        var counts = Assert.Single(await _client.GetRepGroupCountsAsync(rep, Ct));
        Assert.Equal((2, 0), (counts.Complete, counts.Incomplete));
    }

    [Fact]
    public async Task A_job_given_back_before_its_command_ran_counts_no_attempt_and_spends_no_retry()
    {
        var rep = Jobs.Unique("reserve-start-back");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec($"echo {rep}", rep, ramMb: ram) with { Retries = 0 }], Ct);
        var group = Jobs.GroupFor(ram);

        // The command could not be spawned: given back with the start reason, which costs a job only reserved nothing.
        var job = (await _client.ReserveAndStartAsync(TimeSpan.FromSeconds(5), group, "node-1", Ct))!;
        Assert.Equal(JobState.Ready, await _client.ReleaseAsync(job, FailReasons.Start, TimeSpan.Zero, Ct));
        var back = (await _client.GetByCmdAsync(job.Cmd, job.Cwd, cancellationToken: Ct))!;
        Assert.Equal((JobState.Ready, 0, 1, null), (back.State, back.Attempts, back.UntilBuried, back.StartedAt));

        // Its working directory is missing: buried, still without an attempt.
        job = (await _client.ReserveAndStartAsync(TimeSpan.FromSeconds(5), group, "node-1", Ct))!;
        Assert.Equal(1, job.Attempts);
        await _client.BuryAsync(job, FailReasons.Cwd, Ct);
        var buried = (await _client.GetByCmdAsync(job.Cmd, job.Cwd, cancellationToken: Ct))!;
        Assert.Equal((JobState.Buried, 0, FailReasons.Cwd), (buried.State, buried.Attempts, buried.FailReason));
    }

    [Fact]
    public async Task A_job_started_when_reserved_whose_runner_vanished_is_ready_again_after_its_lease()
    {
        var rep = Jobs.Unique("reserve-start-lost");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec($"echo {rep}", rep, ramMb: ram)], Ct);
        var job = (await _client.ReserveAndStartAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), "node-2", Ct))!;

        fixture.Time.Advance(job.Lease + TimeSpan.FromSeconds(1));

        var again = await Eventually.Get(
            () => _client.GetByCmdAsync(job.Cmd, job.Cwd, cancellationToken: Ct),
            j => j?.State == JobState.Ready,
            what: "the job's lease ran out");
        // Its attempt counts: the manager cannot tell whether the command ran before its runner went.
        Assert.Equal((1, null, 0), (again!.Attempts, again.ReservedBy, again.Pid));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_runner_that_stalled_for_its_whole_lease_after_reserving_does_not_run_the_command(bool andStart)
    {
        using var scratch = new TempDirectory("stalled");
        var ran = Path.Combine(scratch.Path, "ran");
        var rep = Jobs.Unique("reserve-start-stalled");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec($"touch {ran}", rep, ramMb: ram)], Ct);
        var job = andStart
            ? await _client.ReserveAndStartAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), "node-5", Ct)
            : await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct);

        // Frozen (or swapped out) between taking the job and running it, for as long as the lease lasts.
        fixture.Time.Advance(job!.Lease);

        var lost = await Assert.ThrowsAsync<JobQueueException>(() => _client.ExecuteAsync(job, "bash", cancellationToken: Ct));
        Assert.Equal(JobQueueErrorKind.MustReserve, lost.Kind);
        Assert.Contains("not run", lost.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(ran), "the command ran although its lease may have passed to another runner");
    }

    [Fact]
    public async Task A_started_report_without_a_process_id_is_refused_naming_it()
    {
        var rep = Jobs.Unique("reserve-start-pid");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec($"echo {rep}", rep, ramMb: ram)], Ct);
        var job = (await _client.ReserveAndStartAsync(TimeSpan.FromSeconds(5), null, "node-3", Ct))!;

        var refused = await Assert.ThrowsAsync<JobQueueException>(() => _client.StartedAsync(job, 0, "node-3", Ct));
        Assert.Equal(JobQueueErrorKind.BadRequest, refused.Kind);
        Assert.Contains("pid", refused.Message, StringComparison.Ordinal);
        var noHost = await Assert.ThrowsAsync<JobQueueException>(() => _client.ReserveAndStartAsync(TimeSpan.FromSeconds(1), null, " ", Ct));
        Assert.Contains("host", noHost.Message, StringComparison.Ordinal);
        var unchanged = (await _client.GetByCmdAsync(job.Cmd, job.Cwd, cancellationToken: Ct))!;
        Assert.Equal((JobState.Running, 0, "node-3"), (unchanged.State, unchanged.Pid, unchanged.Host));
    }

    private static (long Reserved, long Running) Counts(RepGroupCounts counts) => (counts.Reserved, counts.Running);
}
