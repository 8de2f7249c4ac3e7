using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

public sealed class QueryTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_limit_returns_one_job_per_group_with_the_rest_counted_as_similar()
    {
        var rep = Jobs.Unique("similar");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync(Enumerable.Range(0, 5).Select(i => Jobs.Spec($"exit 3 # {i}", rep, retries: 0, ramMb: ram)), Ct);
        await _client.AddAsync([Jobs.Spec("echo waiting", rep, ramMb: ram + 1)], Ct);
        for (var i = 0; i < 5; i++)
        {
            var job = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
            await _client.StartedAsync(job, 1, "h", Ct);
            await _client.EndedAsync(job, 3, 1, TimeSpan.Zero, null, "bad things"u8.ToArray(), Ct);
            Assert.Equal(JobState.Buried, await _client.ReleaseAsync(job, FailReasons.Exit, null, Ct));
        }

        var limited = await _client.GetByRepGroupAsync(rep, limit: 1, cancellationToken: Ct);

        Assert.Equal(2, limited.Count);
        var buried = Assert.Single(limited, j => j.State == JobState.Buried);
        Assert.Equal((3, FailReasons.Exit, 4), (buried.ExitCode, buried.FailReason, buried.Similar));
        var ready = Assert.Single(limited, j => j.State == JobState.Ready);
        Assert.Equal(0, ready.Similar);

        var all = await _client.GetByRepGroupAsync(rep, cancellationToken: Ct);
        Assert.Equal(6, all.Count);
        Assert.All(all, j => Assert.Equal(0, j.Similar));

        var onlyBuried = await _client.GetByRepGroupAsync(rep, limit: 2, state: JobState.Buried, getStd: true, cancellationToken: Ct);
        Assert.Equal([0, 3], onlyBuried.Select(j => j.Similar));
        Assert.All(onlyBuried, j => Assert.Equal("bad things", j.StdErr));
    }

    [Fact]
    public async Task Incomplete_jobs_exclude_completed_ones()
    {
        var rep = Jobs.Unique("incomplete");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec("echo done", rep, ramMb: ram, priority: 9), Jobs.Spec("echo pending", rep, ramMb: ram)], Ct);
        var job = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
        await _client.StartedAsync(job, 1, "h", Ct);
        await _client.EndedAsync(job, 0, 1, TimeSpan.Zero, null, null, Ct);
        await _client.ArchiveAsync(job, Ct);

        var incomplete = await _client.GetIncompleteAsync(cancellationToken: Ct);
        var mine = incomplete.Where(j => j.RepGroup == rep).Select(j => j.Cmd).ToList();

        Assert.Equal(["echo pending"], mine);
        Assert.Equal(2, (await _client.GetByRepGroupAsync(rep, cancellationToken: Ct)).Count);
        Assert.Equal(["echo done"], (await _client.GetByRepGroupAsync(rep, state: JobState.Complete, cancellationToken: Ct)).Select(j => j.Cmd));
    }

    [Fact]
    public async Task Jobs_can_be_fetched_by_command_or_by_key()
    {
        var rep = Jobs.Unique("bykey");
        await _client.AddAsync([Jobs.Spec("echo one", rep), Jobs.Spec("echo two", rep)], Ct);
        var key = JobKey.For("/tmp", "echo two");

        var found = await _client.GetByCmdsAsync([JobRef.For("echo one", "/tmp"), new JobRef(key), JobRef.For("echo none", "/tmp")], cancellationToken: Ct);

        Assert.Equal(["echo one", "echo two"], found.Select(j => j.Cmd));
        Assert.Null(await _client.GetByCmdAsync("echo none", "/tmp", cancellationToken: Ct));
    }
}
