using System.Text;
using JobQueue.Client.Execution;
using JobQueue.Grains.Learning;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Execution;

/// <summary>ExecuteAsync running real commands against the test cluster on real time.</summary>
public sealed class ExecuteTests(RealTimeClusterFixture fixture) : IClassFixture<RealTimeClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;
    private readonly ExecutionHarness _harness = new(fixture.Client);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_command_that_fails_is_retried_then_buried_and_kick_runs_it_again()
    {
        var job = await AddAsync(Spec("sleep 0.1 && false", retries: 2));

        var results = new List<ExecutionResult>();
        while (results.LastOrDefault()?.State != JobState.Buried)
        {
            results.Add(await ReserveAndExecuteAsync(job.Queue));
            Assert.True(results.Count <= 3, "buried after its third failure");
        }

        Assert.Equal([JobState.Delayed, JobState.Delayed, JobState.Buried], results.Select(r => r.State));
        Assert.All(results, r => Assert.Equal((1, FailReasons.Exit), (r.ExitCode, r.FailReason)));
        var buried = await GetAsync(job);
        Assert.Equal((JobState.Buried, 3, 1, FailReasons.Exit, true), (buried.State, buried.Attempts, buried.ExitCode, buried.FailReason, buried.Exited));
        // The manager times the run from the report that it started to the one that it ended, which both travel, so
        // it is within a few milliseconds of the command's own 100 ms.
        Assert.True(buried.Walltime >= TimeSpan.FromMilliseconds(90), $"wall time {buried.Walltime}");

        Assert.Equal(1, await _client.KickAsync([new JobRef(job.Key)], Ct));
        var again = await ReserveAndExecuteAsync(job.Queue);
        Assert.Equal((JobState.Delayed, 4), (again.State, (await GetAsync(job)).Attempts));
    }

    [Fact]
    public async Task Cpu_time_counts_the_commands_whole_tree_even_while_another_command_runs()
    {
        // A busy subshell (which the shell waits for) burns about 0.7 s of CPU on this machine; two at once,
        // so neither can be told apart by what this process reaped: each must be its own tree's CPU.
        const string Busy = "( i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done ); true";
        var jobs = await Task.WhenAll(AddAsync(Spec(Busy + " # one")), AddAsync(Spec(Busy + " # two")));

        var runs = await Task.WhenAll(jobs.Select(j => ReserveAndExecuteAsync(j.Queue)));

        Assert.All(runs, run =>
        {
            Assert.True(run.Succeeded, $"{run}");
            Assert.True(run.CpuTime >= TimeSpan.FromMilliseconds(400) && run.CpuTime <= (2 * run.Walltime) + TimeSpan.FromSeconds(1), $"{run}");
        });
        foreach (var job in jobs)
        {
            var done = await GetAsync(job);
            Assert.Contains(runs, r => Math.Abs((r.CpuTime - done.CpuTime).TotalMilliseconds) < 1); // kept to the millisecond
        }
    }

    [Theory]
    [InlineData("exit 126", 126, FailReasons.CommandPermission)]
    [InlineData("jobqueue-no-such-command-anywhere", 127, FailReasons.CommandNotFound)]
    [InlineData("exit 128", 128, FailReasons.CommandInvalidExit)]
    public async Task Commands_that_cannot_work_are_buried_after_one_attempt(string cmd, int exitCode, string reason)
    {
        var job = await AddAsync(Spec(cmd, retries: 5));

        var result = await ReserveAndExecuteAsync(job.Queue);

        Assert.Equal((false, exitCode, reason, JobState.Buried), (result.Succeeded, result.ExitCode, result.FailReason, result.State));
        var stored = await GetAsync(job, getStd: true);
        Assert.Equal((JobState.Buried, 1, reason), (stored.State, stored.Attempts, stored.FailReason));
    }

    [Fact]
    public async Task A_missing_working_directory_fails_with_the_cwd_reason()
    {
        var job = await AddAsync(Spec("echo never") with { Cwd = "/nonexistent/jobqueue-test-dir" });

        var result = await ReserveAndExecuteAsync(job.Queue);

        Assert.Equal((FailReasons.Cwd, JobState.Buried), (result.FailReason, result.State));
        Assert.Equal((JobState.Buried, FailReasons.Cwd, 0), ((await GetAsync(job)).State, (await GetAsync(job)).FailReason, (await GetAsync(job)).Attempts));
    }

    [Fact]
    public async Task A_command_that_uses_more_memory_than_it_reserved_is_killed_and_asks_for_more()
    {
        // bash keeps the 300 MB string in memory while it sleeps.
        var job = await AddAsync(Spec("x=$(head -c 300000000 /dev/zero | tr '\\0' a); sleep 30; echo ${#x}", ramMb: 100));

        var result = await ReserveAndExecuteAsync(job.Queue);

        Assert.Equal((false, FailReasons.Ram), (result.Succeeded, result.FailReason));
        Assert.True(result.PeakRamMb > 100, $"peak {result.PeakRamMb} MB");
        Assert.True(result.Walltime < TimeSpan.FromSeconds(25), "killed, not left to finish");
        var raised = await GetAsync(job);
        Assert.Equal(FailReasons.Ram, raised.FailReason);
        Assert.Equal(Requirements.RaisedRam(raised.PeakRamMb), raised.RamMb);
        Assert.Equal(1, raised.Override);
        Assert.Equal(SchedulerGroup.For(raised.RamMb, raised.Time, raised.Cores), raised.Queue);
    }

    [Fact]
    public async Task A_command_that_outruns_its_time_is_killed_and_gets_an_hour_more()
    {
        var job = await AddAsync(Spec("sleep 30") with { Time = TimeSpan.FromSeconds(1) });

        var result = await ReserveAndExecuteAsync(job.Queue, new ExecuteOptions { TimeMargin = TimeSpan.FromMilliseconds(500) });

        Assert.Equal(FailReasons.Time, result.FailReason);
        var raised = await GetAsync(job);
        Assert.Equal(TimeSpan.FromSeconds(1) + TimeSpan.FromHours(1), raised.Time);
    }

    [Fact]
    public async Task Huge_and_binary_output_is_kept_as_head_and_tail_only()
    {
        // Both fail at the end: output is kept for failed runs.
        var text = await AddAsync(Spec("yes | head -c 20000000; exit 4"));
        var binary = await AddAsync(Spec("head -c 20000000 /dev/urandom; echo done >&2; exit 4"));

        var textResult = await ReserveAndExecuteAsync(text.Queue);
        Assert.Equal((4, FailReasons.Exit), (textResult.ExitCode, textResult.FailReason));
        Assert.Equal(4, (await ReserveAndExecuteAsync(binary.Queue)).ExitCode);

        var stored = await GetAsync(text, getStd: true);
        var marker = HeadTailBuffer.OmissionMarker(20_000_000 - 8192);
        Assert.Equal(8192 + marker.Length, Encoding.UTF8.GetByteCount(stored.StdOut!));
        Assert.StartsWith("y\ny\n", stored.StdOut, StringComparison.Ordinal);
        Assert.Contains(marker, stored.StdOut, StringComparison.Ordinal);
        Assert.EndsWith("y\ny\n", stored.StdOut, StringComparison.Ordinal);
        var binaryStored = await GetAsync(binary, getStd: true);
        Assert.True(binaryStored.Exited);
        Assert.Contains(HeadTailBuffer.OmissionMarker(20_000_000 - 8192), binaryStored.StdOut, StringComparison.Ordinal);
        Assert.Equal("done\n", binaryStored.StdErr);
    }

    [Fact]
    public async Task The_environment_given_at_add_time_is_the_commands_environment()
    {
        // Exit 7 proves HOME was unset; a failed run keeps its output to read the greeting from.
        var job = await AddAsync(Spec("echo \"$JQ_GREETING from $PWD\"; test -z \"$HOME\" && exit 7") with { Env = ["JQ_GREETING=hello", "PATH=/usr/bin:/bin"] });

        var result = await ReserveAndExecuteAsync(job.Queue);

        Assert.Equal(7, result.ExitCode);
        var stored = await GetAsync(job, getStd: true, getEnv: true);
        Assert.Equal("hello from /tmp\n", stored.StdOut);
        Assert.Equal(["JQ_GREETING=hello", "PATH=/usr/bin:/bin"], stored.Env);
    }

    [Fact]
    public async Task A_pipe_fails_when_any_part_of_it_fails()
    {
        var job = await AddAsync(Spec("false | cat"));

        var result = await ReserveAndExecuteAsync(job.Queue);

        Assert.Equal((1, FailReasons.Exit), (result.ExitCode, result.FailReason));
    }

    [Fact]
    public async Task A_killed_running_job_is_stopped_at_its_next_touch_and_buried()
    {
        var job = await AddAsync(Spec("sleep 30"));
        var reserved = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(10), job.Queue, Ct))!;
        var execution = _client.ExecuteAsync(reserved, options: new ExecuteOptions { TouchInterval = TimeSpan.FromMilliseconds(200) }, cancellationToken: Ct);
        await Eventually.True(async () => (await GetAsync(job)).State == JobState.Running, what: "the job to start");

        Assert.Equal(1, await _client.KillAsync([new JobRef(job.Key)], Ct));
        var result = await execution.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal((FailReasons.Killed, JobState.Buried), (result.FailReason, result.State));
        Assert.Equal(JobState.Buried, (await GetAsync(job)).State);
    }

    [Fact]
    public async Task Learned_requirements_replace_the_users_after_completed_runs()
    {
        var reqGroup = Jobs.Unique("learn");
        for (var i = 0; i < 5; i++)
        {
            var run = await AddAsync(Spec($"echo run {i}") with { ReqGroup = reqGroup });
            Assert.True((await ReserveAndExecuteAsync(run.Queue)).Succeeded);
        }

        var learned = await AddAsync(Spec("echo learned") with { ReqGroup = reqGroup, RamMb = 5000, Time = TimeSpan.FromHours(5), Override = 0 });
        var overridden = await AddAsync(Spec("echo mine") with { ReqGroup = reqGroup, RamMb = 5000, Time = TimeSpan.FromHours(5), Override = 2 });
        var larger = await AddAsync(Spec("echo larger") with { ReqGroup = reqGroup, RamMb = 50, Time = TimeSpan.FromMinutes(10), Override = 1 });

        Assert.Equal((100, TimeSpan.FromMinutes(30), "100:30:1"), (learned.RamMb, learned.Time, learned.Queue));
        Assert.Equal((5000, TimeSpan.FromHours(5)), (overridden.RamMb, overridden.Time));
        Assert.Equal((100, TimeSpan.FromMinutes(30)), (larger.RamMb, larger.Time));
    }

    private static JobSpec Spec(string cmd, int retries = 3, int ramMb = 0) => ExecutionHarness.Spec(cmd, retries, ramMb);

    private Task<Job> AddAsync(JobSpec spec) => _harness.AddAsync(spec);

    private Task<Job> GetAsync(Job job, bool getStd = false, bool getEnv = false) => _harness.GetAsync(job, getStd, getEnv);

    private Task<ExecutionResult> ReserveAndExecuteAsync(string queue, ExecuteOptions? options = null) => _harness.ReserveAndExecuteAsync(queue, options);
}
