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
