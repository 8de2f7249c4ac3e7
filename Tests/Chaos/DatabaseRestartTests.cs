using System.Collections.Concurrent;
using System.Diagnostics;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Chaos;

/// <summary>Chaos 2: PostgreSQL stopped for 15 s under load, then started again.</summary>
[Collection(ChaosCollection.Name)]
public sealed class DatabaseRestartTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task While_the_database_is_away_calls_fail_fast_with_DbError_and_afterwards_every_acknowledged_add_is_there_without_restarting_a_manager()
    {
        await using var postgres = await OwnPostgres.StartAsync();
        await using var cluster = await ChaosCluster.StartAsync(2, postgres.ConnectionString);
        await using var client = await cluster.ConnectAsync(cluster.Managers[0], cluster.Managers[1]);
        var rep = Jobs.Unique("chaos-db");
        var acknowledged = new ConcurrentBag<JobSpec>();
        var failures = new ConcurrentQueue<(JobQueueErrorKind Kind, string Message, TimeSpan Took)>();
        using var stop = new CancellationTokenSource();
        var load = Task.Run(() => AddLoopAsync(client, rep, acknowledged, failures, stop.Token), CancellationToken.None);
        await Eventually.True(() => acknowledged.Count >= 100, TimeSpan.FromSeconds(30), "adds to flow");

        await postgres.StopAsync();
        var down = Stopwatch.StartNew();
        await Eventually.True(() => !failures.IsEmpty, TimeSpan.FromSeconds(30), "calls to fail while the database is away");
        await Eventually.True(() => down.Elapsed >= Outage, Outage + TimeSpan.FromSeconds(5), "the outage to last");
        var failedDuringOutage = failures.Count;
        await postgres.StartAgainAsync();
        var before = acknowledged.Count;
        var flowing = await Eventually.Get(
            () => Task.FromResult((acknowledged.Count > before + 100, string.Join(" | ", failures.TakeLast(3).Select(f => f.Message)))),
            r => r.Item1,
            TimeSpan.FromSeconds(60),
            "adds to flow again without restarting a manager");
        await stop.CancelAsync();
        await load;

        Assert.True(failedDuringOutage > 0);
        Assert.All(failures, f => Assert.True(f.Kind == JobQueueErrorKind.DbError && f.Took < TimeSpan.FromSeconds(20), $"{f.Kind} after {f.Took.TotalSeconds:F1} s: {f.Message}"));
        Assert.Contains(failures, f => f.Message.Contains("failed to use database", StringComparison.Ordinal));
        var found = await client.GetByCmdsAsync(acknowledged.Select(j => JobRef.For(j.Cmd, j.Cwd)), cancellationToken: Ct);
        Assert.Equal(acknowledged.Count, found.Count);
        Assert.All(cluster.Managers, m => Assert.False(m.HasExited));
        Assert.True((await client.GetRepGroupCountsAsync(rep, Ct)).Sum(c => c.Ready) >= acknowledged.Count);
    }

    private static async Task AddLoopAsync(JobQueueClient client, string rep, ConcurrentBag<JobSpec> acknowledged, ConcurrentQueue<(JobQueueErrorKind, string, TimeSpan)> failures, CancellationToken stop)
    {
        var next = 0;
        while (!stop.IsCancellationRequested)
        {
            var batch = Enumerable.Range(next, 20).Select(i => Jobs.Spec($"echo {rep} {i}", rep)).ToList();
            next += batch.Count;
            var watch = Stopwatch.StartNew();
            try
            {
                await client.AddAsync(batch, CancellationToken.None);
                foreach (var job in batch)
                {
                    acknowledged.Add(job);
                }
            }
            catch (JobQueueException ex)
            {
                failures.Enqueue((ex.Kind, ex.Message, watch.Elapsed));
                await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            }
        }
    }
}
