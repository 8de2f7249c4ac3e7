using System.Diagnostics;
using System.Text.Json;

namespace JobQueue.Cli.Bench;

/// <summary>The scale benchmark's listing and bulk figures: streaming every job as status --json does, and retrying many buried jobs at once.</summary>
internal static class ScaleListings
{
    // The first million of a larger rep group is enough to show a flat line (ten million would take half an hour).
    private const int MaxStreamed = 1_000_000;
    private static readonly TimeSpan MemorySample = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Streams the jobs of <paramref name="repGroup"/> (at most a million) page by page and serializes each as <c>status --json</c> does:
    /// jobs per second, and this process's peak memory (manager and client both) meanwhile and before.
    /// </summary>
    public static async Task<(double JobsPerSecond, long PeakMb, long BeforeMb)> StreamAsync(JobQueueClient client, string repGroup, CancellationToken cancellationToken)
    {
        var before = BenchHost.ProcessPssMb();
        var peak = before;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(
            async () =>
            {
                using var timer = new PeriodicTimer(MemorySample);
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    peak = Math.Max(peak, BenchHost.ProcessPssMb());
                }
            },
            CancellationToken.None);
        var count = 0L;
        var watch = Stopwatch.StartNew();
        await using (var output = new StreamWriter(Stream.Null))
        {
            await foreach (var job in client.ListAllAsync(new JobFilter { RepGroup = repGroup }, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(JobJson.From(job, false, false), Cli.Json)).ConfigureAwait(false);
                if (++count == MaxStreamed)
                {
                    break;
                }
            }
        }

        var elapsed = watch.Elapsed;
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await sampler.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The sampler stops with the stream.
        }

        peak = Math.Max(peak, BenchHost.ProcessPssMb());
        return (count / elapsed.TotalSeconds, peak, before);
    }

    /// <summary>
    /// Buries <paramref name="count"/> new jobs of <paramref name="repGroup"/> (each reserved by one of a few clients and
    /// buried), then times one server-side retry of them all, as <c>jobqueue retry --rep-grp</c> does, and one change of
    /// all of them (now ready), as <c>jobqueue mod --rep-grp --priority</c> does; in seconds.
    /// </summary>
    public static async Task<(double Retry, double Modify)> RetryAndModifyAsync(JobQueueClient client, string repGroup, int ramMb, int count, CancellationToken cancellationToken)
    {
        await BuryAsync(client, repGroup, ramMb, count, cancellationToken).ConfigureAwait(false);
        return await TimeRetryAndModifyAsync(client, repGroup, count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds <paramref name="count"/> jobs to <paramref name="repGroup"/> and buries them all.</summary>
    private static async Task BuryAsync(JobQueueClient client, string repGroup, int ramMb, int count, CancellationToken cancellationToken)
    {
        await client.AddAsync(
            Enumerable.Range(0, count).Select(i => new JobSpec
            {
                Cmd = $"true {repGroup} {i}",
                Cwd = "/tmp",
                RepGroup = repGroup,
                RamMb = ramMb,
                Override = 2,
            }),
            cancellationToken).ConfigureAwait(false);
        var group = SchedulerGroup.For(ramMb, JobQueueDefaults.Time, JobQueueDefaults.Cores);

        // Each is buried as soon as it is reserved: a lease that ran out while the rest were reserved would put its job back.
        var remaining = count;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var worker = client.WithNewIdentity();
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var job = await worker.ReserveScheduledAsync(TimeSpan.FromSeconds(10), group, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("the queue ran dry");
                await worker.BuryAsync(job, "bench", cancellationToken).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
    }

    /// <summary>Times one retry of the <paramref name="count"/> buried jobs of <paramref name="repGroup"/>, then one change of all of them.</summary>
    private static async Task<(double Retry, double Modify)> TimeRetryAndModifyAsync(JobQueueClient client, string repGroup, int count, CancellationToken cancellationToken) =>
        (await TimeRetryAsync(client, repGroup, count, cancellationToken).ConfigureAwait(false), await TimeModifyAsync(client, repGroup, count, cancellationToken).ConfigureAwait(false));

    /// <summary>Times one server-side retry of the <paramref name="count"/> buried jobs of <paramref name="repGroup"/>, in seconds.</summary>
    private static async Task<double> TimeRetryAsync(JobQueueClient client, string repGroup, int count, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var kicked = await client.ApplyAsync(new JobFilter { RepGroup = repGroup, State = JobState.Buried }, BulkAction.Kick, cancellationToken).ConfigureAwait(false);
        var retry = watch.Elapsed.TotalSeconds;
        return kicked == count ? retry : throw new InvalidOperationException($"retried {kicked} of {count} buried jobs");
    }

    /// <summary>Times one change of the <paramref name="count"/> jobs of <paramref name="repGroup"/>, in seconds.</summary>
    private static async Task<double> TimeModifyAsync(JobQueueClient client, string repGroup, int count, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var modified = await client.ModifyAsync(new JobFilter { RepGroup = repGroup }, new JobModification { Priority = 5 }, cancellationToken).ConfigureAwait(false);
        var modify = watch.Elapsed.TotalSeconds;
        return modified == count ? modify : throw new InvalidOperationException($"modified {modified} of {count} jobs");
    }

    /// <summary>
    /// The bulk figures of <c>bench scale</c> alone: retry and mod of <paramref name="jobs"/> buried jobs on an otherwise
    /// empty queue, each against the same operation on a hundredth of them, scaled up.
    /// </summary>
    public static async Task BulkAsync(string store, string? connection, int jobs, CancellationToken cancellationToken)
    {
        await using var host = await BenchHost.StartAsync(store, connection, cancellationToken, new Dictionary<string, string?> { ["Manager:WebPort"] = "0" }).ConfigureAwait(false);
        var few = Math.Max(10, jobs / 100);
        var (fewRetry, fewModify) = await RetryAndModifyAsync(host.Client, "bench-bulk-few", 250, few, cancellationToken).ConfigureAwait(false);
        var (retry, modify) = await RetryAndModifyAsync(host.Client, "bench-bulk-many", 260, jobs, cancellationToken).ConfigureAwait(false);
        Print("bulk_retry_buried", retry, fewRetry * jobs / few, $"bulk_retry_buried_of_{few}_scaled_to_{jobs}");
        Print("bulk_mod", modify, fewModify * jobs / few, $"bulk_mod_of_{few}_scaled_to_{jobs}");

        // As users meet it: jobs buried or changed in an earlier run of the manager (or long enough ago that none is in
        // memory), against the same jobs just touched.
        await BuryAsync(host.Client, "bench-bulk-cold", 270, jobs, cancellationToken).ConfigureAwait(false);
        await host.RestartAsync(cancellationToken).ConfigureAwait(false);
        Print("bulk_retry_after_restart", await TimeRetryAsync(host.Client, "bench-bulk-cold", jobs, cancellationToken).ConfigureAwait(false), retry, "bulk_retry_buried");
        await host.RestartAsync(cancellationToken).ConfigureAwait(false);
        Print("bulk_mod_after_restart", await TimeModifyAsync(host.Client, "bench-bulk-cold", jobs, cancellationToken).ConfigureAwait(false), modify, "bulk_mod");

        void Print(string name, double value, double baseline, string baselineName) => new Figure(name, Math.Round(value, 3), "s", jobs)
        {
            Store = store,
            Target = jobs >= 100_000 ? 5 * jobs / 100_000.0 : null,
            Baseline = Math.Round(baseline, 3),
            BaselineName = baselineName,
        }.Print();
    }
}
