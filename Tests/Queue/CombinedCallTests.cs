using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>The one-call end of a successful run that runners use, against the model's two calls.</summary>
public sealed class CombinedCallTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ended_and_archive_in_one_call_completes_a_job_exactly_as_the_two_calls_do()
    {
        var rep = Jobs.Unique("combined");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec($"echo two-{rep}", rep, ramMb: ram), Jobs.Spec($"echo one-{rep}", rep, ramMb: ram)], Ct);

        var two = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
        var one = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
        await _client.StartedAsync(two, 11, "host", Ct);
        await _client.StartedAsync(one, 12, "host", Ct);
        fixture.Time.Advance(TimeSpan.FromSeconds(3));
        await _client.EndedAsync(two, 0, 42, TimeSpan.FromSeconds(2), null, null, Ct);
        await _client.ArchiveAsync(two, Ct);
        await _client.EndedAndArchiveAsync(one, 42, TimeSpan.FromSeconds(2), null, null, Ct);

        var runTwo = Assert.Single(await _client.GetRunsAsync(two.Cmd, two.Cwd, cancellationToken: Ct));
        var runOne = Assert.Single(await _client.GetRunsAsync(one.Cmd, one.Cwd, cancellationToken: Ct));
        Assert.Equal(JobState.Complete, runOne.State);
        Assert.Equal(
            (runTwo.State, runTwo.Exited, runTwo.ExitCode, runTwo.PeakRamMb, runTwo.CpuTime, runTwo.Walltime, runTwo.FailReason, runTwo.Attempts, runTwo.Host),
            (runOne.State, runOne.Exited, runOne.ExitCode, runOne.PeakRamMb, runOne.CpuTime, runOne.Walltime, runOne.FailReason, runOne.Attempts, runOne.Host));
        Assert.Equal(TimeSpan.FromSeconds(3), runOne.Walltime);
        var counts = Assert.Single(await _client.GetRepGroupCountsAsync(rep, Ct));
        Assert.Equal((2, 0), (counts.Complete, counts.Incomplete));

        // The lease ended with the job: a late repeat is refused, as a repeated archive is.
        var repeat = await Assert.ThrowsAsync<JobQueueException>(() => _client.EndedAndArchiveAsync(one, 42, TimeSpan.Zero, null, null, Ct));
        Assert.Contains(repeat.Kind, new[] { JobQueueErrorKind.MustReserve, JobQueueErrorKind.MissingJob });
    }

    [Fact]
    public async Task Ended_and_archive_of_a_job_that_never_started_is_refused_and_leaves_it_reserved()
    {
        var rep = Jobs.Unique("unstarted");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec($"echo {rep}", rep, ramMb: ram)], Ct);
        var job = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;

        var refused = await Assert.ThrowsAsync<JobQueueException>(() => _client.EndedAndArchiveAsync(job, 1, TimeSpan.Zero, null, null, Ct));
        Assert.Equal(JobQueueErrorKind.BadJob, refused.Kind);
        Assert.Equal(JobState.Reserved, (await _client.GetByCmdAsync(job.Cmd, job.Cwd, cancellationToken: Ct))!.State);
    }
}
