using JobQueue.Home;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Cli;

/// <summary>The built jobqueue command line in child processes, against real managers on a temporary home.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private const int SigTerm = 15;

    private readonly CliHome _home = new("cli");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CliRunner _cli => _home.Cli;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _home.DisposeAsync();

    [Fact]
    public async Task Manager_start_add_status_and_stop_work_together()
    {
        var started = await _cli.RunAsync("manager", "start", "--scheduler", "none");
        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.Contains("manager started: listening on 127.0.0.1:", started.Stdout, StringComparison.Ordinal);
        var info = ManagerInfo.Read(_home.Path)!;
        Assert.Contains($"pid {info.Pid}", started.Stdout, StringComparison.Ordinal);

        var file = WriteJobs("greetings.jobs", "echo hello", "echo world\t{\"rep_grp\":\"other\",\"priority\":7}", "", "printf x");
        var added = await _cli.RunAsync("add", "-f", file, "--rep-grp", "greetings");
        Assert.Equal(0, added.ExitCode);
        Assert.Equal("added 3, existed 0", added.Stdout.Trim());

        var table = await _cli.RunAsync("status");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("greetings", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("other", table.Stdout, StringComparison.Ordinal);

        var json = await _cli.RunAsync("status", "--json");
        Assert.Equal(0, json.ExitCode);
        var jobs = json.Json;
        Assert.Equal(3, jobs.Count);
        Assert.All(jobs, j => Assert.Equal("ready", j.GetProperty("state").GetString()));
        var world = Assert.Single(jobs, j => j.GetProperty("cmd").GetString() == "echo world");
        Assert.Equal(("other", 7, _home.Path), (world.GetProperty("repGroup").GetString(), world.GetProperty("priority").GetInt32(), world.GetProperty("cwd").GetString()));
        foreach (var field in new[] { "key", "reqGroup", "attempts", "untilBuried", "exited", "exitCode", "failReason", "ramMb", "peakRamMb", "similar" })
        {
            Assert.True(world.TryGetProperty(field, out _), $"status --json lacks {field}");
        }

        var one = await _cli.RunAsync("status", "--cmd", "echo hello", "--json", "--env");
        Assert.Contains(one.Json.Single().GetProperty("env").EnumerateArray(), e => e.GetString()!.StartsWith("PATH=", StringComparison.Ordinal));

        var stopped = await _cli.RunAsync("manager", "stop");
        Assert.Equal(0, stopped.ExitCode);
        Assert.Contains("manager stopped", stopped.Stdout, StringComparison.Ordinal);
        Assert.Null(ManagerInfo.Read(_home.Path));
    }

    [Fact]
    public async Task Jobs_added_to_a_manager_with_the_local_scheduler_run_to_complete()
    {
        Assert.Equal(0, (await _cli.RunAsync("manager", "start")).ExitCode);
        var ran = Path.Combine(_home.Path, "ran.txt");
        var file = WriteJobs("run.jobs", $"echo one >> {ran}", $"echo two >> {ran}", $"echo three >> {ran}");
        Assert.Equal(0, (await _cli.RunAsync("add", "-f", file, "--rep-grp", "local")).ExitCode);

        var done = await Eventually.Get(
            () => _cli.RunAsync("status", "--rep-grp", "local", "--json", "--std"),
            r => r.Json.Count == 3 && r.Json.All(j => j.GetProperty("state").GetString() == "complete"),
            TimeSpan.FromSeconds(90),
            "the jobs to complete");

        Assert.Equal(["one", "three", "two"], File.ReadAllLines(ran).Order(StringComparer.Ordinal));
        var stats = await _cli.RunAsync("manager", "status", "--json");
        Assert.Equal(3, stats.Json.Single().GetProperty("complete").GetInt32());
    }

    [Fact]
    public async Task Adding_the_same_file_twice_reports_every_job_as_existed()
    {
        Assert.Equal(0, (await _cli.RunAsync("manager", "start", "--scheduler", "none")).ExitCode);
        var file = WriteJobs("twice.jobs", "echo a", "echo b", "echo c", "echo d");

        Assert.Equal("added 4, existed 0", (await _cli.RunAsync("add", "-f", file)).Stdout.Trim());
        Assert.Equal("added 0, existed 4", (await _cli.RunWithInputAsync(File.ReadAllText(file), "add", "-")).Stdout.Trim());
        var json = await _cli.RunAsync("add", "-f", file, "--json");
        Assert.Equal((0, 4), (json.Json.Single().GetProperty("added").GetInt32(), json.Json.Single().GetProperty("existed").GetInt32()));
    }

    [Fact]
    public async Task Run_with_a_failing_command_exits_3_and_status_shows_why()
    {
        var file = WriteJobs("fails.jobs", "echo fine", "ls /no/such/jobqueue/file\t{\"retries\":0}");

        var run = await _cli.RunAsync("run", file, "--rep-grp", "failing");

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("added 2, existed 0", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("command exited non-zero", run.Stdout, StringComparison.Ordinal);
        Assert.Null(ManagerInfo.Read(_home.Path));

        // The embedded manager is gone; a started one reads the same database.
        Assert.Equal(0, (await _cli.RunAsync("manager", "start", "--scheduler", "none")).ExitCode);
        var status = await _cli.RunAsync("status", "--rep-grp", "failing", "--json", "--std");
        var failed = Assert.Single(status.Json, j => j.GetProperty("state").GetString() == "buried");
        Assert.Equal(("ls /no/such/jobqueue/file", "command exited non-zero", 2), (failed.GetProperty("cmd").GetString(), failed.GetProperty("failReason").GetString(), failed.GetProperty("exitCode").GetInt32()));
        Assert.Contains("No such file or directory", failed.GetProperty("stderr").GetString(), StringComparison.Ordinal);
        var table = await _cli.RunAsync("status");
        Assert.Contains("command exited non-zero", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("No such file", table.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo ok\t{\"priority\": 5", 1, "not valid JSON")]
    [InlineData("echo ok\t{\"priority\": 300}", 1, "Priority is 300")]
    [InlineData("echo ok\n\t{\"priority\": 1}", 2, "the command is empty")]
    [InlineData("echo ok\necho two\t{\"colour\": \"red\"}", 2, "unknown option \"colour\"")]
    [InlineData("echo ok\necho two\t{\"memory\": \"lots\"}", 2, "memory")]
    public async Task A_malformed_line_exits_1_naming_it_and_nothing_is_added(string content, int line, string problem)
    {
        Assert.Equal(0, (await _cli.RunAsync("manager", "start", "--scheduler", "none")).ExitCode);
        var file = Path.Combine(_home.Path, "bad.jobs");
        await File.WriteAllTextAsync(file, "echo first\n" + content + "\n", Ct);

        var added = await _cli.RunAsync("add", "-f", file);

        Assert.Equal(1, added.ExitCode);
        Assert.Contains($"line {line + 1}:", added.Stderr, StringComparison.Ordinal);
        Assert.Contains(problem, added.Stderr, StringComparison.Ordinal);
        Assert.Empty((await _cli.RunAsync("status", "--json")).Json);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("add", "-f", "/etc/hostname")]
    [InlineData("retry", "--all")]
    [InlineData("manager", "status")]
    [InlineData("manager", "stop")]
    public async Task Commands_without_a_running_manager_exit_2_and_say_how_to_start_one(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no manager is running", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("jobqueue manager start", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interrupted_run_continues_on_the_next_run_without_running_completed_jobs_twice()
    {
        var log = Path.Combine(_home.Path, "ran.log");
        // Two jobs finish at once; the others wait for a gate the test opens only after the interruption.
        var gate = Path.Combine(_home.Path, "gate");
        var file = WriteJobs("resume.jobs", [.. Enumerable.Range(1, 8).Select(i => i <= 2
            ? $"echo {i} >> {log}"
            : $"while [ ! -e {gate} ]; do sleep 0.1; done; echo {i} >> {log}")]);

        using (var first = _cli.Start(null, "run", file, "--rep-grp", "resume"))
        {
            var stdout = first.StandardOutput.ReadToEndAsync(Ct);
            var stderr = first.StandardError.ReadToEndAsync(Ct);
            await Eventually.True(() => File.Exists(log) && File.ReadAllLines(log).Length >= 2, TimeSpan.FromSeconds(90), "some jobs to complete");
            // TERM, which the run treats as Ctrl-C's INT: a test host started in the background (as by "./test.sh &")
            // passes on an ignored INT, as a shell's background job does, and the run rightly keeps ignoring it.
            ChildProcess.Send(first.Id, SigTerm);
            await Task.WhenAny(first.WaitForExitAsync(Ct), Task.Delay(TimeSpan.FromSeconds(120), Ct));
            var exited = first.HasExited;
            if (!exited)
            {
                first.Kill(entireProcessTree: true);
            }

            var managerLog = Path.Combine(_home.Path, "logs", "manager.log");
            var diagnosis = $"exit {(first.HasExited ? first.ExitCode : -1)}\n{await stdout}\n{await stderr}\n{(File.Exists(managerLog) ? string.Join('\n', File.ReadLines(managerLog).TakeLast(40)) : "")}";
            Assert.True(exited && first.ExitCode == 130, diagnosis);
        }

        Assert.Equal(["1", "2"], File.ReadAllLines(log).Order(StringComparer.Ordinal));
        await File.WriteAllTextAsync(gate, "", Ct);

        var second = await _cli.RunAsync("run", file, "--rep-grp", "resume");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("added 0, existed 8", second.Stdout, StringComparison.Ordinal);
        var ran = File.ReadAllLines(log);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"{i}"), ran.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Retry_remove_and_kill_act_on_the_chosen_jobs()
    {
        var file = WriteJobs("mixed.jobs", "exit 3\t{\"retries\":0}", "exit 4\t{\"retries\":0}");
        Assert.Equal(3, (await _cli.RunAsync("run", file, "--rep-grp", "mixed")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("manager", "start", "--scheduler", "none")).ExitCode);

        Assert.Equal("kicked 2 jobs", (await _cli.RunAsync("retry", "--rep-grp", "mixed")).Stdout.Trim());
        Assert.Equal("removed 1 job", (await _cli.RunAsync("remove", "--cmd", "exit 3")).Stdout.Trim());
        Assert.Equal("killed 0 jobs", (await _cli.RunAsync("kill", "--all")).Stdout.Trim());
        var left = (await _cli.RunAsync("status", "--json")).Json;
        Assert.Equal(["exit 4"], left.Select(j => j.GetProperty("cmd").GetString()));
        Assert.Equal("ready", left.Single().GetProperty("state").GetString());
        Assert.Equal(1, (await _cli.RunAsync("retry")).ExitCode);
    }

    [Fact]
    public async Task Status_json_streams_every_job_page_by_page_from_the_manager_and_from_the_database()
    {
        Assert.Equal(0, (await _cli.RunAsync("manager", "start", "--scheduler", "none")).ExitCode);
        var big = WriteJobs("big.jobs", [.. Enumerable.Range(0, 2300).Select(i => $"echo big {i}")]);
        var small = WriteJobs("small.jobs", [.. Enumerable.Range(0, 200).Select(i => $"echo small {i}")]);
        Assert.Equal(0, (await _cli.RunAsync("add", "-f", big, "--rep-grp", "big")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("add", "-f", small, "--rep-grp", "small")).ExitCode);

        // More jobs than one page (1,000) of the manager's listing.
        var all = (await _cli.RunAsync("status", "--json")).Json;
        Assert.Equal(2500, all.Select(j => j.GetProperty("key").GetString()).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(2500, all.Count);
        var ready = (await _cli.RunAsync("status", "--json", "--rep-grp", "big", "--state", "ready")).Json;
        Assert.Equal(2300, ready.Count);
        Assert.All(ready, j => Assert.Equal("big", j.GetProperty("repGroup").GetString()));

        // Without a manager, status reads the database itself, page by page too.
        Assert.Equal(0, (await _cli.RunAsync("manager", "stop")).ExitCode);
        var offline = await _cli.RunAsync("status", "--json");
        Assert.Contains("read-only", offline.Stderr, StringComparison.Ordinal);
        Assert.Equal(all.Select(j => j.GetProperty("key").GetString()).Order(StringComparer.Ordinal), offline.Json.Select(j => j.GetProperty("key").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Manager_pause_and_resume_show_in_manager_status()
    {
        Assert.Equal(0, (await _cli.RunAsync("manager", "start", "--scheduler", "none")).ExitCode);

        var paused = await _cli.RunAsync("manager", "pause");
        Assert.True(paused.ExitCode == 0, paused.ToString());
        Assert.Equal("manager paused", paused.Stdout.Trim());
        Assert.Equal(ModeNames.Paused, (await _cli.RunAsync("manager", "status", "--json")).Json.Single().GetProperty("serverInfo").GetProperty("mode").GetString());

        Assert.Equal("manager started", (await _cli.RunAsync("manager", "resume")).Stdout.Trim());
        Assert.Equal(ModeNames.Started, (await _cli.RunAsync("manager", "status", "--json")).Json.Single().GetProperty("serverInfo").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Limit_groups_are_set_while_adding_and_by_limit_set_listed_and_removed()
    {
        Assert.Equal(0, (await _cli.RunAsync("manager", "start", "--scheduler", "none")).ExitCode);
        var jobs = WriteJobs("limited.jobs", "echo one", "echo two\t{\"limit_grps\":[\"db\"]}");

        var added = await _cli.RunAsync("add", "-f", jobs, "--limit-grps", "irods:2,db");
        Assert.True(added.ExitCode == 0, added.ToString());
        var listed = await _cli.RunAsync("status", "--json");
        Assert.Equal(
            ["db,irods", "db"],
            listed.Json.OrderBy(j => j.GetProperty("cmd").GetString(), StringComparer.Ordinal).Select(j => string.Join(',', j.GetProperty("limitGroups").EnumerateArray().Select(g => g.GetString()))));

        Assert.Equal(0, (await _cli.RunAsync("limit", "set", "db", "5")).ExitCode);
        Assert.Equal(["db 5", "irods 2"], (await _cli.RunAsync("limit", "list", "--json")).Json.Select(g => $"{g.GetProperty("name").GetString()} {g.GetProperty("limit")}"));

        Assert.Equal(0, (await _cli.RunAsync("limit", "remove", "db")).ExitCode);
        Assert.Equal(["irods 2"], (await _cli.RunAsync("limit", "list", "--json")).Json.Select(g => $"{g.GetProperty("name").GetString()} {g.GetProperty("limit")}"));

        var bad = await _cli.RunAsync("add", "-f", jobs, "--limit-grps", "no spaces:x");
        Assert.Equal(ExitCodes.BadInput, bad.ExitCode);
        Assert.Contains("LimitGroups[0]", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Why_says_for_a_job_and_for_a_rep_group_that_no_runners_are_started_and_status_json_carries_it()
    {
        Assert.Equal(0, (await _cli.RunAsync("manager", "start", "--scheduler", "none")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("add", "-f", WriteJobs("why.jobs", "echo a", "echo b"), "--rep-grp", "why")).ExitCode);
        var jobs = await Eventually.Get(
            async () => (await _cli.RunAsync("status", "--rep-grp", "why", "--json")).Json,
            j => j.All(job => job.GetProperty("why").EnumerateArray().Any(r => r.GetString()!.StartsWith("no manager starts runners", StringComparison.Ordinal))),
            what: "the manager to say that it starts no runners");
        var second = jobs.Single(j => j.GetProperty("cmd").GetString() == "echo b");

        var why = await _cli.RunAsync("why", second.GetProperty("key").GetString()!);
        Assert.True(why.ExitCode == 0, why.ToString());
        Assert.Contains($"no manager starts runners (scheduler none): start one with \"jobqueue runner --group {second.GetProperty("queue").GetString()}\"", why.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 ready jobs of its scheduler group go first", why.Stdout, StringComparison.Ordinal);

        // Dependents say what they wait on, in status --json and counted per rep group.
        Assert.Equal(0, (await _cli.RunAsync("add", "-f", WriteJobs("first.jobs", "echo first"), "--rep-grp", "first", "--dep-grps", "first")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("add", "-f", WriteJobs("after.jobs", "echo c", "echo d"), "--rep-grp", "why", "--deps", "first")).ExitCode);
        var waiting = "it waits on 1 of its 1 dependencies: group first (1 incomplete)";
        var dependents = (await _cli.RunAsync("status", "--rep-grp", "why", "--state", "dependent", "--json")).Json;
        Assert.Equal([waiting, waiting], dependents.Select(j => j.GetProperty("why").EnumerateArray().Single().GetString()));

        var group = await _cli.RunAsync("why", "--rep-grp", "why");
        Assert.Contains("4 incomplete jobs in rep group why", group.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\s2\s+no manager starts runners", group.Stdout);
        Assert.Matches($@"\s2\s+{System.Text.RegularExpressions.Regex.Escape(waiting)}", group.Stdout);
        Assert.Equal(ExitCodes.BadInput, (await _cli.RunAsync("why", "nosuchkey")).ExitCode);
    }

    [Fact]
    public async Task Mod_changes_the_selected_jobs_on_the_server_and_refuses_bad_values_naming_them()
    {
        Assert.Equal(0, (await _cli.RunAsync("manager", "start", "--scheduler", "none")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("add", "-f", WriteJobs("mod.jobs", "echo a", "echo b"), "--rep-grp", "before")).ExitCode);

        var mod = await _cli.RunAsync("mod", "--rep-grp", "before", "--priority", "9", "--memory", "3G", "--override", "2", "--to-rep-grp", "after", "--json");
        Assert.True(mod.ExitCode == 0, mod.ToString());
        Assert.Equal(2, mod.Json.Single().GetProperty("modified").GetInt32());
        var jobs = (await _cli.RunAsync("status", "--rep-grp", "after", "--json")).Json;
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal((9, 3072), (j.GetProperty("priority").GetInt32(), j.GetProperty("ramMb").GetInt32())));

        var nothing = await _cli.RunAsync("mod", "--rep-grp", "after");
        Assert.Equal(ExitCodes.BadInput, nothing.ExitCode);
        Assert.Contains("say what to change", nothing.Stderr, StringComparison.Ordinal);
        var bad = await _cli.RunAsync("mod", "--all", "--retries", "300");
        Assert.Equal(ExitCodes.BadInput, bad.ExitCode);
        Assert.Contains("Retries is 300", bad.Stderr, StringComparison.Ordinal);
    }

    private string WriteJobs(string name, params string[] lines)
    {
        var path = Path.Combine(_home.Path, name);
        File.WriteAllLines(path, lines);
        return path;
    }
}
