using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>"Why is my job not running", through the client API: one line for each reason that holds.</summary>
public sealed class WhyTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_ready_job_is_explained_by_its_full_limit_group_and_the_jobs_ahead_of_it()
    {
        var client = fixture.Client;
        var name = Jobs.Unique("why");
        var ram = Jobs.UniqueRam();
        await client.AddAsync(
            [.. Enumerable.Range(0, 4).Select(i => Jobs.Spec($"echo {i} {name}", name, priority: i == 0 ? 9 : 0, ramMb: ram) with { LimitGroups = [$"{name}:1"] })],
            Ct);
        var queue = SchedulerGroup.For(ram, JobQueueDefaults.Time, JobQueueDefaults.Cores, [name]);
        var last = (await client.GetByCmdAsync($"echo 3 {name}", "/tmp", cancellationToken: Ct))!;

        Assert.Equal(
            ["3 ready jobs of its scheduler group go first (higher priority or added earlier): the runners are busy with them"],
            await client.WhyAsync(last, Ct));

        var first = await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), queue, Ct);
        Assert.Equal($"echo 0 {name}", first!.Cmd);
        Assert.Equal([$"runner {first.ReservedBy} reserved it and is about to start it"], await client.WhyAsync(first, Ct));
        Assert.Equal(
            [$"limit group {name} is full (1/1)", "2 ready jobs of its scheduler group go first (higher priority or added earlier): the runners are busy with them"],
            await client.WhyAsync(last, Ct));
    }

    [Fact]
    public async Task A_failed_job_says_until_when_it_waits_and_a_buried_one_says_why_it_failed()
    {
        var client = fixture.Client;
        var name = Jobs.Unique("why-failed");
        var ram = Jobs.UniqueRam();
        await client.AddAsync([Jobs.Spec($"false {name}", name, ramMb: ram), Jobs.Spec($"exit 3 {name}", name, ramMb: ram)], Ct);
        var group = Jobs.GroupFor(ram);

        var failing = (await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct))!;
        await client.StartedAsync(failing, 1, "host", Ct);
        await client.EndedAsync(failing, 1, 10, TimeSpan.Zero, null, null, Ct);
        await client.ReleaseAsync(failing, "", cancellationToken: Ct);
        var delayed = (await client.GetByCmdAsync(failing.Cmd, failing.Cwd, cancellationToken: Ct))!;
        var reason = Assert.Single(await client.WhyAsync(delayed, Ct));
        Assert.Equal($"it is delayed until {delayed.DueAt!.Value.ToLocalTime():yyyy-MM-dd HH:mm:ss} after failure 1 of 4 (exit code 1)", reason);

        var buried = (await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct))!;
        await client.BuryAsync(buried, "gave up", Ct);
        var stored = (await client.GetByCmdAsync(buried.Cmd, buried.Cwd, cancellationToken: Ct))!;
        Assert.Equal(["it is buried after failing: gave up; \"jobqueue retry\" runs it again"], await client.WhyAsync(stored, Ct));
    }
}
