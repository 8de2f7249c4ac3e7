using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Storage;

/// <summary>What survives a manager process that is killed or restarted (real child processes, real SQLite file).</summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly TempDirectory _home = new("durability");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Every_acknowledged_add_survives_a_kill_9_of_the_manager()
    {
        var acknowledged = new List<string>();
        await using (var manager = await ManagerProcess.StartAsync(_home.Path))
        {
            await using var client = await manager.ConnectAsync();
            var adding = Task.Run(
                async () =>
                {
                    for (var batch = 0; ; batch++)
                    {
                        var cmds = Enumerable.Range(0, 25).Select(i => $"echo {batch}.{i}").ToList();
                        try
                        {
                            await client.AddAsync(cmds.Select(c => Jobs.Spec(c, "stream")), Ct);
                        }
                        catch (JobQueueException)
                        {
                            return;
                        }

                        lock (acknowledged)
                        {
                            acknowledged.AddRange(cmds);
                        }
                    }
                },
                Ct);

            await Eventually.True(() => { lock (acknowledged) { return acknowledged.Count >= 2000; } }, what: "adds to be acknowledged");
            await manager.KillHardAsync();
            await adding.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        }

        await using var restarted = await ManagerProcess.StartAsync(_home.Path);
        await using var after = await restarted.ConnectAsync();
        var found = await after.GetByCmdsAsync(acknowledged.Select(c => JobRef.For(c, "/tmp")), cancellationToken: Ct);
        var all = await after.GetByRepGroupAsync("stream", cancellationToken: Ct);

        Assert.Equal(acknowledged.Count, found.Count);
        Assert.All(found, j => Assert.Equal(JobState.Ready, j.State));
        Assert.Equal(all.Count, all.Select(j => j.Key).Distinct().Count());
        Assert.True(all.Count >= acknowledged.Count);
        var counts = Assert.Single(await after.GetRepGroupCountsAsync("stream", Ct));
        Assert.Equal(all.Count, counts.Ready);
    }

    [Fact]
    public async Task Delayed_leased_and_buried_jobs_come_back_as_they_were_and_their_timers_still_fire()
    {
        string[] timing = ["--Queue:TimeToRelease", "00:00:08", "--Queue:ReleaseDelay", "00:00:08"];
        Job delayed, leased;
        await using (var manager = await ManagerProcess.StartAsync(_home.Path, timing))
        {
            await using var client = await manager.ConnectAsync();
            await client.AddAsync(
                [
                    Jobs.Spec("echo delayed", "restart", priority: 4),
                    Jobs.Spec("echo leased", "restart", priority: 3),
                    Jobs.Spec("echo buried", "restart", priority: 2),
                    Jobs.Spec("echo ready", "restart", priority: 1),
                ],
                Ct);
            var group = (await client.GetByCmdAsync("echo ready", "/tmp", cancellationToken: Ct))!.Queue;

            var first = (await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct))!;
            await client.StartedAsync(first, 1, "h", Ct);
            await client.EndedAsync(first, 1, 1, TimeSpan.Zero, null, null, Ct);
            Assert.Equal(JobState.Delayed, await client.ReleaseAsync(first, FailReasons.Exit, cancellationToken: Ct));
            var second = (await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct))!;
            await client.StartedAsync(second, 2, "h", Ct);
            var third = (await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct))!;
            await client.BuryAsync(third, FailReasons.CommandNotFound, Ct);

            delayed = (await client.GetByCmdAsync("echo delayed", "/tmp", cancellationToken: Ct))!;
            leased = (await client.GetByCmdAsync("echo leased", "/tmp", cancellationToken: Ct))!;
            await manager.KillHardAsync();
        }

        await using var restarted = await ManagerProcess.StartAsync(_home.Path, timing);
        await using var after = await restarted.ConnectAsync();
        async Task<Job> Get(string cmd) => (await after.GetByCmdAsync(cmd, "/tmp", cancellationToken: Ct))!;

        // Each due time is kept as it was; a job whose due time already passed may have moved on.
        var delayedNow = await Get("echo delayed");
        Assert.True(
            (delayedNow.State, delayedNow.DueAt) == (JobState.Delayed, delayed.DueAt) || DateTimeOffset.UtcNow >= delayed.DueAt,
            $"delayed job is {delayedNow.State} until {delayedNow.DueAt}, was until {delayed.DueAt}");
        var leasedNow = await Get("echo leased");
        Assert.True(
            (leasedNow.State, leasedNow.ReservedBy, leasedNow.DueAt) == (JobState.Running, leased.ReservedBy, leased.DueAt) || DateTimeOffset.UtcNow >= leased.DueAt,
            $"leased job is {leasedNow.State} by {leasedNow.ReservedBy}");
        var buried = await Get("echo buried");
        Assert.Equal((JobState.Buried, FailReasons.CommandNotFound), (buried.State, buried.FailReason));
        Assert.Equal(JobState.Ready, (await Get("echo ready")).State);

        await Eventually.True(async () => (await Get("echo delayed")).State == JobState.Ready, TimeSpan.FromSeconds(30), "the delay to fire after the restart");
        await Eventually.True(async () => (await Get("echo leased")).State == JobState.Ready, TimeSpan.FromSeconds(30), "the lease to expire after the restart");
        Assert.Equal(JobState.Buried, (await Get("echo buried")).State);
        Assert.Equal(delayed.Attempts, (await Get("echo delayed")).Attempts);
    }

    [Fact]
    public async Task Development_starts_empty_and_production_keeps_jobs()
    {
        async Task<int> AddAndRestart(string deployment)
        {
            await using (var manager = await ManagerProcess.StartAsync(_home.Path, "--Manager:Deployment", deployment))
            {
                await using var client = await manager.ConnectAsync();
                await client.AddAsync([Jobs.Spec($"echo {deployment}", deployment)], Ct);
                await manager.StopAsync();
            }

            await using var again = await ManagerProcess.StartAsync(_home.Path, "--Manager:Deployment", deployment);
            await using var check = await again.ConnectAsync();
            var count = (await check.GetIncompleteAsync(cancellationToken: Ct)).Count;
            await again.StopAsync();
            return count;
        }

        Assert.Equal(1, await AddAndRestart("production"));
        Assert.Equal(0, await AddAndRestart("development"));
    }

    [Fact]
    public async Task A_backup_on_demand_restores_a_database_that_went_missing()
    {
        await using (var manager = await ManagerProcess.StartAsync(_home.Path))
        {
            await using var client = await manager.ConnectAsync();
            await client.AddAsync([Jobs.Spec("echo saved", "on-demand")], Ct);
            var backup = await client.BackupServerAsync(Ct);
            Assert.Equal(Path.Combine(_home.Path, "jobqueue.db.backup"), backup);
            Assert.True(File.Exists(backup));
            await manager.KillHardAsync();
        }

        foreach (var file in Directory.GetFiles(_home.Path, "jobqueue.db*").Where(f => !f.EndsWith(".backup", StringComparison.Ordinal)))
        {
            File.Delete(file);
        }

        await using var restored = await ManagerProcess.StartAsync(_home.Path);
        await using var after = await restored.ConnectAsync();

        Assert.Equal(JobState.Ready, (await after.GetByCmdAsync("echo saved", "/tmp", cancellationToken: Ct))!.State);
        Assert.Contains(restored.Output, l => l.Contains("was missing; restored it from the backup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_corrupt_database_is_restored_from_its_backup()
    {
        await using (var manager = await ManagerProcess.StartAsync(_home.Path))
        {
            await using var client = await manager.ConnectAsync();
            await client.AddAsync([Jobs.Spec("echo precious", "backup")], Ct);
            await manager.StopAsync();
        }

        var db = Path.Combine(_home.Path, "jobqueue.db");
        Assert.True(File.Exists(db + ".backup"), "a clean stop after changes backs the database up");
        await using (var file = new FileStream(db, FileMode.Open, FileAccess.Write))
        {
            file.Write(new byte[4096]);
        }

        await using var restored = await ManagerProcess.StartAsync(_home.Path);
        await using var after = await restored.ConnectAsync();

        Assert.Equal(JobState.Ready, (await after.GetByCmdAsync("echo precious", "/tmp", cancellationToken: Ct))!.State);
        Assert.Contains(restored.Output, l => l.Contains("corrupt", StringComparison.Ordinal) && l.Contains("restored the backup", StringComparison.Ordinal));
    }
}
