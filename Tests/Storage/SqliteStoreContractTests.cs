using JobQueue.Grains.Storage;
using JobQueue.Grains.Storage.Sqlite;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Storage;

public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly TempDirectory _directory = new("sqlite-contract");

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    protected override Task<IJobStore> CreateStoreAsync() =>
        Task.FromResult<IJobStore>(new SqliteJobStore(Path.Combine(_directory.Path, "store.db")));

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(SqliteJobStore.ConnectionStringFor(Path.Combine(_directory.Path, "store.db")));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    protected override async Task<IJobStore> OpenAgainAsync()
    {
        var store = new SqliteJobStore(Path.Combine(_directory.Path, "store.db"));
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        return store;
    }
}
