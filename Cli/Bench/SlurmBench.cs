using JobQueue.Grains.Storage;

namespace JobQueue.Cli.Bench;

/// <summary>jobqueue bench slurm: N true commands end to end through the Slurm scheduler, against the local scheduler in the same run.</summary>
internal static class SlurmBench
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(int jobs, CancellationToken cancellationToken)
    {
        var local = await ThroughAsync("local", jobs, cancellationToken).ConfigureAwait(false);
        var slurm = await ThroughAsync("slurm", jobs, cancellationToken).ConfigureAwait(false);
        new Figure("slurm: true commands added, run and completed", Math.Round(slurm.TotalSeconds, 2), "s", jobs)
        {
            Baseline = Math.Round(local.TotalSeconds, 2),
            BaselineName = "the same commands through the local scheduler (target: ratio <= 3)",
            Target = 30,
            Store = JobStoreProviders.Sqlite,
        }.Print();
    }

    private static async Task<TimeSpan> ThroughAsync(string scheduler, int jobs, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Manager:Scheduler"] = scheduler,
            ["Manager:ClusterId"] = $"bench{Guid.NewGuid():N}"[..16],
            ["Slurm:PollSeconds"] = "1",
            ["Slurm:RunnerIdleTimeout"] = "5",
        };
        await using var host = await BenchHost.StartAsync(JobStoreProviders.Sqlite, null, cancellationToken, settings).ConfigureAwait(false);
        var rep = $"bench-{scheduler}";
        var elapsed = await Measure.TimeAsync(async () =>
        {
            await host.Client.AddAsync(Enumerable.Range(0, jobs).Select(i => new JobSpec { Cmd = $"true {i}", Cwd = "/tmp", RepGroup = rep, Override = 2 }), cancellationToken).ConfigureAwait(false);
            using var poll = new PeriodicTimer(Poll);
            while ((await host.Client.GetRepGroupCountsAsync(rep, cancellationToken).ConfigureAwait(false)).Sum(c => c.Complete) < jobs)
            {
                await poll.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return elapsed;
    }
}
