using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>Reserving from any group needs a queue of its own: every ready job in the cluster competes.</summary>
public sealed class AnyGroupReserveTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reserve_takes_the_best_job_across_scheduler_groups()
    {
        var rep = Jobs.Unique("any");
        await _client.AddAsync(
            [
                Jobs.Spec("echo a", rep, priority: 5, ramMb: 100),
                Jobs.Spec("echo b", rep, priority: 10, ramMb: 200),
                Jobs.Spec("echo c", rep, priority: 5, ramMb: 300),
                Jobs.Spec("echo d", rep, priority: 0, ramMb: 100),
            ],
            Ct);

        var order = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            order.Add((await _client.ReserveAsync(TimeSpan.FromSeconds(5), Ct))!.Cmd);
        }

        Assert.Equal(["echo b", "echo a", "echo c", "echo d"], order);
    }

    [Fact]
    public async Task A_waiting_reserve_of_any_group_is_served_when_a_job_arrives()
    {
        var reserve = _client.ReserveAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.False(reserve.IsCompleted);
        await _client.AddAsync([Jobs.Spec("echo anywhere", Jobs.Unique("any-wait"), ramMb: Jobs.UniqueRam())], Ct);

        Assert.Equal("echo anywhere", (await reserve.WaitAsync(TimeSpan.FromSeconds(10), Ct))!.Cmd);
    }
}
