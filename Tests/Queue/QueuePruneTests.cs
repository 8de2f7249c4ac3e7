using JobQueue.Grains.Storage.Sqlite;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>
/// Scheduler groups without ready jobs are forgotten, so per-group work does not grow with every group ever seen; a
/// forgotten group comes back with its next job, which any-group reserves then find.
/// </summary>
public sealed class QueuePruneTests(QueuePruneClusterFixture fixture) : IClassFixture<QueuePruneClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_group_without_ready_jobs_is_forgotten_and_comes_back_with_its_next_ready_job()
    {
        var client = fixture.NewClient();
        var ram = Jobs.UniqueRam();
        var group = Jobs.GroupFor(ram);
        var rep = Jobs.Unique("prune");
        await client.AddAsync([Jobs.Spec($"echo {rep}", rep, ramMb: ram)], Ct);
        Assert.Contains(group, await GroupsAsync());

        var job = await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct);
        Assert.NotNull(job);
        await Eventually.Ticking(fixture.Time, async () => !(await GroupsAsync()).Contains(group), TimeSpan.FromSeconds(20), "the group to be forgotten");

        // The release makes it ready again: the group is back, and a reserve from any group finds the job.
        await client.ReleaseAsync(job, FailReasons.Exit, TimeSpan.Zero, Ct);
        Assert.Contains(group, await GroupsAsync());
        var again = await client.ReserveAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.NotNull(again);
        Assert.Equal(job.Key, again.Key);
    }

    private async Task<IReadOnlyList<string>> GroupsAsync()
    {
        await using var store = SqliteJobStore.OpenReadOnly(fixture.DbFile);
        return await store.GetQueuesAsync(Ct);
    }
}
