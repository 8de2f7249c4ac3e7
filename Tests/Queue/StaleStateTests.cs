using JobQueue.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JobQueue.Tests.Queue;

/// <summary>
/// A job's scheduler group changes only with its needs, and a job grain whose cached row went stale (as after a
/// duplicate activation in a cluster) trusts the store. The store is changed behind the grain's back to stand in for
/// the other activation.
/// </summary>
public sealed class StaleStateTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lease_that_expires_does_not_move_the_job_to_another_scheduler_group()
    {
        var rep = Jobs.Unique("group-stays");
        await _client.AddAsync([Jobs.Spec("echo leased", rep, ramMb: 5000)], Ct);
        var leased = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), "5000:60:1", Ct))!;
        await _client.StartedAsync(leased, 1, "h", Ct);

        // Meanwhile a job of the same kind teaches the req group that it needs far less.
        await _client.AddAsync([Jobs.Spec("echo teacher", rep, ramMb: 5000)], Ct);
        var teacher = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), "5000:60:1", Ct))!;
        await _client.StartedAsync(teacher, 2, "h", Ct);
        await _client.EndedAsync(teacher, 0, 5, TimeSpan.Zero, null, null, Ct);
        await _client.ArchiveAsync(teacher, Ct);

        fixture.Time.Advance(JobQueueDefaults.TimeToRelease + TimeSpan.FromSeconds(1));
        await Eventually.True(async () => (await JobAsync("echo leased")).State == JobState.Ready, what: "lease expiry");

        var back = await JobAsync("echo leased");
        Assert.Equal(("5000:60:1", 5000), (back.Queue, back.RamMb));
    }

    [Fact]
    public async Task A_job_grain_with_a_stale_row_reserves_what_the_store_says_is_ready()
    {
        var rep = Jobs.Unique("stale-decline");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec("echo stale", rep, ramMb: ram)], Ct);
        var first = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;

        // Another activation released it: the store says ready, this grain's cache says reserved.
        await ExecuteAsync("UPDATE jq_jobs SET state = 1, reserved_by = NULL, due_at = NULL, version = version + 1 WHERE key = $key", first.Key);
        await _client.AddAsync([Jobs.Spec("echo nudge", rep, ramMb: ram)], Ct);

        var again = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            // The queue finds the released job when it next looks at the store (on its clock).
            var reserve = _client.ReserveScheduledAsync(TimeSpan.FromSeconds(30), Jobs.GroupFor(ram), Ct);
            await Eventually.True(() =>
            {
                fixture.Time.Advance(TimeSpan.FromMilliseconds(500));
                return reserve.IsCompleted;
            });
            again.Add((await reserve)!.Cmd);
        }

        Assert.Equal(["echo nudge", "echo stale"], again.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_version_conflict_while_reserving_hands_out_the_next_job_instead_of_an_error()
    {
        var rep = Jobs.Unique("stale-conflict");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec("echo taken", rep, priority: 9, ramMb: ram), Jobs.Spec("echo next", rep, ramMb: ram)], Ct);

        // Activate the job grain with its row cached, then change the row behind its back.
        var taken = (await _client.GetByCmdAsync("echo taken", "/tmp", cancellationToken: Ct))!;
        Assert.Equal(0, await _client.DeleteAsync([new JobRef("no-such-key")], Ct));
        Assert.False(await fixture.Cluster.Client.GetGrain<Grains.IJobGrain>(taken.Key).Kick());
        await ExecuteAsync("UPDATE jq_jobs SET version = version + 1 WHERE key = $key", taken.Key);

        var job = await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct);

        Assert.Equal("echo next", job!.Cmd);
    }

    private async Task<Job> JobAsync(string cmd) => (await _client.GetByCmdAsync(cmd, "/tmp", cancellationToken: Ct))!;

    private async Task ExecuteAsync(string sql, string key)
    {
        await using var db = new SqliteConnection($"Data Source={fixture.DbFile};Default Timeout=60");
        await db.OpenAsync(Ct);
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$key", key);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
    }
}
