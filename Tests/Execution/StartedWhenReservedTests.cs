using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Execution;

/// <summary>ExecuteAsync on jobs reserved and started in one commit (as runners take them): their pid still reaches the manager.</summary>
public sealed class StartedWhenReservedTests(RealTimeClusterFixture fixture) : IClassFixture<RealTimeClusterFixture>, IDisposable
{
    private readonly JobQueueClient _client = fixture.Client;
    private readonly ExecutionHarness _harness = new(fixture.Client);
    private readonly TempDirectory _dir = new("reserve-start");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("true", true)]
    [InlineData("exit 3", false)]
    public async Task A_short_run_reports_its_pid_with_its_end(string then, bool succeeds)
    {
        var pidFile = Path.Combine(_dir.Path, $"pid-{succeeds}");
        var job = await _harness.AddAsync(ExecutionHarness.Spec($"echo $$ > {pidFile}; {then}"));

        var started = await ReserveAndStartAsync(job);
        var result = await _client.ExecuteAsync(started, "bash", cancellationToken: Ct);

        Assert.Equal(succeeds, result.Succeeded);
        var runs = await _client.GetRunsAsync(job.Cmd, job.Cwd, cancellationToken: Ct);
        var run = succeeds ? Assert.Single(runs) : await _harness.GetAsync(job);
        Assert.Equal((succeeds ? JobState.Complete : JobState.Delayed, 1, Environment.MachineName), (run.State, run.Attempts, run.Host));
        Assert.Equal(ReadPid(pidFile), run.Pid);
    }

    [Fact]
    public async Task A_longer_run_reports_its_pid_while_it_runs()
    {
        var pidFile = Path.Combine(_dir.Path, "pid");
        var go = Path.Combine(_dir.Path, "go");
        var job = await _harness.AddAsync(ExecutionHarness.Spec($"echo $$ > {pidFile}; while [ ! -e {go} ]; do sleep 0.05; done"));

        var started = await ReserveAndStartAsync(job);
        var execution = _client.ExecuteAsync(started, "bash", cancellationToken: Ct);
        var running = await Eventually.Get(() => _harness.GetAsync(job), j => j.Pid != 0, what: "its pid reached the manager");
        Assert.Equal((JobState.Running, ReadPid(pidFile)), (running.State, running.Pid));
        Assert.False(execution.IsCompleted);

        File.WriteAllText(go, "");
        Assert.True((await execution).Succeeded);
        Assert.Equal(ReadPid(pidFile), Assert.Single(await _client.GetRunsAsync(job.Cmd, job.Cwd, cancellationToken: Ct)).Pid);
    }

    [Fact]
    public async Task A_job_whose_working_directory_is_missing_is_buried_without_an_attempt()
    {
        var job = await _harness.AddAsync(ExecutionHarness.Spec("true") with { Cwd = Path.Combine(_dir.Path, "missing") });

        var result = await _client.ExecuteAsync(await ReserveAndStartAsync(job), "bash", cancellationToken: Ct);

        Assert.Equal((JobState.Buried, FailReasons.Cwd), (result.State, result.FailReason));
        var buried = await _harness.GetAsync(job);
        Assert.Equal((JobState.Buried, 0, FailReasons.Cwd), (buried.State, buried.Attempts, buried.FailReason));
    }

    private static int ReadPid(string file) => int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<Job> ReserveAndStartAsync(Job job)
    {
        var started = await _client.ReserveAndStartAsync(TimeSpan.FromSeconds(10), job.Queue, Environment.MachineName, Ct);
        Assert.NotNull(started);
        Assert.Equal((job.Key, JobState.Running, 0), (started.Key, started.State, started.Pid));
        return started;
    }
}
