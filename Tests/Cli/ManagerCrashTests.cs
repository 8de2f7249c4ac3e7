using System.Diagnostics;
using JobQueue.Home;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Cli;

/// <summary>What a user sees after a manager died: no false "already running", status without a manager, private files.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ManagerCrashTests : IAsyncLifetime
{
    private const int SigKill = 9;
    private readonly TempDirectory _home = new("crash");
    private readonly CliRunner _cli;
    private readonly List<Process> _keepers = [];

    public ManagerCrashTests() => _cli = new CliRunner(_home.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (ManagerInfo.Read(_home.Path) is not null)
        {
            await _cli.RunAsync("manager", "stop");
        }

        foreach (var keeper in _keepers)
        {
            keeper.Kill(entireProcessTree: true);
            keeper.Dispose();
        }

        _home.Dispose();
    }

    [Fact]
    public async Task Manager_start_after_a_kill_9_starts_a_manager_that_answers_even_while_the_dead_one_is_a_zombie()
    {
        // The manager runs under a parent that never reaps it (as under a late-reaping PID 1 in a container),
        // so after kill -9 its pid stays in the process table as a zombie.
        var keeper = StartUnreaped();
        await Eventually.True(() => ManagerInfo.Read(_home.Path) is not null, TimeSpan.FromSeconds(60), "the first manager to start");
        var dead = ManagerInfo.Read(_home.Path)!;
        ChildProcess.Send(dead.Pid, SigKill);
        await Eventually.True(() => !Sessions.IsAlive(dead.Pid), TimeSpan.FromSeconds(30), "the first manager to die");
        Assert.True(Directory.Exists($"/proc/{dead.Pid}"), "the dead manager should linger as a zombie for this test to mean anything");
        Assert.False(keeper.HasExited);

        var started = await _cli.RunAsync("manager", "start", "--scheduler", "none");

        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.Contains("manager started", started.Stdout, StringComparison.Ordinal);
        Assert.Contains($"previous manager (pid {dead.Pid}) had died", started.Stdout, StringComparison.Ordinal);
        var live = ManagerInfo.Read(_home.Path)!;
        Assert.NotEqual(dead.Pid, live.Pid);
        var status = await _cli.RunAsync("manager", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"pid {live.Pid}", status.Stdout, StringComparison.Ordinal);

        // Asked again, it finds the live one and says so.
        var again = await _cli.RunAsync("manager", "start", "--scheduler", "none");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already running", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(live.Pid, ManagerInfo.Read(_home.Path)!.Pid);
    }

    [Fact]
    public async Task Status_reads_the_database_when_no_manager_runs_and_changing_commands_say_how_to_start_one()
    {
        var file = Path.Combine(_home.Path, "mixed.jobs");
        await File.WriteAllLinesAsync(file, ["echo fine", "echo broken >&2; exit 3\t{\"retries\":0}"], TestContext.Current.CancellationToken);
        var run = await _cli.RunAsync("run", file, "--rep-grp", "mixed");
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("jobqueue status", run.Stdout, StringComparison.Ordinal);
        Assert.Null(ManagerInfo.Read(_home.Path));

        var table = await _cli.RunAsync("status");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("mixed", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("broken", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("read-only", table.Stderr, StringComparison.Ordinal);
        Assert.Single(table.Stderr.Trim().Split('\n'));

        var buried = await _cli.RunAsync("status", "--rep-grp", "mixed", "--state", "buried", "--json", "--std");
        Assert.True(buried.ExitCode == 0, buried.ToString());
        var job = Assert.Single(buried.Json);
        Assert.Equal("echo broken >&2; exit 3", job.GetProperty("cmd").GetString());
        Assert.Contains("broken", job.GetProperty("stderr").GetString(), StringComparison.Ordinal);
        var one = await _cli.RunAsync("status", "--cmd", "echo fine", "--json");
        Assert.Equal("complete", Assert.Single(one.Json).GetProperty("state").GetString());

        var retry = await _cli.RunAsync("retry", "--rep-grp", "mixed");
        Assert.Equal(2, retry.ExitCode);
        Assert.Contains("jobqueue manager start", retry.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_home_and_everything_holding_jobs_are_private_to_their_owner()
    {
        var secret = Path.Combine(_home.Path, "secret.jobs");
        await File.WriteAllLinesAsync(secret, ["echo $SECRET_TOKEN"], TestContext.Current.CancellationToken);
        var started = await _cli.RunAsync("manager", "start", "--scheduler", "none");
        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.Equal(0, (await _cli.RunAsync("add", "-f", secret, "--env", "SECRET_TOKEN=hunter2")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("manager", "backup")).ExitCode);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_home.Path));
        var files = new[] { "jobqueue.db", "jobqueue.db-wal", "jobqueue.db.backup", "manager.json", "manager.lock", "ports.json", "logs/manager.log", "logs/manager.out" };
        foreach (var name in files)
        {
            var path = Path.Combine(_home.Path, name);
            Assert.True(File.Exists(path), $"{name} should exist");
            Assert.True(File.GetUnixFileMode(path) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{name} is {File.GetUnixFileMode(path)}");
        }

        // Commands and environments are not written to the log at Information level.
        Assert.Equal(0, (await _cli.RunAsync("manager", "stop")).ExitCode);
        foreach (var log in Directory.GetFiles(Path.Combine(_home.Path, "logs")))
        {
            var text = await File.ReadAllTextAsync(log, TestContext.Current.CancellationToken);
            Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRET_TOKEN", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_command_waits_for_a_manager_that_is_alive_but_not_answering_instead_of_calling_it_missing()
    {
        const int SigStop = 19;
        const int SigCont = 18;
        await using var manager = await ManagerProcess.StartAsync(_home.Path);

        // Frozen for longer than a connection's first time-out: the manager is busy, not gone.
        manager.Signal(SigStop);
        var status = _cli.RunAsync("manager", "status");
        await Task.Delay(TimeSpan.FromSeconds(12), TestContext.Current.CancellationToken);
        manager.Signal(SigCont);

        var result = await status;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"pid {manager.Pid}", result.Stdout, StringComparison.Ordinal);
    }

    private Process StartUnreaped()
    {
        // sh starts the manager in the background and then becomes "sleep", which never waits for children.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("dotnet \"$0\" >/dev/null 2>&1 & exec sleep 600");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "jobqueue-manager.dll"));
        start.Environment["JOBQUEUE_HOME"] = _home.Path;
        start.Environment["JOBQUEUE__Manager__Scheduler"] = "none";
        var keeper = Process.Start(start)!;
        _keepers.Add(keeper);
        return keeper;
    }
}
