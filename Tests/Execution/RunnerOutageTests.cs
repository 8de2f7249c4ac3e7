using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Execution;

/// <summary>
/// Real runner and manager processes: a runner keeps or gives up its command by the lease rule when the manager dies
/// or goes away, reconnects to the restarted manager, and its command dies with it. Each command takes an exclusive
/// lock for its whole life and records "overlap" if another copy still holds it, so two copies at once cannot hide.
/// </summary>
public sealed class RunnerOutageTests : IAsyncDisposable
{
    private const int SigKill = 9;
    private static readonly string[] ShortLease = ["--Queue:TimeToRelease", "00:00:08", "--Queue:ReleaseDelay", "00:00:01"];
    private readonly ProcessScene _scene = new("outage");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Log => _scene.Log;

    public ValueTask DisposeAsync() => _scene.DisposeAsync();

    [Fact]
    public async Task A_job_running_when_the_manager_is_killed_completes_once_after_a_restart_never_two_at_once()
    {
        var manager = await StartManagerAsync();
        var job = await AddAsync(manager, 20);
        var runner = StartRunner(manager, job.Queue);
        await Eventually.True(() => Lines("start").Count == 1, TimeSpan.FromSeconds(60), "the command to start");

        await manager.KillHardAsync();
        var restarted = await StartManagerAsync();
        Assert.Equal(manager.Info.Port, restarted.Info.Port);

        await using var client = await restarted.ConnectAsync();
        await Eventually.True(async () => (await client.GetByCmdAsync(job.Cmd, job.Cwd, cancellationToken: Ct))?.State == JobState.Complete, TimeSpan.FromSeconds(90), "the job to complete");
        Assert.Empty(Lines("overlap"));
        Assert.Single(Lines("end"));
        Assert.False(runner.HasExited, "the runner survived the manager's death and kept going");
    }

    [Fact]
    public async Task A_runner_cut_off_for_longer_than_the_lease_kills_its_command_and_the_job_runs_again_after_the_restart()
    {
        var manager = await StartManagerAsync();
        var job = await AddAsync(manager, 15);
        var runner = StartRunner(manager, job.Queue);
        await Eventually.True(() => Lines("start").Count == 1, TimeSpan.FromSeconds(60), "the command to start");
        var firstPid = int.Parse(Lines("start")[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

        await manager.KillHardAsync();

        // No manager can hear from it: once its lease would have run out, the runner kills the command itself.
        await Eventually.True(() => Sessions.LiveMembers(firstPid).Count == 0, TimeSpan.FromSeconds(20), "the cut-off runner to kill its command");
        Assert.Empty(Lines("end"));
        Assert.False(runner.HasExited, "the runner waits for the manager instead of exiting");

        var restarted = await StartManagerAsync();
        await using var client = await restarted.ConnectAsync();
        await Eventually.True(async () => (await client.GetByCmdAsync(job.Cmd, job.Cwd, cancellationToken: Ct))?.State == JobState.Complete, TimeSpan.FromSeconds(90), "the job to run again and complete");
        Assert.Empty(Lines("overlap"));
        Assert.Equal(2, Lines("start").Count);
        Assert.Single(Lines("end"));
    }

    [Fact]
    public async Task A_runner_killed_with_9_takes_its_command_and_everything_the_command_started_with_it()
    {
        var manager = await StartManagerAsync();
        var job = await AddAsync(manager, 300, "(sleep 301 &); ");
        var runner = StartRunner(manager, job.Queue);
        await Eventually.True(() => Lines("start").Count == 1, TimeSpan.FromSeconds(60), "the command to start");
        var sid = int.Parse(Lines("start")[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.True(() => Sessions.LiveMembers(sid).Count >= 3, TimeSpan.FromSeconds(10), "the command's processes to start");

        runner.Signal(SigKill);

        // Well within the 8 s lease after which the job could run again (2 s was missed once on a loaded CI machine;
        // without the guard they would live for minutes).
        await Eventually.True(() => Sessions.LiveMembers(sid).Count == 0, TimeSpan.FromSeconds(6), "every process of the command to die with its runner");
    }

    private async Task<ManagerProcess> StartManagerAsync()
    {
        var manager = _scene.Track(await ManagerProcess.StartAsync(_scene.Home, ShortLease));
        return manager;
    }

    private async Task<Job> AddAsync(ManagerProcess manager, int seconds, string prefix = "")
    {
        // The lock is held by every process of the command (children inherit it) until the last of them dies.
        var lockFile = Path.Combine(_scene.Home, "job.lock");
        var cmd = $"exec 9>>{lockFile}; if flock -n 9; then {prefix}echo \"start $$\" >> {Log}; sleep {seconds}; echo \"end $$\" >> {Log}; else echo \"overlap $$\" >> {Log}; exit 1; fi";
        await using var client = await manager.ConnectAsync();
        await client.AddAsync([new JobSpec { Cmd = cmd, Cwd = _scene.Home, RepGroup = "outage", ReqGroup = "outage", Retries = 3 }], Ct);
        return (await client.GetByCmdAsync(cmd, _scene.Home, cancellationToken: Ct))!;
    }

    private ChildProcess StartRunner(ManagerProcess manager, string group) => _scene.StartRunner(manager, group, 120);

    private List<string> Lines(string kind) => _scene.Lines(kind);
}
