using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Execution;

/// <summary>The manager's local scheduler starting real runners (real manager process, real runner processes).</summary>
public sealed class SchedulerTests : IDisposable
{
    private readonly TempDirectory _home = new("scheduler");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Twice_as_many_jobs_as_cores_run_at_most_one_per_core_and_the_runners_exit_afterwards()
    {
        var cores = Environment.ProcessorCount;
        await using var manager = await StartLocalAsync();
        await using var client = await manager.ConnectAsync();
        var jobs = Enumerable.Range(0, 2 * cores).Select(i => Jobs.Spec($"sleep 1 # {i}", "sleep")).ToList();
        await client.AddAsync(jobs, Ct);

        await Eventually.True(async () => (await client.GetRepGroupCountsAsync("sleep", Ct)).Single().Complete == jobs.Count, TimeSpan.FromSeconds(90), "all jobs to complete");

        var runs = await client.GetByRepGroupAsync("sleep", state: JobState.Complete, cancellationToken: Ct);
        Assert.Equal(jobs.Count, runs.Count);
        Assert.InRange(MaxOverlap(runs), 1, cores);
        await Eventually.True(async () => !await client.HasRunnersAsync(Ct), TimeSpan.FromSeconds(30), "the runners to exit");
    }

    [Fact]
    public async Task A_job_needing_more_than_the_machine_has_is_buried()
    {
        await using var manager = await StartLocalAsync();
        await using var client = await manager.ConnectAsync();
        await client.AddAsync([Jobs.Spec("echo too big", "big") with { Cores = 10_000 }, Jobs.Spec("echo fits", "big")], Ct);

        var big = await Eventually.Get(
            () => client.GetByCmdAsync("echo too big", "/tmp", cancellationToken: Ct),
            j => j!.State == JobState.Buried,
            what: "the impossible job to be buried");
        Assert.Equal(FailReasons.Resource, big!.FailReason);
        await Eventually.True(async () => (await client.GetByCmdAsync("echo fits", "/tmp", cancellationToken: Ct))!.State == JobState.Complete, TimeSpan.FromSeconds(60), "the job that fits to run");
    }

    [Fact]
    public async Task Draining_lets_the_running_job_finish_starts_nothing_new_and_stops_the_manager()
    {
        var manager = await StartLocalAsync("--Manager:MaxCores", "1");
        await using (manager)
        {
            await using var client = await manager.ConnectAsync();
            await client.AddAsync(Enumerable.Range(0, 4).Select(i => Jobs.Spec($"sleep 2 # {i}", "drain")), Ct);
            await Eventually.True(async () => (await client.GetServerStatsAsync(Ct)).Running == 1, TimeSpan.FromSeconds(60), "a job to run");

            var drain = await client.DrainServerAsync(Ct);

            Assert.Equal(1, drain.Running);
            await Eventually.True(() => manager.HasExited, TimeSpan.FromSeconds(60), "the manager to exit after the drain");
        }

        await using var after = await ManagerProcess.StartAsync(_home.Path);
        await using var check = await after.ConnectAsync();
        var counts = Assert.Single(await check.GetRepGroupCountsAsync("drain", Ct));
        Assert.Equal((1, 3), (counts.Complete, counts.Ready));
    }

    [Fact]
    public async Task Shutdown_stops_the_runners_releasing_their_jobs_and_then_the_manager()
    {
        var manager = await StartLocalAsync();
        await using (manager)
        {
            await using var client = await manager.ConnectAsync();
            await client.AddAsync([Jobs.Spec("sleep 60", "shutdown")], Ct);
            await Eventually.True(async () => (await client.GetByCmdAsync("sleep 60", "/tmp", cancellationToken: Ct)) is { State: JobState.Running, Pid: > 0 }, TimeSpan.FromSeconds(60), "the job's command to run");

            Assert.True(await client.ShutdownServerAsync(Ct));
            await Eventually.True(() => manager.HasExited, TimeSpan.FromSeconds(60), "the manager to exit");
        }

        await using var after = await ManagerProcess.StartAsync(_home.Path);
        await using var check = await after.ConnectAsync();
        var job = (await check.GetByCmdAsync("sleep 60", "/tmp", cancellationToken: Ct))!;
        Assert.Equal((JobState.Ready, FailReasons.Signal, 4), (job.State, job.FailReason, job.UntilBuried));
    }

    private static int MaxOverlap(IReadOnlyList<Job> runs)
    {
        var events = runs.SelectMany(r => new[] { (Time: r.StartedAt!.Value, Delta: 1), (Time: r.EndedAt!.Value, Delta: -1) })
            .OrderBy(e => e.Time).ThenBy(e => e.Delta);
        int current = 0, max = 0;
        foreach (var e in events)
        {
            current += e.Delta;
            max = Math.Max(max, current);
        }

        return max;
    }

    private Task<ManagerProcess> StartLocalAsync(params string[] args) =>
        ManagerProcess.StartAsync(_home.Path, [.. args, "--Manager:Scheduler", "local", "--Manager:RunnerReserveTimeout", "2"]);
}
