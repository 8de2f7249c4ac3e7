using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Cli;

/// <summary>The benchmark command prints machine-readable figures with same-run baselines (small runs; no timing asserted).</summary>
public sealed class BenchTests : IDisposable
{
    private readonly TempDirectory _home = new("bench");

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("add", new[] { "add_throughput", "add_throughput_vs_fsync_log" })]
    [InlineData("bulk", new[] { "bulk_retry_buried", "bulk_mod", "bulk_retry_after_restart", "bulk_mod_after_restart" })]
    [InlineData("cycle", new[] { "cycle_throughput", "cycle_throughput_vs_fsync_log", "cycle_throughput_reserve_and_start", "cycle_throughput_combined", "cycle_throughput_tls" })]
    [InlineData("deps", new[] { "deps_pipeline_cycle_throughput", "deps_pipeline_add_throughput", "deps_pipeline_peak_memory" })]
    [InlineData("scale", new[] { "fill_add_throughput", "reserve_latency_p50", "reserve_latency_p99", "add_1000_to_large_rep_group", "status_summary", "process_memory", "restart_to_first_reservation", "stop_with_backup", "status_json_stream", "status_json_peak_memory", "bulk_retry_buried", "bulk_mod", "rest_repgroups_latency_10000_groups", "manager_process_memory" })]
    public async Task A_benchmark_prints_one_json_figure_per_line(string scenario, string[] figures)
    {
        var result = await new CliRunner(_home.Path).RunAsync("bench", scenario, "--jobs", "3000", "--clients", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        var printed = result.Json;
        Assert.Equal(figures, printed.Select(f => f.GetProperty("name").GetString()));
        Assert.All(printed, f =>
        {
            Assert.True(f.GetProperty("value").GetDouble() > 0, $"{f}");
            Assert.Equal(3000, f.GetProperty("jobs").GetInt64());
            Assert.Equal("sqlite", f.GetProperty("store").GetString());
            Assert.False(string.IsNullOrEmpty(f.GetProperty("unit").GetString()));
        });
        Assert.All(printed.Where(f => f.TryGetProperty("baseline", out _)), f => Assert.True(f.GetProperty("ratio").GetDouble() > 0));
    }

    [Fact]
    public async Task The_run_benchmark_times_true_commands_through_jobqueue_run_against_xargs()
    {
        var result = await new CliRunner(_home.Path).RunAsync("bench", "run", "--jobs", "200");

        Assert.True(result.ExitCode == 0, result.ToString());
        var figure = Assert.Single(result.Json);
        Assert.Equal("run_true_commands", figure.GetProperty("name").GetString());
        Assert.Equal(200, figure.GetProperty("jobs").GetInt64());
        Assert.True(figure.GetProperty("value").GetDouble() > 0, $"{figure}");
        Assert.StartsWith("xargs_-P_", figure.GetProperty("baselineName").GetString(), StringComparison.Ordinal);
        Assert.True(figure.GetProperty("baseline").GetDouble() > 0, $"{figure}");
        Assert.True(figure.GetProperty("breakdown").GetProperty("cpu_seconds").GetDouble() > 0, $"{figure}");
        Assert.True(figure.GetProperty("breakdown").GetProperty("xargs_bash_seconds").GetDouble() > 0, $"{figure}");
    }

    [Fact]
    public async Task The_cluster_cycle_benchmark_runs_one_and_two_manager_processes_and_says_where_each_spent_its_time()
    {
        await using var database = await PostgresDatabase.CreateAsync();

        var result = await new CliRunner(_home.Path).RunAsync("bench", "cycle", "--store", "postgres", "--connection", database.ConnectionString, "--managers", "2", "--jobs", "300", "--clients", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        var figure = Assert.Single(result.Json);
        Assert.Equal("cycle_throughput_2_managers", figure.GetProperty("name").GetString());
        Assert.True(figure.GetProperty("value").GetDouble() > 0 && figure.GetProperty("baseline").GetDouble() > 0, $"{figure}");
        // Writes are committed where the job grains live, not where a client connected: the managers' shares vary.
        var breakdown = figure.GetProperty("breakdown");
        var managers = new[] { "manager0", "manager1" };
        Assert.All(managers, m => Assert.True(breakdown.GetProperty($"{m}_cpu_share").GetDouble() > 0, $"{figure}"));
        Assert.True(managers.Sum(m => breakdown.GetProperty($"{m}_commits_per_s").GetDouble()) > 0, $"{figure}");
    }
}
