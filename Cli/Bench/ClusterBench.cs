using JobQueue.Grains.Storage;

namespace JobQueue.Cli.Bench;

/// <summary>jobqueue bench cycle --store postgres --managers N: the same cycles through one manager and through N, with where each spends its time.</summary>
internal static class ClusterBench
{
    private const string CommitDuration = "jobqueue_store_commit_duration_seconds";
    private const string CommitBatch = "jobqueue_store_commit_batch_size";

    public static async Task CycleAsync(string connection, int jobs, int clients, int managers, CancellationToken cancellationToken)
    {
        var one = await RunAsync(connection, jobs, clients, 1, cancellationToken).ConfigureAwait(false);
        var many = await RunAsync(connection, jobs, clients, managers, cancellationToken).ConfigureAwait(false);
        new Figure($"cycle_throughput_{managers}_managers", Math.Round(many.Rate), "cycles/s", jobs)
        {
            Store = JobStoreProviders.Postgres,
            Baseline = Math.Round(one.Rate),
            BaselineName = "cycle_throughput_1_manager",
            Breakdown = many.Breakdown,
        }.Print();
    }

    private static async Task<(double Rate, IReadOnlyDictionary<string, double> Breakdown)> RunAsync(string connection, int jobs, int clients, int managers, CancellationToken cancellationToken)
    {
        await using var cluster = await ManagerCluster.StartAsync(connection, managers, cancellationToken).ConfigureAwait(false);
        var workers = new List<JobQueueClient>();
        try
        {
            for (var i = 0; i < clients; i++)
            {
                workers.Add(await cluster.ConnectAsync(i, cancellationToken).ConfigureAwait(false));
            }

            // Warm up, then measure with each manager's CPU time and its commits' latency and size.
            await BenchScenarios.CycleRateAsync(workers[0], workers, "bench-warm", Math.Max(100, jobs / 10), cancellationToken).ConfigureAwait(false);
            var cpuBefore = cluster.CpuSeconds();
            var commitsBefore = await CommitsAsync(cluster, cancellationToken).ConfigureAwait(false);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var rate = await BenchScenarios.CycleRateAsync(workers[0], workers, "bench-cycle", jobs, cancellationToken).ConfigureAwait(false);
            var seconds = watch.Elapsed.TotalSeconds;
            var cpuAfter = cluster.CpuSeconds();
            var commitsAfter = await CommitsAsync(cluster, cancellationToken).ConfigureAwait(false);
            var breakdown = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var i = 0; i < managers; i++)
            {
                var commits = commitsAfter[i].Count - commitsBefore[i].Count;
                breakdown[$"manager{i}_cpu_share"] = Math.Round((cpuAfter[i] - cpuBefore[i]) / seconds, 2);
                breakdown[$"manager{i}_commits_per_s"] = Math.Round(commits / seconds);
                breakdown[$"manager{i}_commit_ms"] = commits > 0 ? Math.Round((commitsAfter[i].Duration - commitsBefore[i].Duration) / commits * 1000, 2) : 0;
                breakdown[$"manager{i}_writes_per_commit"] = commits > 0 ? Math.Round((commitsAfter[i].Writes - commitsBefore[i].Writes) / commits, 1) : 0;
            }

            return (rate, breakdown);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<List<(double Duration, double Count, double Writes)>> CommitsAsync(ManagerCluster cluster, CancellationToken cancellationToken)
    {
        var result = new List<(double, double, double)>();
        for (var i = 0; i < cluster.Managers.Count; i++)
        {
            var duration = await cluster.HistogramAsync(i, CommitDuration, cancellationToken).ConfigureAwait(false);
            var batch = await cluster.HistogramAsync(i, CommitBatch, cancellationToken).ConfigureAwait(false);
            result.Add((duration.Sum, duration.Count, batch.Sum));
        }

        return result;
    }
}
