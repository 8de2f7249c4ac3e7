using System.Diagnostics;
using JobQueue.Grains.Storage;
using JobQueue.Grains.Storage.Postgres;
using JobQueue.Grains.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobQueue.Cli.Bench;

/// <summary>The benchmarks: each prints its figures next to a baseline measured in the same run.</summary>
internal static class BenchScenarios
{
    private const int Chunk = 10_000;
    private static readonly IReadOnlyList<string> Env = ["PATH=/usr/bin:/bin"];

    /// <summary>Durable add throughput in one request, against the bare store's insert rate and this disk's fsync'd log.</summary>
    public static async Task AddAsync(string store, string? connection, int jobs, CancellationToken cancellationToken)
    {
        var baseline = await StoreInsertRateAsync(store, connection, jobs, cancellationToken).ConfigureAwait(false);
        double rate;
        await using (var host = await BenchHost.StartAsync(store, connection, cancellationToken).ConfigureAwait(false))
        {
            var specs = Specs("bench-add", 100, 0, jobs).ToList();
            var elapsed = await Measure.TimeAsync(() => host.Client.AddAsync(specs, cancellationToken)).ConfigureAwait(false);
            rate = Math.Round(jobs / elapsed.TotalSeconds);
        }

        new Figure("add_throughput", rate, "jobs/s", jobs)
        {
            Store = store,
            Target = 20_000,
            Baseline = Math.Round(baseline),
            BaselineName = "store_insert_throughput",
        }.Print();

        // beanstalkd with an fsync'd binlog writes and fsyncs one record per put: the target is five times that rate.
        var binlog = FsyncLog.RecordsPerSecond(jobs);
        new Figure("add_throughput_vs_fsync_log", rate, "jobs/s", jobs)
        {
            Store = store,
            Baseline = Math.Round(binlog),
            BaselineName = "fsync_log_adds_one_record_each",
            Target = Math.Round(binlog * 5),
        }.Print();
    }

    /// <summary>
    /// Cycles per second with no-op work, as a runner makes them (reserve-and-start, ended-and-archive), many clients
    /// against one; against started as a call of its own, the model's four calls, and without TLS, in the same run.
    /// </summary>
    public static async Task CycleAsync(string store, string? connection, int jobs, int clients, CancellationToken cancellationToken)
    {
        double single, many, plain, startedApart, fourCalls;
        await using (var host = await BenchHost.StartAsync(store, connection, cancellationToken).ConfigureAwait(false))
        {
            single = await CycleRateAsync(host, "bench-cycle-1", Math.Max(100, jobs / 10), 1, cancellationToken).ConfigureAwait(false);
            many = await CycleRateAsync(host, "bench-cycle-n", jobs, clients, cancellationToken).ConfigureAwait(false);
            startedApart = await CycleRateAsync(host.Client, Workers(host, clients), "bench-cycle-three", jobs, cancellationToken, CycleCalls.StartedApart).ConfigureAwait(false);
            fourCalls = await CycleRateAsync(host.Client, Workers(host, clients), "bench-cycle-four", jobs, cancellationToken, CycleCalls.Model).ConfigureAwait(false);
        }

        // The same cycles without TLS (warmed up alike): what mutual TLS, on by default, costs.
        await using (var host = await BenchHost.StartAsync(store, connection, cancellationToken, new Dictionary<string, string?> { ["Manager:Tls"] = "false" }).ConfigureAwait(false))
        {
            await CycleRateAsync(host, "bench-cycle-plain-1", Math.Max(100, jobs / 10), 1, cancellationToken).ConfigureAwait(false);
            plain = await CycleRateAsync(host, "bench-cycle-plain", jobs, clients, cancellationToken).ConfigureAwait(false);
        }

        new Figure("cycle_throughput", Math.Round(many), "cycles/s", jobs)
        {
            Store = store,
            Baseline = Math.Round(single),
            BaselineName = "cycle_throughput_one_client",
        }.Print();

        // beanstalkd with an fsync'd binlog, bounded from above by this disk's fsync'd log in this run (no network, no
        // protocol, one record per cycle): the target is twice it.
        var binlog = FsyncLog.RecordsPerSecond(jobs);
        new Figure("cycle_throughput_vs_fsync_log", Math.Round(many), "cycles/s", jobs)
        {
            Store = store,
            Baseline = Math.Round(binlog),
            BaselineName = "fsync_log_cycles_one_record_each",
            Target = Math.Round(binlog * 2),
        }.Print();

        new Figure("cycle_throughput_reserve_and_start", Math.Round(many), "cycles/s", jobs)
        {
            Store = store,
            Baseline = Math.Round(startedApart),
            BaselineName = "cycle_throughput_reserve_then_started",
        }.Print();

        new Figure("cycle_throughput_combined", Math.Round(many), "cycles/s", jobs)
        {
            Store = store,
            Baseline = Math.Round(fourCalls),
            BaselineName = "cycle_throughput_model_four_calls",
        }.Print();

        new Figure("cycle_throughput_tls", Math.Round(many), "cycles/s", jobs)
        {
            Store = store,
            Baseline = Math.Round(plain),
            BaselineName = "cycle_throughput_without_tls",
            Target = Math.Round(plain * 0.85), // at most 15% fewer cycles/s
        }.Print();
    }

    /// <summary>The figures at a million jobs, each against the same figure on a nearly empty queue.</summary>
    public static async Task ScaleAsync(string store, string? connection, int jobs, CancellationToken cancellationToken)
    {
        await using var host = await BenchHost.StartAsync(store, connection, cancellationToken, new Dictionary<string, string?> { ["Manager:WebPort"] = "0" }).ConfigureAwait(false);
        var client = host.Client;

        // Baselines on a nearly empty queue.
        await client.AddAsync(Specs("bench-small", 200, 0, 2000), cancellationToken).ConfigureAwait(false);
        var smallReserve = await ReserveLatenciesAsync(client, SchedulerGroup.For(200, JobQueueDefaults.Time, 1), 500, cancellationToken).ConfigureAwait(false);
        var emptyStatus = await StatusTimeAsync(client, cancellationToken).ConfigureAwait(false);
        var emptyRepGroups = await RepGroupsTimeAsync(host, cancellationToken).ConfigureAwait(false);
        var emptyMemory = BenchHost.ProcessPssMb();
        var (emptyStream, _, _) = await ScaleListings.StreamAsync(client, "bench-small", cancellationToken).ConfigureAwait(false);
        var buriedFew = Math.Max(10, Math.Min(1_000, jobs / 100));
        var (emptyRetry, emptyModify) = await ScaleListings.RetryAndModifyAsync(client, "bench-retry-few", 250, buriedFew, cancellationToken).ConfigureAwait(false);
        var emptyRestart = await RestartToFirstReservationAsync(host, SchedulerGroup.For(200, JobQueueDefaults.Time, 1), cancellationToken).ConfigureAwait(false);
        client = host.Client;

        // Fill the queue.
        var fill = Stopwatch.StartNew();
        for (var start = 0; start < jobs; start += Chunk)
        {
            await client.AddAsync(Specs("bench-large", 100, start, Math.Min(Chunk, jobs - start)).ToList(), cancellationToken).ConfigureAwait(false);
        }

        fill.Stop();
        Print("fill_add_throughput", Math.Round(jobs / fill.Elapsed.TotalSeconds), "jobs/s", null, null, null);

        var group = SchedulerGroup.For(100, JobQueueDefaults.Time, 1);
        var largeReserve = await ReserveLatenciesAsync(client, group, 1000, cancellationToken).ConfigureAwait(false);
        Print("reserve_latency_p50", largeReserve.P50, "ms", null, smallReserve.P50, "reserve_latency_p50_at_2000_jobs");
        Print("reserve_latency_p99", largeReserve.P99, "ms", 5, smallReserve.P99, "reserve_latency_p99_at_2000_jobs");
        var (largeAdd, emptyAdd) = await AddThousandAsync(client, cancellationToken).ConfigureAwait(false);
        Print("add_1000_to_large_rep_group", largeAdd, "ms", null, emptyAdd, "add_1000_to_empty_rep_group");
        Print("status_summary", await StatusTimeAsync(client, cancellationToken).ConfigureAwait(false), "ms", 200, emptyStatus, "status_summary_at_2000_jobs");
        Print("process_memory", BenchHost.ProcessPssMb(), "MB", 2048, emptyMemory, "process_memory_at_2000_jobs");
        var restart = await RestartToFirstReservationAsync(host, group, cancellationToken).ConfigureAwait(false);
        Print("restart_to_first_reservation", restart.Start, "s", 1, emptyRestart.Start, "restart_to_first_reservation_at_2000_jobs");
        Print("stop_with_backup", restart.Stop, "s", null, emptyRestart.Stop, "stop_with_backup_at_2000_jobs");

        // status --json over the whole large rep group, streamed; then one retry of many buried jobs.
        client = host.Client; // the restart made a new one
        var (stream, peak, before) = await ScaleListings.StreamAsync(client, "bench-large", cancellationToken).ConfigureAwait(false);
        Print("status_json_stream", stream, "jobs/s", null, emptyStream, "status_json_stream_at_2000_jobs");
        Print("status_json_peak_memory", peak, "MB", before + 256, before, "process_memory_before_the_stream");
        var buriedMany = Math.Max(100, Math.Min(100_000, jobs / 10));
        var (retry, modify) = await ScaleListings.RetryAndModifyAsync(client, "bench-retry-many", 260, buriedMany, cancellationToken).ConfigureAwait(false);
        Print("bulk_retry_buried", retry, "s", buriedMany >= 100_000 ? 5 : null, emptyRetry * buriedMany / buriedFew, $"bulk_retry_of_{buriedFew}_scaled_to_{buriedMany}");
        Print("bulk_mod", modify, "s", buriedMany >= 100_000 ? 5 : null, emptyModify * buriedMany / buriedFew, $"bulk_mod_of_{buriedFew}_scaled_to_{buriedMany}");

        // The web overview's read: every rep group's counters, here with 10,000 more rep groups beside the large one.
        const int Groups = 10_000;
        await host.Client.AddAsync(Enumerable.Range(0, Groups).Select(i => Specs($"bench-group-{i}", 100, i, 1).Single()).ToList(), cancellationToken).ConfigureAwait(false);
        Print("rest_repgroups_latency_10000_groups", await RepGroupsTimeAsync(host, cancellationToken).ConfigureAwait(false), "ms", 50, emptyRepGroups, "rest_repgroups_latency_at_2000_jobs");

        // The manager alone, in a process of its own over the same store: as it answers, then after 1,000 reservations.
        await using var child = await host.MoveManagerToProcessAsync(cancellationToken).ConfigureAwait(false);
        var answering = child.PssMb();
        await ReserveLatenciesAsync(child.Client, group, 1000, cancellationToken).ConfigureAwait(false);
        await StatusTimeAsync(child.Client, cancellationToken).ConfigureAwait(false);
        Print("manager_process_memory", child.PssMb(), "MB", 256, answering, "manager_process_memory_as_it_answers");

        void Print(string name, double value, string unit, double? target, double? baseline, string? baselineName) =>
            new Figure(name, Math.Round(value, 3), unit, jobs) { Store = store, Target = target, Baseline = baseline is null ? null : Math.Round(baseline.Value, 3), BaselineName = baselineName }.Print();
    }

    internal static IEnumerable<JobSpec> Specs(string repGroup, int ramMb, int start, int count) =>
        Enumerable.Range(start, count).Select(i => new JobSpec
        {
            Cmd = $"true {repGroup} {i}",
            Cwd = "/tmp",
            RepGroup = repGroup,
            ReqGroup = "bench",
            RamMb = ramMb,
            Time = JobQueueDefaults.Time,
            Override = 2,
            Env = Env,
        });

    private static async Task<double> StoreInsertRateAsync(string store, string? connection, int jobs, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"jobqueue-bench-store-{Guid.NewGuid():N}");
        IJobStore raw = store == JobStoreProviders.Postgres
            ? new PostgresJobStore(connection!, Deployments.Development)
            : new SqliteJobStore(Path.Combine(directory, "store.db"));
        try
        {
            await raw.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await using var writer = new StoreWriter(raw, NullLogger<StoreWriter>.Instance);
            writer.Start();
            var env = EnvironmentBlob.Encode(Env);
            var records = Specs("bench-store", 100, 0, jobs).Select(s => new JobRecord
            {
                Key = s.Key,
                Version = 1,
                Cmd = s.Cmd,
                Cwd = s.Cwd,
                RepGroup = s.RepGroup,
                ReqGroup = "bench",
                RamMb = 100,
                Time = JobQueueDefaults.Time,
                Cores = 1,
                EnvKey = env.Key,
                Queue = "100:60:1",
                State = JobState.Ready,
                UntilBuried = 4,
                AddedAt = DateTimeOffset.UtcNow,
            }).ToList();
            var watch = Stopwatch.StartNew();
            foreach (var chunk in records.Chunk(Chunk))
            {
                await writer.WriteAsync(new InsertJobs(chunk, new Dictionary<string, byte[]> { [env.Key] = env.Compressed })).ConfigureAwait(false);
            }

            return jobs / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            await raw.DisposeAsync().ConfigureAwait(false);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static Task<double> CycleRateAsync(BenchHost host, string repGroup, int jobs, int clients, CancellationToken cancellationToken) =>
        CycleRateAsync(host.Client, Workers(host, clients), repGroup, jobs, cancellationToken);

    /// <summary><paramref name="clients"/> clients on <paramref name="host"/>'s connection, each with an identity (and leases) of its own.</summary>
    public static JobQueueClient[] Workers(BenchHost host, int clients) => [.. Enumerable.Range(0, clients).Select(_ => host.Client.WithNewIdentity())];

    /// <summary>
    /// Adds <paramref name="jobs"/> no-op jobs through <paramref name="adder"/>, then has the workers cycle them with
    /// <paramref name="calls"/> (by default as runners do: reserve-and-start, ended-and-archive); cycles per second.
    /// </summary>
    public static async Task<double> CycleRateAsync(JobQueueClient adder, IReadOnlyList<JobQueueClient> workers, string repGroup, int jobs, CancellationToken cancellationToken, CycleCalls calls = CycleCalls.Runner)
    {
        var ram = 300 + workers.Count;
        await adder.AddAsync(Specs(repGroup, ram, 0, jobs), cancellationToken).ConfigureAwait(false);
        var group = SchedulerGroup.For(ram, JobQueueDefaults.Time, 1);
        var remaining = jobs;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(workers.Select(async worker =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var job = (calls == CycleCalls.Runner
                    ? await worker.ReserveAndStartAsync(TimeSpan.FromSeconds(10), group, "bench", cancellationToken).ConfigureAwait(false)
                    : await worker.ReserveScheduledAsync(TimeSpan.FromSeconds(10), group, cancellationToken).ConfigureAwait(false))
                    ?? throw new InvalidOperationException("the queue ran dry");
                if (calls != CycleCalls.Runner)
                {
                    await worker.StartedAsync(job, Environment.ProcessId, "bench", cancellationToken).ConfigureAwait(false);
                }

                if (calls == CycleCalls.Model)
                {
                    await worker.EndedAsync(job, 0, 1, TimeSpan.Zero, null, null, cancellationToken).ConfigureAwait(false);
                    await worker.ArchiveAsync(job, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await worker.EndedAndArchiveAsync(job, 1, TimeSpan.Zero, null, null, cancellationToken).ConfigureAwait(false);
                }
            }
        })).ConfigureAwait(false);
        return jobs / watch.Elapsed.TotalSeconds;
    }

    private static async Task<(double P50, double P99)> ReserveLatenciesAsync(JobQueueClient client, string group, int count, CancellationToken cancellationToken)
    {
        var latencies = new List<double>(count);
        var reserved = new List<Job>(count);
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            var job = await client.ReserveScheduledAsync(TimeSpan.FromSeconds(10), group, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("the queue ran dry");
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            reserved.Add(job);
        }

        // Put them back so the queue is as it was.
        await Task.WhenAll(reserved.Select(j => client.ReleaseAsync(j, "", TimeSpan.Zero, cancellationToken))).ConfigureAwait(false);
        latencies.Sort();
        return (Measure.Percentile(latencies, 0.5), Measure.Percentile(latencies, 0.99));
    }

    private static async Task<double> StatusTimeAsync(JobQueueClient client, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            times.Add((await Measure.TimeAsync(async () =>
            {
                await client.GetServerStatsAsync(cancellationToken).ConfigureAwait(false);
                await client.GetRepGroupCountsAsync(null, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false)).TotalMilliseconds);
        }

        return Measure.Median(times);
    }

    private static async Task<double> RepGroupsTimeAsync(BenchHost host, CancellationToken cancellationToken)
    {
        var web = host.Web ?? throw new InvalidOperationException("the bench manager has no web interface");
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            times.Add((await Measure.TimeAsync(async () =>
            {
                using var response = await web.GetAsync(new Uri("rest/v1/repgroups", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false)).TotalMilliseconds);
        }

        return Measure.Median(times);
    }

    /// <summary>Median times to add 1,000 jobs to the large rep group and to a new one, in alternating rounds on the same store.</summary>
    private static async Task<(double Large, double Empty)> AddThousandAsync(JobQueueClient client, CancellationToken cancellationToken)
    {
        var large = new List<double>();
        var empty = new List<double>();
        for (var round = 0; round < 7; round++)
        {
            large.Add(await TimeAddAsync("bench-large").ConfigureAwait(false));
            empty.Add(await TimeAddAsync($"bench-fresh-{round}").ConfigureAwait(false));
        }

        return (Measure.Median(large), Measure.Median(empty));

        async Task<double> TimeAddAsync(string repGroup)
        {
            var specs = Specs(repGroup, 100, 0, 1000).Select(s => s with { Cmd = $"{s.Cmd} {Guid.NewGuid():N}" }).ToList();
            return (await Measure.TimeAsync(() => client.AddAsync(specs, cancellationToken)).ConfigureAwait(false)).TotalMilliseconds;
        }
    }

    /// <summary>A stop (with its backup) and a start; seconds from the start to the first reservation, and of the stop.</summary>
    private static async Task<(double Start, double Stop)> RestartToFirstReservationAsync(BenchHost host, string group, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var stop = await host.RestartAsync(cancellationToken).ConfigureAwait(false);
        var job = await host.Client.ReserveScheduledAsync(TimeSpan.FromSeconds(60), group, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("no job after the restart");
        var elapsed = watch.Elapsed - stop;
        await host.Client.ReleaseAsync(job, "", TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        return (elapsed.TotalSeconds, stop.TotalSeconds);
    }
}
