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

        Assert.Contains("was declared dead by the cluster", refused.MessageText, StringComparison.Ordinal);
        Assert.NotNull(await store.GetJobAsync(Job("while alive").Key, ct));
        Assert.Null(await store.GetJobAsync(Job("once dead").Key, ct));
        Assert.Equal(1, (await store.Monitor.GetCountsAsync(null, ct)).Sum(c => c.Count));
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

    protected override async Task<IJobStore> OpenAgainAsync()
    {
        var store = new PostgresJobStore(_database!.ConnectionString);
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        return store;
    }
}
