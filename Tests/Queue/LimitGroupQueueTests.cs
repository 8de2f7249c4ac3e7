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

    [Fact]
    public async Task Jobs_held_back_by_a_limit_of_one_are_handed_out_in_order_to_reserves_of_their_queue_and_of_any_queue_alike()
    {
        var group = Jobs.Unique("order");
        var ram = Jobs.UniqueRam();
        const int count = 24;
        await fixture.Client.AddAsync(
            [.. Enumerable.Range(0, count).Select(i => Jobs.Spec($"echo {i:D2} {group}", group, ramMb: ram) with { LimitGroups = [$"{group}:1"] })],
            Ct);
        var queue = SchedulerGroup.For(ram, JobQueueDefaults.Time, JobQueueDefaults.Cores, [group]);
        var order = new List<string>();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        // Two runners of the queue and two taking from any queue: each buries what it got, which frees the slot while
        // the others are trying for it.
        async Task RunAsync(bool anyQueue)
        {
            var client = fixture.NewClient();
            while (true)
            {
                var job = anyQueue
                    ? await client.ReserveAsync(TimeSpan.FromSeconds(5), done.Token)
                    : await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), queue, done.Token);
                lock (order)
                {
                    order.Add(job!.Cmd);
                }

                await client.BuryAsync(job, "next", Ct);
            }
        }

        var runners = Task.WhenAll(RunAsync(false), RunAsync(false), RunAsync(true), RunAsync(true));
        await Eventually.True(
            () => { lock (order) { return order.Count == count; } },
            TimeSpan.FromSeconds(30),
            "every job to be handed out");

        // The clock stands still, so the runners' last reserves wait until they are cancelled.
        await done.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runners);
        Assert.Equal([.. Enumerable.Range(0, count).Select(i => $"echo {i:D2} {group}")], order);
    }
}
