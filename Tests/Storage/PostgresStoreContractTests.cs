using JobQueue.Grains.Storage;
using JobQueue.Grains.Storage.Postgres;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Storage;

public sealed class PostgresStoreContractTests : StoreContractTests
{
    private PostgresDatabase? _database;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_batch_of_a_manager_the_cluster_declared_dead_is_refused_whole()
    {
        var store = (PostgresJobStore)Store;
        store.FenceBy(() => ("fenced", "10.1.2.3", 11111, 42));
        await ExecuteSqlAsync("INSERT INTO orleansmembershipversiontable (deploymentid) VALUES ('fenced') ON CONFLICT DO NOTHING");
        await ExecuteSqlAsync(
            "INSERT INTO orleansmembershiptable (deploymentid, address, port, generation, siloname, hostname, status, starttime, iamalivetime) " +
            "VALUES ('fenced', '10.1.2.3', 11111, 42, 's', 'h', 3, now(), now())");
        var ct = TestContext.Current.CancellationToken;

        await store.WriteAsync([new InsertJobs([Job("while alive")], new Dictionary<string, byte[]>())], ct);
        await ExecuteSqlAsync("UPDATE orleansmembershiptable SET status = 6 WHERE deploymentid = 'fenced'");
        var refused = await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => store.WriteAsync([new InsertJobs([Job("once dead")], new Dictionary<string, byte[]>())], ct));

        // A batch of job changes only (one round trip with its counters) is refused the same way.
        var alive = (await store.GetJobAsync(Job("while alive").Key, ct))!;
        var change = new JobChange(alive, alive with { Version = alive.Version + 1, State = JobState.Buried }, JobChangeKind.Update);
        var changeRefused = await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => store.WriteAsync([change], ct));

        Assert.Contains("was declared dead by the cluster", refused.MessageText, StringComparison.Ordinal);
        Assert.Contains("was declared dead by the cluster", changeRefused.MessageText, StringComparison.Ordinal);
        var stored = (await store.GetJobAsync(alive.Key, ct))!;
        Assert.Equal((JobState.Ready, alive.Version), (stored.State, stored.Version));
        Assert.Null(await store.GetJobAsync(Job("once dead").Key, ct));
        var counts = Assert.Single(await store.Monitor.GetCountsAsync(null, ct));
        Assert.Equal((JobState.Ready, 1L), (counts.Key.State, counts.Count));
    }

    [Fact]
    public async Task Managers_keep_counters_in_shards_of_their_own_and_every_read_sums_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = (PostgresJobStore)Store;
        first.ShardBy("10.0.0.1:11111");
        await using var second = (PostgresJobStore)await OpenAgainAsync();
        second.ShardBy("10.0.0.2:11111");
        Assert.NotEqual(first.Shard, second.Shard);

        await first.WriteAsync([new InsertJobs([Job("one"), Job("two")], new Dictionary<string, byte[]>())], ct);
        await second.WriteAsync([new InsertJobs([Job("three")], new Dictionary<string, byte[]>())], ct);

        var counts = Assert.Single(await first.Monitor.GetCountsAsync(null, ct));
        Assert.Equal((JobState.Ready, 3L), (counts.Key.State, counts.Count));
        Assert.Equal(3, Assert.Single(await second.Monitor.GetCountsAsync(Job("one").RepGroup, ct)).Count);
        Assert.Equal(2L, await ScalarAsync("SELECT COUNT(*) FROM jq_counts"));
    }

    protected override async Task<IJobStore> CreateStoreAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        return new PostgresJobStore(_database.ConnectionString);
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database!.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new Npgsql.NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database!.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new Npgsql.NpgsqlCommand(sql, connection);
        return (long)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    protected override async Task<IJobStore> OpenAgainAsync()
    {
        var store = new PostgresJobStore(_database!.ConnectionString);
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        return store;
    }
}
