using JobQueue.Grains.Storage;
using JobQueue.Grains.Storage.Sqlite;
using JobQueue.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JobQueue.Tests.Storage;

/// <summary>
/// SQLite's async methods are synchronous, so the store runs them on threads of its own: a write that waits for a
/// locked database (or a slow disk) holds none of its caller's threads, which are the threads every grain runs on.
/// </summary>
public sealed class SqliteIoThreadTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("sqlite-io");
    private SqliteJobStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DbFile => Path.Combine(_directory.Path, "store.db");

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteJobStore(DbFile);
        await _store.InitializeAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_write_waiting_for_a_locked_database_gives_its_callers_thread_back_and_commits_once_the_lock_goes()
    {
        await using var other = new SqliteConnection(SqliteJobStore.ConnectionStringFor(DbFile));
        await other.OpenAsync(Ct);
        await using var hold = other.CreateCommand();
        hold.CommandText = "BEGIN EXCLUSIVE";
        await hold.ExecuteNonQueryAsync(Ct);

        var callerThread = Environment.CurrentManagedThreadId;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var write = _store.WriteAsync([Records.Insert("echo waits")], Ct);
        var returnedAfter = watch.Elapsed;
        var backOnThread = Environment.CurrentManagedThreadId;

        Assert.Equal(callerThread, backOnThread);
        Assert.True(returnedAfter < TimeSpan.FromSeconds(1), $"the caller was held {returnedAfter}");
        Assert.False(write.IsCompleted, "the write cannot have committed while another connection holds the lock");

        hold.CommandText = "COMMIT";
        await hold.ExecuteNonQueryAsync(Ct);
        var outcome = await write.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Single(Assert.IsType<Inserted>(Assert.Single(outcome)).Jobs);
        Assert.NotNull(await _store.GetJobAsync(JobKey.For("/tmp", "echo waits"), Ct));
    }
}
