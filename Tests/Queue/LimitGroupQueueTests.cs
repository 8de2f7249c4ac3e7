using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>
/// A queue whose limit group is full holds its jobs back, and a reserve waiting on it gets a job the moment a slot
/// is given back. The clock is fake and stands still, so only the news of the freed slot can end the wait.
/// </summary>
public sealed class LimitGroupQueueTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_reserve_held_back_by_a_full_limit_group_gets_a_job_as_soon_as_a_slot_is_given_back()
    {
        var client = fixture.Client;
        var group = Jobs.Unique("lim");
        var ram = Jobs.UniqueRam();
        await client.AddAsync(
            [.. new[] { "first", "second", "third" }.Select(n => Jobs.Spec($"echo {n} {group}", group, ramMb: ram) with { LimitGroups = [$"{group}:1"] })],
            Ct);
        var queue = SchedulerGroup.For(ram, JobQueueDefaults.Time, JobQueueDefaults.Cores, [group]);

        var first = await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), queue, Ct);
        Assert.Equal($"echo first {group}", first!.Cmd);
        var waiting = fixture.NewClient().ReserveScheduledAsync(TimeSpan.FromSeconds(5), queue, Ct);
        var any = fixture.NewClient().ReserveAsync(TimeSpan.FromSeconds(5), Ct);
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        Assert.False(waiting.IsCompleted, "a job was handed out beyond the limit");
        Assert.False(any.IsCompleted, "a reserve from any group got a job beyond the limit");
        Assert.Equal([new LimitGroupInfo(group, 1, 1)], (await client.GetLimitsAsync(Ct)).Where(l => l.Name == group));

        await client.BuryAsync(first, "done with it", Ct);

        // One slot came back: one of the two waiting reserves gets the next job, the other goes on waiting.
        var winner = await Task.WhenAny(waiting, any).WaitAsync(TimeSpan.FromSeconds(3), Ct);
        Assert.Equal($"echo second {group}", (await winner)!.Cmd);
        var loser = winner == waiting ? any : waiting;
        Assert.Equal([new LimitGroupInfo(group, 1, 1)], (await client.GetLimitsAsync(Ct)).Where(l => l.Name == group));
        Assert.False(loser.IsCompleted, "the freed slot was handed out twice");

        // A raised limit lets the other one go on.
        await client.SetLimitAsync(group, 2, Ct);
        var third = await loser.WaitAsync(TimeSpan.FromSeconds(3), Ct);
        Assert.Equal($"echo third {group}", third!.Cmd);
        Assert.Equal([group], third.LimitGroups);
    }
}
