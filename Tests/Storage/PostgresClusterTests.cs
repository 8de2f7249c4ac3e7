using JobQueue.Home;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Storage;

/// <summary>Two manager processes forming one Orleans cluster through PostgreSQL (clustering, grain storage, reminders, jobs).</summary>
public sealed class PostgresClusterTests : IAsyncLifetime
{
    private readonly TempDirectory _homes = new("pg-cluster");
    private PostgresDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        _homes.Dispose();
    }

    [Fact]
    public async Task Jobs_added_through_one_silo_are_run_through_the_other_and_survive_a_silo_stopping()
    {
        await using var first = await StartSiloAsync("one");
        await using var second = await StartSiloAsync("two");
        await using var viaFirst = await first.ConnectAsync();
        await using var viaSecond = await second.ConnectAsync();

        var added = await viaFirst.AddAsync(Enumerable.Range(0, 20).Select(i => Jobs.Spec($"echo pg {i}", "cluster")), Ct);
        Assert.Equal(new AddResult(20, 0), added);
        Assert.Equal(new AddResult(0, 20), await viaSecond.AddAsync(Enumerable.Range(0, 20).Select(i => Jobs.Spec($"echo pg {i}", "cluster")), Ct));

        for (var i = 0; i < 5; i++)
        {
            await RunOneAsync(viaSecond);
        }

        await first.StopAsync();

        for (var i = 0; i < 15; i++)
        {
            await RunOneAsync(viaSecond);
        }

        var counts = Assert.Single(await viaSecond.GetRepGroupCountsAsync("cluster", Ct));
        Assert.Equal((20, 0), (counts.Complete, counts.Incomplete));
        var stats = await viaSecond.GetServerStatsAsync(Ct);
        Assert.Equal("postgres", stats.ServerInfo.Storage);
    }

    [Fact]
    public async Task A_manager_that_joins_during_a_drain_drains_too()
    {
        await using var first = await StartSiloAsync("one");
        await using var viaFirst = await first.ConnectAsync();
        await viaFirst.AddAsync([Jobs.Spec("echo running", "drain"), Jobs.Spec("echo waiting", "drain")], Ct);

        // A job still running keeps the drain from completing.
        var running = (await viaFirst.ReserveAsync(TimeSpan.FromSeconds(20), Ct))!;
        await viaFirst.StartedAsync(running, 1, "h", Ct);
        await viaFirst.DrainServerAsync(Ct);

        await using var second = await StartSiloAsync("two");
        await using var viaSecond = await second.ConnectAsync();

        Assert.Equal(ModeNames.Draining, (await viaSecond.GetServerInfoAsync(Ct)).Mode);
        Assert.Null(await viaSecond.ReserveAsync(TimeSpan.FromSeconds(2), Ct));
        Assert.Equal(JobState.Ready, (await viaSecond.GetByCmdAsync("echo waiting", "/tmp", cancellationToken: Ct))!.State);
    }

    [Fact]
    public async Task Two_managers_adding_overlapping_batches_at_once_neither_deadlock_nor_miscount()
    {
        await using var first = await StartSiloAsync("one");
        await using var second = await StartSiloAsync("two");
        await using var viaFirst = await first.ConnectAsync();
        await using var viaSecond = await second.ConnectAsync();

        for (var round = 0; round < 5; round++)
        {
            var rep = $"overlap{round}";
            var jobs = Enumerable.Range(0, 2000).Select(i => Jobs.Spec($"echo overlap {round} {i}", rep)).ToList();
            var results = await Task.WhenAll(viaFirst.AddAsync(jobs, Ct), viaSecond.AddAsync(Enumerable.Reverse(jobs), Ct));

            Assert.Equal((2000, 2000), (results.Sum(r => r.Added), results.Sum(r => r.Existed)));
            Assert.Equal(2000, Assert.Single(await viaFirst.GetRepGroupCountsAsync(rep, Ct)).Ready);
        }
    }

    private static async Task RunOneAsync(JobQueueClient client)
    {
        var job = await client.ReserveAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.NotNull(job);
        await client.StartedAsync(job, 1, "h", Ct);
        await client.EndedAsync(job, 0, 1, TimeSpan.Zero, null, null, Ct);
        await client.ArchiveAsync(job, Ct);
    }

    private Task<ManagerProcess> StartSiloAsync(string name)
    {
        // The managers of a cluster share one certificate authority (jobqueue manager cert export/import).
        var home = Path.Combine(_homes.Path, name);
        if (name != "one")
        {
            ClusterCredentials.ShareAuthority(Path.Combine(_homes.Path, "one"), home);
        }

        return ManagerProcess.StartAsync(
            home,
            "--Storage:Provider", "postgres",
            "--Storage:ConnectionString", _database.ConnectionString,
            "--Manager:ClusterId", "pg-test");
    }
}
