using System.Diagnostics;

namespace JobQueue.Cli.Bench;

/// <summary>
/// A three-step pipeline of no-op jobs: each step-2 job waits on its step-1 job (cmd_deps), every step-3 job on the
/// whole of step 2 (a group). Added and cycled as runners would, against the same number of jobs without dependencies.
/// </summary>
public static class DepsBench
{
    /// <summary>Runs the pipeline of <paramref name="jobs"/> jobs in all and prints its figures.</summary>
    public static async Task RunAsync(string store, string? connection, int jobs, int clients, CancellationToken cancellationToken)
    {
        var perStep = Math.Max(1, jobs / 3);
        await using var host = await BenchHost.StartAsync(store, connection, cancellationToken).ConfigureAwait(false);
        var workers = BenchScenarios.Workers(host, clients);
        var plain = await BenchScenarios.CycleRateAsync(host.Client, workers, "bench-deps-plain", perStep * 3, cancellationToken).ConfigureAwait(false);
        var before = BenchHost.ProcessPssMb();

        var ram = 400 + clients;
        JobSpec Step(int step, int i) => BenchScenarios.Specs($"bench-deps-{step}", ram, i, 1).Single() with { Time = JobQueueDefaults.Time };
        var add = Stopwatch.StartNew();
        await host.Client.AddAsync(Enumerable.Range(0, perStep).Select(i => Step(1, i)), cancellationToken).ConfigureAwait(false);
        await host.Client.AddAsync(
            Enumerable.Range(0, perStep).Select(i => Step(2, i) with { CmdDeps = [JobRef.For(Step(1, i).Cmd, "/tmp")], DepGroups = ["bench-deps-2"] }),
            cancellationToken).ConfigureAwait(false);
        await host.Client.AddAsync(Enumerable.Range(0, perStep).Select(i => Step(3, i) with { Deps = ["bench-deps-2"] }), cancellationToken).ConfigureAwait(false);
        var added = perStep * 3 / add.Elapsed.TotalSeconds;

        var group = SchedulerGroup.For(ram, JobQueueDefaults.Time, 1);
        var remaining = perStep * 3;
        long peak = before;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(workers.Select(async (worker, w) =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var job = await worker.ReserveAndStartAsync(TimeSpan.FromSeconds(30), group, "bench", cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("the pipeline stalled");
                await worker.EndedAndArchiveAsync(job, 1, TimeSpan.Zero, null, null, cancellationToken).ConfigureAwait(false);
                if (w == 0 && remaining % 2_000 == 0)
                {
                    Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), BenchHost.ProcessPssMb()));
                }
            }
        })).ConfigureAwait(false);
        var rate = perStep * 3 / watch.Elapsed.TotalSeconds;

        new Figure("deps_pipeline_cycle_throughput", Math.Round(rate), "cycles/s", perStep * 3) { Store = store, Baseline = Math.Round(plain), BaselineName = "cycle_throughput_without_dependencies" }.Print();
        new Figure("deps_pipeline_add_throughput", Math.Round(added), "jobs/s", perStep * 3) { Store = store }.Print();
        new Figure("deps_pipeline_peak_memory", peak, "MB", perStep * 3) { Store = store, Baseline = before, BaselineName = "process_memory_before_the_pipeline", Target = before + 256 }.Print();
    }
}
