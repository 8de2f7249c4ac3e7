using JobQueue.Client.Execution;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Execution;

/// <summary>The jobqueue-runner program against a real manager.</summary>
public sealed class RunnerTests(ManagerFixture fixture) : IClassFixture<ManagerFixture>
{
    private const int SigTerm = 15;

    private readonly JobQueueClient _client = fixture.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_runner_told_to_stop_releases_its_job_at_no_cost_and_exits_and_the_job_runs_again_elsewhere()
    {
        using var scratch = new TempDirectory("runner-signal");
        var job = await AddAsync($"if [ -e done ]; then echo second > second.txt; exit 0; fi; touch done; sleep 60", scratch.Path);
        await using var runner = StartRunner(job.Queue, reserveTimeout: 30);
        // Runners start a job when they reserve it; its command runs once its pid is reported.
        var commandPid = (await Eventually.Get(() => GetAsync(job), j => j is { State: JobState.Running, Pid: > 0 }, what: "the runner to start the job's command")).Pid;

        runner.Signal(SigTerm);

        Assert.Equal(0, await runner.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var released = await GetAsync(job);
        Assert.Equal((JobState.Ready, FailReasons.Signal, 4, 1), (released.State, released.FailReason, released.UntilBuried, released.Attempts));
        Assert.False(Directory.Exists($"/proc/{commandPid}"), "the command was killed with the runner");

        await using var other = StartRunner(job.Queue, reserveTimeout: 2);
        Assert.Equal(0, await other.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var done = await GetAsync(job);
        Assert.Equal((JobState.Complete, "second\n"), (done.State, await File.ReadAllTextAsync(Path.Combine(scratch.Path, "second.txt"), TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task A_runner_streaming_huge_output_keeps_its_memory_flat()
    {
        // It fails at the end, so that its output is kept.
        var job = await AddAsync("yes | head -c 600000000; exit 9", "/tmp");
        await using var runner = StartRunner(job.Queue, reserveTimeout: 30);
        await Eventually.True(async () => (await GetAsync(job)) is { Exited: true, ExitCode: 9 }, TimeSpan.FromSeconds(60), "the job to end");

        var peak = runner.PeakResidentMb();
        TestContext.Current.SendDiagnosticMessage($"runner peak RSS {peak} MB");

        Assert.True(peak < 300, $"the runner peaked at {peak} MB while its command wrote 600 MB");
        var stored = await GetAsync(job, getStd: true);
        Assert.Contains(HeadTailBuffer.OmissionMarker(600_000_000 - 8192), stored.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runner_exits_when_no_job_arrives_within_its_reserve_timeout()
    {
        await using var runner = StartRunner(Jobs.GroupFor(Jobs.UniqueRam()), reserveTimeout: 1);

        Assert.True(0 == await runner.WaitForExitAsync(TimeSpan.FromSeconds(60)), string.Join("\n", runner.Output));
        Assert.Contains(runner.Output, l => l.Contains("no job arrived", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cmds", "development", "this is a development runner but the manager")]
    [InlineData("other", "production", "this runner serves queue \"other\" but the manager")]
    public async Task A_runner_refuses_a_manager_of_another_deployment_or_queue(string queue, string deployment, string expected)
    {
        await using var runner = StartRunner(Jobs.GroupFor(Jobs.UniqueRam()), reserveTimeout: 30, queue, deployment);

        Assert.Equal(1, await runner.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(runner.Output, l => l.Contains(expected, StringComparison.Ordinal));
    }

    private ChildProcess StartRunner(string group, int reserveTimeout, string queue = "cmds", string deployment = "production") => ChildProcess.Start(
        "jobqueue-runner.dll",
        ["--queue", queue, "--group", group, "--deployment", deployment, "--server", fixture.Manager.Info.Address, "--reserve-timeout", $"{reserveTimeout}", "--max-mins", "0"],
        fixture.RunnerEnvironment);

    private async Task<Job> AddAsync(string cmd, string cwd)
    {
        var spec = new JobSpec { Cmd = $"{cmd} # {Guid.NewGuid():N}", Cwd = cwd, RepGroup = Jobs.Unique("runner"), ReqGroup = Jobs.Unique("runner"), RamMb = Jobs.UniqueRam() };
        await _client.AddAsync([spec], Ct);
        return (await _client.GetByCmdAsync(spec.Cmd, spec.Cwd, cancellationToken: Ct))!;
    }

    private async Task<Job> GetAsync(Job job, bool getStd = false) => (await _client.GetByCmdAsync(job.Cmd, job.Cwd, getStd, false, Ct))!;
}
