using JobQueue.Grains;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>
/// A reserve call can fail after the manager took the job for it (the manager died, the store failed mid-commit):
/// the client gives that job back before its next reserve, instead of leaving it reserved by nobody for a whole lease.
/// </summary>
public sealed class LostAnswerTests(LostAnswerClusterFixture fixture) : IClassFixture<LostAnswerClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, false, false)]
    [InlineData(true, true, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, true)]
    [InlineData(false, true, true)]
    public async Task A_job_whose_reserve_answer_was_lost_is_given_back_and_reserved_again_at_no_cost(bool anyGroup, bool andStart, bool otherFault)
    {
        var client = fixture.NewClient();
        var rep = Jobs.Unique("lost");
        var ram = Jobs.UniqueRam();
        await client.AddAsync([Jobs.Spec($"echo {rep}", rep, ramMb: ram)], Ct);
        var group = anyGroup ? null : Jobs.GroupFor(ram);
        Task<Job?> Reserve() => andStart
            ? client.ReserveAndStartAsync(TimeSpan.FromSeconds(1), group, "host", Ct)
            : anyGroup ? client.ReserveAsync(TimeSpan.FromSeconds(1), Ct) : client.ReserveScheduledAsync(TimeSpan.FromSeconds(1), group!, Ct);

        // Whatever the cluster fails the call with (the manager went away, a message forwarded too often while the
        // managers' view changed) counts as no answer.
        fixture.Faults.Arm(anyGroup ? typeof(IQueueDirectoryGrain) : typeof(IQueueGrain), otherFault ? new OrleansException("forwarding failed (test fault)") : null);
        var failed = await Assert.ThrowsAsync<JobQueueException>(Reserve);
        Assert.Equal(JobQueueErrorKind.NoServer, failed.Kind);
        var taken = Assert.Single(await client.GetByRepGroupAsync(rep, cancellationToken: Ct));
        Assert.Equal(andStart ? JobState.Running : JobState.Reserved, taken.State);
        Assert.Equal(client.ClientId, taken.ReservedBy);

        // The clock stands still: only the give-back, not the lease running out, can make the job available.
        var job = await Reserve().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.NotNull(job);
        Assert.Equal($"echo {rep}", job.Cmd);
        await client.StartedAsync(job, 1234, "host", Ct);
        var running = Assert.Single(await client.GetByRepGroupAsync(rep, cancellationToken: Ct));
        Assert.Equal((JobState.Running, 1234), (running.State, running.Pid));
        Assert.Equal(1, running.Attempts);
    }

    [Fact]
    public async Task A_grant_that_lands_after_the_failed_reserve_was_first_given_back_is_given_back_by_a_later_reserve()
    {
        var client = fixture.NewClient();
        var rep = Jobs.Unique("late");
        var (ram, otherRam) = (Jobs.UniqueRam(), Jobs.UniqueRam());
        await client.AddAsync([Jobs.Spec($"echo {rep}", rep, ramMb: ram), Jobs.Spec($"echo other {rep}", rep, ramMb: otherRam)], Ct);
        Task<Job?> Reserve(int ramMb) => client.ReserveAndStartAsync(TimeSpan.FromSeconds(1), Jobs.GroupFor(ramMb), "host", Ct);

        var key = (await client.GetByCmdAsync($"echo {rep}", "/tmp", cancellationToken: Ct))!.Key;
        fixture.Faults.ArmLate(typeof(IQueueGrain), key);
        var failed = await Assert.ThrowsAsync<JobQueueException>(() => Reserve(ram));
        Assert.Equal(JobQueueErrorKind.NoServer, failed.Kind);

        // The next reserve gives back what the failed one was granted: nothing yet. Then the grant lands.
        var other = await Reserve(otherRam).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal($"echo other {rep}", other?.Cmd);
        fixture.Faults.Land();
        await Eventually.True(
            async () => (await client.GetByCmdAsync($"echo {rep}", "/tmp", cancellationToken: Ct))?.State == JobState.Running,
            TimeSpan.FromSeconds(30),
            "the late grant to land");

        // The clock stands still: only a second give-back, not the lease running out, can make the job available.
        var job = await Reserve(ram).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal($"echo {rep}", job?.Cmd);
        Assert.Equal(1, job!.Attempts);
    }

    [Fact]
    public async Task A_lease_token_too_short_to_be_secret_is_refused_naming_it()
    {
        var queue = fixture.Cluster.Client.GetGrain<IQueueGrain>(Jobs.GroupFor(Jobs.UniqueRam()));
        var refused = await Assert.ThrowsAsync<JobQueueException>(() => queue.Reserve("client/abc", TimeSpan.Zero, null, Ct));
        Assert.Equal(JobQueueErrorKind.BadRequest, refused.Kind);
        Assert.Contains("lease token", refused.Message, StringComparison.Ordinal);
    }
}
