using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>Drain and shutdown as the model documents them.</summary>
public sealed class DrainAndShutdownTests(DrainingClusterFixture fixture) : IClassFixture<DrainingClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task While_draining_reserve_finds_nothing_without_error_and_after_shutdown_adds_fail()
    {
        var client = fixture.Client;
        var ram = Jobs.UniqueRam();
        await client.AddAsync([Jobs.Spec("echo waiting", Jobs.Unique("drain"), ramMb: ram)], Ct);

        await client.DrainServerAsync(Ct);
        var reserve = client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct);
        await Eventually.True(() =>
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            return reserve.IsCompleted;
        });

        Assert.Null(await reserve);
        Assert.Equal(ModeNames.Draining, (await client.GetServerInfoAsync(Ct)).Mode);
        Assert.Equal(JobState.Ready, (await client.GetByCmdAsync("echo waiting", "/tmp", cancellationToken: Ct))!.State);

        await client.ShutdownServerAsync(Ct);
        var refused = await Assert.ThrowsAsync<JobQueueException>(() => client.AddAsync([Jobs.Spec("echo too late", Jobs.Unique("drain"))], Ct));
        Assert.Equal(JobQueueErrorKind.QueueClosed, refused.Kind);
        Assert.Null(await client.GetByCmdAsync("echo too late", "/tmp", cancellationToken: Ct));
    }
}
