using JobQueue.Client.Execution;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Execution;

public sealed class LeaseLossTests(ShortLeaseClusterFixture fixture) : IClassFixture<ShortLeaseClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_runner_that_lost_its_lease_kills_its_command_and_cannot_report()
    {
        var client = fixture.Client;
        var spec = new JobSpec { Cmd = "sleep 30", Cwd = "/tmp", RepGroup = Jobs.Unique("lease-loss"), ReqGroup = Jobs.Unique("lease-loss") };
        await client.AddAsync([spec], Ct);
        var queue = (await client.GetByCmdAsync(spec.Cmd, spec.Cwd, cancellationToken: Ct))!.Queue;
        var reserved = (await client.ReserveScheduledAsync(TimeSpan.FromSeconds(10), queue, Ct))!;

        // This runner touches too rarely for the two-second lease, as if it were cut off from the manager.
        var execution = client.ExecuteAsync(reserved, options: new ExecuteOptions { TouchInterval = TimeSpan.FromSeconds(6) }, cancellationToken: Ct);
        await Eventually.True(async () => (await client.GetByCmdAsync(spec.Cmd, spec.Cwd, cancellationToken: Ct))!.State == JobState.Running, what: "the job to start");
        var pid = (await client.GetByCmdAsync(spec.Cmd, spec.Cwd, cancellationToken: Ct))!.Pid;

        var usurper = fixture.NewClient();
        var stolen = await usurper.ReserveScheduledAsync(TimeSpan.FromSeconds(10), queue, Ct);
        Assert.NotNull(stolen);
        using var stopTouching = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var keepLease = KeepLeaseAsync(usurper, stolen, stopTouching.Token);

        var error = await Assert.ThrowsAsync<JobQueueException>(() => execution.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        await stopTouching.CancelAsync();
        await keepLease;
        Assert.Equal(JobQueueErrorKind.MustReserve, error.Kind);
        Assert.False(Directory.Exists($"/proc/{pid}"), "the lost run's command was killed");
        var now = (await client.GetByCmdAsync(spec.Cmd, spec.Cwd, cancellationToken: Ct))!;
        Assert.Equal((JobState.Reserved, stolen.ReservedBy, false), (now.State, now.ReservedBy, now.Exited));
    }

    private static async Task KeepLeaseAsync(JobQueueClient client, Job job, CancellationToken stop)
    {
        using var period = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await period.WaitForNextTickAsync(stop))
            {
                await client.TouchAsync(job, stop);
            }
        }
        catch (OperationCanceledException)
        {
            // Done.
        }
    }
}
