using System.Collections.Concurrent;
using System.Diagnostics;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Chaos;

/// <summary>Chaos 1: a manager of three is killed with -9 while runners on every manager cycle jobs.</summary>
[Collection(ChaosCollection.Name)]
public sealed class ManagerLossTests
{
    private const int JobCount = 80;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Killing_one_of_three_managers_loses_no_job_runs_none_twice_at_once_and_work_never_stalls_10_s_while_survivors_answer_status()
    {
        await using var cluster = await ChaosCluster.StartAsync(3, null, "--Manager:Scheduler", "local", "--Manager:MaxCores", "1", "--Manager:RunnerReserveTimeout", "30");
        var victim = cluster.Managers[0];
        await using var client = await cluster.ConnectAsync(cluster.Managers[1], cluster.Managers[2]);
        var rep = Jobs.Unique("chaos-kill");
        await client.AddAsync(Enumerable.Range(0, JobCount).Select(i => Jobs.Spec(cluster.RecordedCommand($"j{i}", 0.2), rep)), Ct);

        using var stop = new CancellationTokenSource();
        var statusFailures = new ConcurrentQueue<string>();
        var watcher = WatchStatusAsync(client, rep, statusFailures, stop.Token);

        var before = await Eventually.Get(() => CompleteAsync(client, rep), n => n >= JobCount / 5, TimeSpan.FromSeconds(90), "a fifth of the jobs to complete");
        await victim.KillHardAsync();
        var killedAt = DateTimeOffset.UtcNow;
        await Eventually.True(async () => await CompleteAsync(client, rep) == JobCount, TimeSpan.FromSeconds(120), "every job to complete");
        await stop.CancelAsync();
        await watcher;

        // Every job ran to its end; no two copies of one held its lock at once; none started after its completion was acknowledged.
        var runs = cluster.Runs();
        var jobs = await client.GetByRepGroupAsync(rep, cancellationToken: Ct);
        Assert.True(before >= JobCount / 5);
        Assert.DoesNotContain(runs, r => r.Event == "OVERLAP");
        Assert.All(jobs, job =>
        {
            var id = job.Cmd[6..job.Cmd.IndexOf(' ', 6)];
            Assert.Contains(runs, r => r.Id == id && r.Event == "E");
            Assert.DoesNotContain(runs, r => r.Id == id && r.Event == "S" && r.At > job.EndedAt);
        });
        Assert.Equal(JobCount, jobs.Count);

        // Work never stalled for 10 s after the kill: the longest wait for the next command to end, from the kill on.
        var ends = runs.Where(r => r.Event == "E" && r.At > killedAt).Select(r => r.At).Order().Prepend(killedAt).ToList();
        var (stall, stalledFrom) = ends.Zip(ends.Skip(1), (a, b) => (b - a, a)).Max();
        TestContext.Current.TestOutputHelper?.WriteLine($"longest stall after the kill: {stall.TotalSeconds:F1} s");
        if (stall >= TimeSpan.FromSeconds(10))
        {
            var around = runs.Where(r => r.At >= stalledFrom.AddSeconds(-2) && r.At <= stalledFrom + stall).Select(r => $"{r.At:HH:mm:ss.fff} {r.Id} {r.Event} {r.Pid}");
            Assert.Fail(
                $"work stalled {stall.TotalSeconds:F1} s after the kill (at {killedAt:HH:mm:ss.fff}), from {stalledFrom:HH:mm:ss.fff}\n{string.Join('\n', around)}\n"
                + await cluster.DiagnoseAsync(killedAt.AddSeconds(-2), stalledFrom + stall));
        }

        Assert.True(statusFailures.IsEmpty, string.Join("\n", statusFailures));
        Assert.All(cluster.Managers.Skip(1), m => Assert.False(m.HasExited));
    }

    private static async Task<long> CompleteAsync(JobQueueClient client, string rep) =>
        (await client.GetRepGroupCountsAsync(rep, Ct)).Sum(c => c.Complete);

    private static async Task WatchStatusAsync(JobQueueClient client, string rep, ConcurrentQueue<string> failures, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                await client.GetRepGroupCountsAsync(rep, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
                await client.GetServerStatsAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (Exception ex) when (ex is TimeoutException or JobQueueException or OrleansException)
            {
                failures.Enqueue($"status failed after {watch.Elapsed.TotalSeconds:F1} s: {ex.Message}");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
