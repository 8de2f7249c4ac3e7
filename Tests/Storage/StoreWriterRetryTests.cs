using JobQueue.Grains.Storage;
using JobQueue.Grains.Storage.Sqlite;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace JobQueue.Tests.Storage;

/// <summary>
/// A batch that fails for a passing reason (the database restarting) is tried again as a whole, with backoff, instead
/// of failing every write in it; a database that stays away fails the writes once the retry window is over.
/// </summary>
public sealed class StoreWriterRetryTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("writer-retry");
    private SqliteJobStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteJobStore(Path.Combine(_directory.Path, "store.db"));
        await _store.InitializeAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Writes_that_meet_a_database_away_for_a_moment_all_commit_once_it_is_back()
    {
        var flaky = new FlakyStore(_store, failures: 3);
        await using var writer = new StoreWriter(flaky, NullLogger<StoreWriter>.Instance);
        writer.Start();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => writer.WriteAsync(Records.Insert($"echo {i}"))));

        Assert.All(outcomes, o => Assert.Single(Assert.IsType<Inserted>(o).Jobs));
        foreach (var i in Enumerable.Range(0, 40))
        {
            Assert.NotNull(await _store.GetJobAsync(JobKey.For("/tmp", $"echo {i}"), Ct));
        }

        // Three failed tries of a whole batch, then one commit per batch: never a try per write.
        Assert.Equal(3 + writer.BatchesCommitted, flaky.Calls);
    }

    [Fact]
    public async Task Writes_fail_with_a_database_error_only_after_the_retry_window_when_the_database_stays_away()
    {
        var clock = new FakeTimeProvider();
        var flaky = new FlakyStore(_store, failures: int.MaxValue);
        await using var writer = new StoreWriter(flaky, NullLogger<StoreWriter>.Instance) { RetryClock = clock, TransientRetryWindow = TimeSpan.FromSeconds(8) };
        writer.Start();

        var writes = Enumerable.Range(0, 40).Select(i => writer.WriteAsync(Records.Insert($"never {i}"))).ToList();
        var all = Task.WhenAll(writes);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!all.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the writes still wait after {clock.GetUtcNow() - clock.Start} on the fake clock");
            Assert.True(clock.GetUtcNow() - clock.Start < TimeSpan.FromSeconds(30), "the writes wait beyond the retry window");
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5, Ct);
        }

        Assert.True(clock.GetUtcNow() - clock.Start >= TimeSpan.FromSeconds(5), $"gave up after {clock.GetUtcNow() - clock.Start}");
        foreach (var write in writes)
        {
            var error = await Assert.ThrowsAsync<JobQueueException>(() => write);
            Assert.Equal(JobQueueErrorKind.DbError, error.Kind);
        }

        // Each batch was tried a few times with a growing pause (0.1, 0.2, 0.4 ... 2 s), not once per write.
        Assert.InRange(flaky.Calls, 3, 30);
    }
}
