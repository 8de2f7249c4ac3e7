using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>Priority and FIFO order hold when more jobs are ready than the queue keeps in memory.</summary>
public sealed class ReadyOrderTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reservation_order_is_priority_then_add_order_with_3000_ready_and_late_arrivals_above_inside_and_below_the_buffer()
    {
        var client = fixture.Client;
        var rep = Jobs.Unique("order3000");
        var ram = Jobs.UniqueRam();
        var added = new List<(string Cmd, int Priority)>();
        async Task AddAsync(params (string Cmd, int Priority)[] jobs)
        {
            await client.AddAsync(jobs.Select(j => Jobs.Spec(j.Cmd, rep, j.Priority, ramMb: ram)), Ct);
            added.AddRange(jobs);
        }

        // 600 at priority 6, then 2,400 at priority 4: the buffer (1,000) holds all the 6s and the first 400 4s.
        await AddAsync([.. Enumerable.Range(0, 3000).Select(i => ($"echo early {i}", i < 600 ? 6 : 4))]);
        var order = new List<string>();
        async Task ReserveAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var job = await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct);
                order.Add(job!.Cmd);
            }
        }

        await ReserveAsync(10);

        // Above everything; inside the buffer's range; the same priority as its last entry (FIFO puts it after 2,000 others); below it.
        await AddAsync(("echo late above", 8), ("echo late inside", 5), ("echo late fifo", 4), ("echo late below", 1));
        await ReserveAsync(1000);
        await AddAsync(("echo later below", 0), ("echo later fifo", 4));
        await ReserveAsync(added.Count - order.Count);

        var expected = added
            .Select((job, index) => (job.Cmd, job.Priority, index))
            .Where(j => !order.Take(10).Contains(j.Cmd))
            .OrderByDescending(j => j.Priority)
            .ThenBy(j => j.index)
            .Select(j => j.Cmd);
        Assert.Equal([.. added.Take(10).Select(j => j.Cmd), .. expected], order);
        Assert.Equal(0, Assert.Single(await client.GetRepGroupCountsAsync(rep, Ct)).Ready);
    }
}
