using JobQueue.Grains;
using JobQueue.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JobQueue.Tests.Execution;

/// <summary>Where the model's documentation says how things go: fail reasons, kept output, and whose lease counts.</summary>
public sealed class ModelParityTests(RealTimeClusterFixture fixture) : IClassFixture<RealTimeClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;
    private readonly ExecutionHarness _harness = new(fixture.Client);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("kill -9 $$", 137)]
    [InlineData("sleep 30 & kill -TERM $!; wait $!", 143)]
    public async Task A_command_killed_by_a_signal_failed_to_complete_normally(string cmd, int exitCode)
    {
        var job = await _harness.AddAsync(ExecutionHarness.Spec(cmd));

        var result = await _harness.ReserveAndExecuteAsync(job.Queue);

        Assert.Equal((exitCode, FailReasons.Abnormal, JobState.Delayed), (result.ExitCode, result.FailReason, result.State));
    }

    [Fact]
    public async Task A_job_whose_environment_cannot_be_read_is_buried_without_running()
    {
        var marker = Path.Combine(fixture.Scratch, $"ran-{Guid.NewGuid():N}");
        var job = await _harness.AddAsync(ExecutionHarness.Spec($"touch {marker}") with { Env = [$"ONLY_HERE={Guid.NewGuid():N}", "PATH=/usr/bin:/bin"] });
        await using (var db = new SqliteConnection($"Data Source={fixture.DbFile};Default Timeout=60"))
        {
            await db.OpenAsync(Ct);
            await using var corrupt = db.CreateCommand();
            corrupt.CommandText = "UPDATE jq_envs SET data = x'00ff00ff' WHERE env_key = (SELECT env_key FROM jq_jobs WHERE key = $key)";
            corrupt.Parameters.AddWithValue("$key", job.Key);
            Assert.Equal(1, await corrupt.ExecuteNonQueryAsync(Ct));
        }

        var result = await _harness.ReserveAndExecuteAsync(job.Queue);

        Assert.Equal((FailReasons.Env, JobState.Buried), (result.FailReason, result.State));
        Assert.False(File.Exists(marker), "the command must not run under the runner's own environment");
        Assert.Equal(FailReasons.Env, (await _harness.GetAsync(job)).FailReason);
    }

    [Fact]
    public async Task What_a_command_left_running_in_its_session_is_killed_when_it_ends()
    {
        var pidFile = Path.Combine(fixture.Scratch, $"pid-{Guid.NewGuid():N}");
        var job = await _harness.AddAsync(ExecutionHarness.Spec($"(sleep 300 &); echo $$ > {pidFile}"));

        var result = await _harness.ReserveAndExecuteAsync(job.Queue);

        Assert.True(result.Succeeded, result.FailReason);
        var sid = int.Parse((await File.ReadAllTextAsync(pidFile, Ct)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.True(() => Sessions.LiveMembers(sid).Count == 0, TimeSpan.FromSeconds(2), "the left-behind sleep to be killed");
    }

    [Fact]
    public async Task Output_is_kept_for_runs_that_failed_only()
    {
        var good = await _harness.AddAsync(ExecutionHarness.Spec("echo fine; echo chatter >&2"));
        var bad = await _harness.AddAsync(ExecutionHarness.Spec("echo broken; echo why >&2; exit 3"));

        Assert.True((await _harness.ReserveAndExecuteAsync(good.Queue)).Succeeded);
        Assert.False((await _harness.ReserveAndExecuteAsync(bad.Queue)).Succeeded);

        var kept = await _harness.GetAsync(bad, getStd: true);
        var dropped = await _harness.GetAsync(good, getStd: true);
        Assert.Equal(("broken\n", "why\n"), (kept.StdOut, kept.StdErr));
        Assert.Equal((JobState.Complete, "", ""), (dropped.State, dropped.StdOut, dropped.StdErr));
    }

    [Fact]
    public async Task A_job_whose_command_never_ran_can_be_released_without_limit()
    {
        var job = await _harness.AddAsync(ExecutionHarness.Spec("true", retries: 1));
        for (var i = 0; i < 4; i++)
        {
            var reserved = await _harness.ReserveAsync(job.Queue);
            Assert.Equal(JobState.Ready, await _client.ReleaseAsync(reserved, FailReasons.Exit, TimeSpan.Zero, Ct));
        }

        Assert.Equal((JobState.Ready, 2), ((await _harness.GetAsync(job)).State, (await _harness.GetAsync(job)).UntilBuried));

        // A run that failed does count.
        var ran = await _harness.ReserveAsync(job.Queue);
        await _client.StartedAsync(ran, 1, "h", Ct);
        await _client.EndedAsync(ran, 1, 1, TimeSpan.Zero, null, null, Ct);
        Assert.Equal(JobState.Ready, await _client.ReleaseAsync(ran, FailReasons.Exit, TimeSpan.Zero, Ct));
        Assert.Equal(1, (await _harness.GetAsync(job)).UntilBuried);
    }

    [Fact]
    public async Task Only_the_client_that_reserved_a_job_may_act_on_it()
    {
        var job = await _harness.AddAsync(ExecutionHarness.Spec("true"));
        var mine = await _harness.ReserveAsync(job.Queue);
        var other = fixture.NewClient();

        // Anyone sees who holds the lease, nobody else sees its secret.
        var seen = (await other.GetByCmdAsync(job.Cmd, job.Cwd, cancellationToken: Ct))!;
        Assert.Equal((_client.ClientId, (string?)null), (seen.ReservedBy, seen.LeaseToken));

        var withQuery = await Assert.ThrowsAsync<JobQueueException>(() => other.TouchAsync(seen, Ct));
        var withMine = await Assert.ThrowsAsync<JobQueueException>(() => other.TouchAsync(mine, Ct));
        var forged = await Assert.ThrowsAsync<JobQueueException>(() => other.TouchAsync(seen with { ReservedBy = other.ClientId, LeaseToken = mine.LeaseToken }, Ct));
        var guessed = await Assert.ThrowsAsync<JobQueueException>(
            () => fixture.Cluster.Client.GetGrain<IJobGrain>(job.Key).Touch(Leases.Compose(_client.ClientId, Guid.NewGuid().ToString("N"))));
        Assert.All([withQuery, withMine, forged, guessed], e => Assert.Equal(JobQueueErrorKind.MustReserve, e.Kind));
        Assert.False((await _client.TouchAsync(mine, Ct)).KillRequested);
    }
}
