using JobQueue.Grains.Manager;
using JobQueue.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobQueue.Tests.Queue;

/// <summary>
/// Jobs that no runner waits for wake the manager's scheduler at once (RunnerDemand), so runners start without
/// waiting for its next regular look. No time passes on the fake clock until the test moves it, so nothing but the
/// signal can end the scheduler's wait before that.
/// </summary>
public sealed class RunnerDemandTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;
    private readonly RunnerDemand _demand = fixture.Cluster.Silos[0].SiloHost.Services.GetRequiredService<RunnerDemand>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Jobs_no_runner_waits_for_wake_the_scheduler_and_a_signal_is_kept_until_it_waits_again()
    {
        await DrainAsync();
        var wait = _demand.WaitAsync(TimeSpan.FromHours(1), fixture.Time, Ct);
        Assert.False(wait.IsCompleted);

        await _client.AddAsync([Jobs.Spec("echo wake", Jobs.Unique("demand"), ramMb: Jobs.UniqueRam())], Ct);

        await wait.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        // Jobs added while the scheduler looks (between two waits) end its next wait at once.
        await _client.AddAsync([Jobs.Spec("echo while busy", Jobs.Unique("demand"), ramMb: Jobs.UniqueRam())], Ct);
        await _demand.WaitAsync(TimeSpan.FromHours(1), fixture.Time, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var next = _demand.WaitAsync(TimeSpan.FromHours(1), fixture.Time, Ct);
        Assert.False(next.IsCompleted);
        fixture.Time.Advance(TimeSpan.FromHours(1));
        await next.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    // Ends any wait a signal from an earlier test left pending.
    private async Task DrainAsync()
    {
        var wait = _demand.WaitAsync(TimeSpan.FromMinutes(1), fixture.Time, Ct);
        if (!wait.IsCompleted)
        {
            fixture.Time.Advance(TimeSpan.FromMinutes(1));
        }

        await wait.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }
}
