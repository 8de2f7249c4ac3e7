using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Chaos;

/// <summary>Chaos 6: a drain asked of one manager holds on every manager, one started during the drain included.</summary>
[Collection(ChaosCollection.Name)]
public sealed class ClusterDrainTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_a_drain_through_one_manager_no_manager_hands_out_work_not_even_one_that_starts_during_it()
    {
        await using var cluster = await ChaosCluster.StartAsync(2);
        await using var viaFirst = await cluster.ConnectAsync(cluster.Managers[0]);
        await using var viaSecond = await cluster.ConnectAsync(cluster.Managers[1]);

        // Queues of several scheduler groups, so that queue grains live on both managers; each hands out work first.
        var groups = Enumerable.Range(0, 8).Select(_ => Jobs.UniqueRam()).ToList();
        var rep = Jobs.Unique("chaos-drain");
        await viaFirst.AddAsync(groups.SelectMany(ram => Enumerable.Range(0, 3).Select(i => Jobs.Spec($"echo {ram} {i}", rep, ramMb: ram))), Ct);
        foreach (var ram in groups)
        {
            var job = await viaSecond.ReserveScheduledAsync(TimeSpan.FromSeconds(10), Jobs.GroupFor(ram), Ct);
            Assert.NotNull(job);
            await viaSecond.ReleaseAsync(job, "", TimeSpan.Zero, Ct);
        }

        // A drain lasts while jobs run (then the managers stop): one stays reserved throughout.
        var keeperRam = Jobs.UniqueRam();
        await viaFirst.AddAsync([Jobs.Spec("sleep 600", rep, ramMb: keeperRam)], Ct);
        Assert.NotNull(await viaFirst.ReserveScheduledAsync(TimeSpan.FromSeconds(10), Jobs.GroupFor(keeperRam), Ct));

        await viaFirst.DrainServerAsync(Ct);

        foreach (var ram in groups)
        {
            Assert.Null(await viaSecond.ReserveScheduledAsync(TimeSpan.FromMilliseconds(200), Jobs.GroupFor(ram), Ct));
            Assert.Null(await viaFirst.ReserveScheduledAsync(TimeSpan.FromMilliseconds(200), Jobs.GroupFor(ram), Ct));
        }

        Assert.Null(await viaSecond.ReserveAsync(TimeSpan.FromMilliseconds(500), Ct));
        var late = await cluster.StartManagerAsync();
        await using var viaLate = await cluster.ConnectAsync(late);
        Assert.Equal(ModeNames.Draining, (await viaLate.GetServerInfoAsync(Ct)).Mode);
        Assert.Null(await viaLate.ReserveAsync(TimeSpan.FromMilliseconds(500), Ct));
        foreach (var ram in groups)
        {
            Assert.Null(await viaLate.ReserveScheduledAsync(TimeSpan.FromMilliseconds(200), Jobs.GroupFor(ram), Ct));
        }

        Assert.Equal(groups.Count * 3, (await viaLate.GetRepGroupCountsAsync(rep, Ct)).Sum(c => c.Ready));
    }
}
