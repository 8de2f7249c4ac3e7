using System.Globalization;
using System.Text.RegularExpressions;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Scheduling;

/// <summary>The Slurm scheduler against real Slurm daemons (single node, loopback), real managers and real runners.</summary>
public sealed partial class SlurmSchedulerTests : IAsyncLifetime
{
    private readonly TempDirectory _home = new("slurm");
    private readonly string _cluster = $"slurm{Guid.NewGuid():N}"[..16];
    private ManagerProcess? _manager;

    public SlurmSchedulerTests() => SlurmCluster.Require();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Prefix => $"jobqueue_{_cluster}_";

    private string Log => Path.Combine(_home.Path, "runs.log");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_manager is not null)
        {
            await _manager.DisposeAsync();
        }

        var left = await SlurmCluster.JobsAsync(Prefix);
        if (left.Count > 0)
        {
            await SlurmCluster.RunAsync("scancel", [.. left.Select(j => j.Id)]);
        }

        _home.Dispose();
    }

    [Fact]
    public async Task Two_hundred_jobs_in_three_groups_run_through_runner_jobs_that_ask_for_each_groups_needs()
    {
        await using var client = await StartAsync(maxRunners: 3);
        (int RamMb, int Minutes, int Cores)[] groups = [(100, 2, 1), (200, 3, 1), (150, 4, 2)];
        await client.AddAsync(Enumerable.Range(0, 200).Select(i => Spec($"true {i}", groups[i % 3].RamMb, groups[i % 3].Minutes, groups[i % 3].Cores)), Ct);

        await Eventually.True(async () => Assert.Single(await client.GetRepGroupCountsAsync("slurm", Ct)).Complete == 200, TimeSpan.FromMinutes(3), "every job to complete");

        var submitted = Submitted();
        Assert.True(submitted.Count < 200, $"runner jobs run many commands each ({submitted.Count} submitted)");
        foreach (var (ramMb, minutes, cores) in groups)
        {
            var group = SchedulerGroup.For(ramMb, TimeSpan.FromMinutes(minutes), cores);
            var ids = submitted.Where(s => s.Queue == group).Select(s => s.Id).ToList();
            Assert.NotEmpty(ids);
            foreach (var id in ids)
            {
                var job = await SlurmCluster.ShowJobAsync(id);
                Assert.Equal($"{ramMb}M", job["MinMemoryNode"]);
                Assert.Equal($"{cores}", job["CPUs/Task"]);
                Assert.True(TimeSpan.Parse(job["TimeLimit"], CultureInfo.InvariantCulture) >= TimeSpan.FromMinutes(minutes), $"time limit {job["TimeLimit"]} for {group}");
                Assert.Equal(Prefix + group.Replace(':', '_'), job["JobName"]);
            }
        }
    }

    [Fact]
    public async Task With_max_runners_2_and_100_ready_jobs_never_more_than_2_runner_jobs_exist()
    {
        await using var client = await StartAsync(maxRunners: 2);
        await client.AddAsync(Enumerable.Range(0, 100).Select(i => Spec($"sleep 0.05; true {i}", 100, 2, 1)), Ct);

        var most = 0;
        await Eventually.True(
            async () =>
            {
                most = Math.Max(most, (await SlurmCluster.JobsAsync(Prefix)).Count(j => j.State is "PENDING" or "CONFIGURING" or "RUNNING"));
                return Assert.Single(await client.GetRepGroupCountsAsync("slurm", Ct)).Complete == 100;
            },
            TimeSpan.FromMinutes(3),
            "every job to complete");

        Assert.InRange(most, 1, 2);
    }

    [Fact]
    public async Task A_runner_job_cancelled_by_slurm_gives_its_job_back_within_the_lease_and_it_completes_once()
    {
        await using var client = await StartAsync(maxRunners: 1);
        var lockFile = Path.Combine(_home.Path, "job.lock");
        var ranBefore = Path.Combine(_home.Path, "ran-before");

        // The first run never ends on its own (a cancel reaching it late on a loaded machine must not let it complete),
        // and fails if its sleep is killed before its shell (Slurm signals one process at a time); the next run ends at once.
        var cmd = $"exec 9>>{lockFile}; if flock -n 9; then echo \"start $$\" >> {Log}; if [ -e {ranBefore} ]; then sleep 1; else touch {ranBefore}; sleep 600 || exit 1; fi; echo \"end $$\" >> {Log}; else echo \"overlap $$\" >> {Log}; exit 1; fi";
        await client.AddAsync([Spec(cmd, 100, 2, 1)], Ct);
        await Eventually.True(() => Lines("start").Count == 1, TimeSpan.FromSeconds(90), "the command to start");
        var running = Assert.Single(await SlurmCluster.JobsAsync(Prefix), j => j.State == "RUNNING");

        await SlurmCluster.RunAsync("scancel", running.Id);

        await Eventually.True(async () => (await client.GetByCmdAsync(cmd, "/tmp", cancellationToken: Ct))!.State is not (JobState.Running or JobState.Reserved) || Lines("start").Count == 2, TimeSpan.FromSeconds(8), "the job to come back within its lease");
        try
        {
            await Eventually.True(async () => (await client.GetByCmdAsync(cmd, "/tmp", cancellationToken: Ct))!.State == JobState.Complete, TimeSpan.FromMinutes(2), "the job to run again and complete");
        }
        catch (TimeoutException ex)
        {
            var job = await client.GetByCmdAsync(cmd, "/tmp", cancellationToken: Ct);
            var slurm = string.Join(", ", (await SlurmCluster.JobsAsync(Prefix)).Select(j => $"{j.Id} {j.State}"));
            throw new TimeoutException($"{ex.Message}\njob: {job!.State} {job.FailReason} attempts {job.Attempts}\nslurm jobs: {slurm}\n{Diagnosis(running.Id)}", ex);
        }

        Assert.True(Lines("overlap").Count == 0 && Lines("start").Count == 2 && Lines("end").Count == 1, Diagnosis(running.Id));
    }

    [Fact]
    public async Task Pending_runners_say_why_a_job_too_big_for_any_node_is_buried_and_a_drain_leaves_no_runner_job()
    {
        await using var client = await StartAsync(maxRunners: 3);

        // Each runner needs every core of the node: one runs, the others wait for resources.
        var cores = Environment.ProcessorCount;
        await client.AddAsync(Enumerable.Range(0, 3).Select(i => Spec($"sleep 3; true {i}", 100, 2, cores)), Ct);
        await client.AddAsync([Spec("true too big", 100_000_000, 2, 1)], Ct);

        var cli = new CliRunner(_home.Path);
        var why = await Eventually.Get(
            () => cli.RunAsync("status", "--rep-grp", "slurm", "--state", "ready", "--json"),
            r => r.ExitCode == 0 && r.Json.Any(j => j.TryGetProperty("schedulerNote", out var note) && note.GetString()!.Contains("pending in Slurm", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60),
            "a ready job to show why its runner is pending");
        Assert.Contains(why.Json, j => j.TryGetProperty("schedulerNote", out var note) && ResourceReason().IsMatch(note.GetString()!));
        var big = await Eventually.Get(() => client.GetByCmdAsync("true too big", "/tmp", cancellationToken: Ct), j => j!.State == JobState.Buried, TimeSpan.FromSeconds(30), "the impossible job to be buried");
        Assert.Equal(FailReasons.Resource, big!.FailReason);

        await client.DrainServerAsync(Ct);

        await Eventually.True(async () => (await SlurmCluster.JobsAsync(Prefix)).Count(j => j.State == "PENDING") == 0, TimeSpan.FromSeconds(15), "pending runner jobs to be cancelled");
        await Eventually.True(async () => (await SlurmCluster.JobsAsync(Prefix)).Count == 0 && _manager!.HasExited, TimeSpan.FromSeconds(60), "the drain to finish with no runner job left");
    }

    private async Task<JobQueueClient> StartAsync(int maxRunners)
    {
        _manager = await ManagerProcess.StartAsync(
            _home.Path,
            "--Manager:Scheduler", "slurm",
            "--Manager:ClusterId", _cluster,
            "--Slurm:MaxRunners", maxRunners.ToString(CultureInfo.InvariantCulture),
            "--Slurm:PollSeconds", "1",
            "--Slurm:RunnerIdleTimeout", "5",
            "--Slurm:RunnerMinutes", "30",
            "--Queue:TimeToRelease", "00:00:08",
            "--Queue:ReleaseDelay", "00:00:01");
        return await _manager.ConnectAsync();
    }

    private static JobSpec Spec(string cmd, int ramMb, int minutes, int cores) => new()
    {
        Cmd = cmd,
        Cwd = "/tmp",
        RepGroup = "slurm",
        ReqGroup = "slurm",
        RamMb = ramMb,
        Time = TimeSpan.FromMinutes(minutes),
        Cores = cores,
        Override = 2,
    };

    private List<(string Id, string Queue)> Submitted() =>
        [.. File.ReadLines(Path.Combine(_home.Path, "logs", "manager.log"))
            .Select(l => SubmittedLine().Match(l))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value))];

    private string Diagnosis(string cancelled) =>
        string.Join('\n', File.ReadAllLines(Log)) + "\n" + string.Join('\n', File.ReadLines(Path.Combine(_home.Path, "logs", "manager.log")).TakeLast(30)) + $"\ncancelled {cancelled}";

    private List<string> Lines(string kind) =>
        File.Exists(Log) ? [.. File.ReadAllLines(Log).Where(l => l.StartsWith(kind + " ", StringComparison.Ordinal))] : [];

    [GeneratedRegex(@"Submitted Slurm job (\d+) for (\S+)")]
    private static partial Regex SubmittedLine();

    [GeneratedRegex(@"\((Resources|Priority)")]
    private static partial Regex ResourceReason();
}
