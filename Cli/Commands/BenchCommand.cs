using System.CommandLine;
using JobQueue.Cli.Bench;
using JobQueue.Grains.Storage;

namespace JobQueue.Cli;

/// <summary>jobqueue bench add|bulk|cycle|deps|slurm|run|scale: speed and memory on a temporary store, one JSON object per figure.</summary>
public static class BenchCommand
{
    /// <summary>The "bench" command.</summary>
    public static Command Create()
    {
        var bench = new Command("bench", "Measure speed and memory on a temporary store; prints one JSON object per figure, each with a baseline from the same run");
        bench.Subcommands.Add(Scenario("add", "Durable add throughput of one request", 100_000, (store, cs, jobs, _, ct) => BenchScenarios.AddAsync(store, cs, jobs, ct)));
        bench.Subcommands.Add(Scenario("cycle", "reserve, started, ended, archive cycles per second with no-op work", 20_000, (store, cs, jobs, clients, ct) => BenchScenarios.CycleAsync(store, cs, jobs, clients, ct)));
        bench.Subcommands.Add(Scenario("slurm", "true commands end to end through the Slurm scheduler against the local scheduler (needs Slurm)", 2_000, (_, _, jobs, _, ct) => SlurmBench.RunAsync(jobs, ct)));
        bench.Subcommands.Add(Scenario("run", "true commands end to end through jobqueue run (fresh home, local runners) against xargs -P cores", 2_000, (_, _, jobs, _, ct) => RunBench.RunAsync(jobs, ct)));
        bench.Subcommands.Add(Scenario("deps", "A three-step pipeline (cmd_deps, then a group) added and cycled, against the same jobs without dependencies", 100_000, (store, cs, jobs, clients, ct) => DepsBench.RunAsync(store, cs, jobs, clients, ct)));
        bench.Subcommands.Add(Scenario("bulk", "Server-side retry and mod of buried jobs (the bulk figures of scale, on an otherwise empty queue)", 100_000, (store, cs, jobs, _, ct) => ScaleListings.BulkAsync(store, cs, jobs, ct)));
        bench.Subcommands.Add(Scenario("scale", "Reserve latency, adds, status, memory and restart with a million ready jobs", 1_000_000, (store, cs, jobs, _, ct) => BenchScenarios.ScaleAsync(store, cs, jobs, ct)));
        return bench;
    }

    private static Command Scenario(string name, string description, int defaultJobs, Func<string, string?, int, int, CancellationToken, Task> run)
    {
        var jobs = new Option<int>("--jobs", "-n") { Description = "How many jobs", DefaultValueFactory = _ => defaultJobs };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients (cycle)", DefaultValueFactory = _ => 8 };
        var managers = new Option<int>("--managers") { Description = "cycle with --store postgres: also run the cycles through this many manager processes", DefaultValueFactory = _ => 1 };
        var store = new Option<string>("--store") { Description = "sqlite or postgres", DefaultValueFactory = _ => JobStoreProviders.Sqlite };
        var connection = new Option<string?>("--connection") { Description = "PostgreSQL connection string (default: $JOBQUEUE_BENCH_POSTGRES); its database is wiped" };
        var command = new Command(name, description) { jobs, clients, store, connection };
        if (name == "cycle")
        {
            command.Options.Add(managers);
        }

        Cli.SetAction(command, async (parse, cancellationToken) =>
        {
            var provider = parse.GetValue(store)!;
            var cs = parse.GetValue(connection) ?? Environment.GetEnvironmentVariable("JOBQUEUE_BENCH_POSTGRES");
            if (provider is not (JobStoreProviders.Sqlite or JobStoreProviders.Postgres))
            {
                return Cli.Error($"--store \"{provider}\" must be sqlite or postgres");
            }

            if (provider == JobStoreProviders.Postgres && string.IsNullOrWhiteSpace(cs))
            {
                return Cli.Error("--store postgres needs --connection (or $JOBQUEUE_BENCH_POSTGRES)");
            }

            if (parse.GetValue(jobs) < 1 || parse.GetValue(clients) < 1)
            {
                return Cli.Error("--jobs and --clients must be at least 1");
            }

            if (name == "cycle" && parse.GetValue(managers) > 1)
            {
                if (provider != JobStoreProviders.Postgres)
                {
                    return Cli.Error("--managers needs --store postgres (managers share only PostgreSQL)");
                }

                await ClusterBench.CycleAsync(cs!, parse.GetValue(jobs), parse.GetValue(clients), parse.GetValue(managers), cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await run(provider, cs, parse.GetValue(jobs), parse.GetValue(clients), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
