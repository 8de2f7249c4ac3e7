using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

public sealed class ReserveTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Jobs_come_out_by_priority_then_in_the_order_they_were_added()
    {
        var rep = Jobs.Unique("order");
        var ram = Jobs.UniqueRam();
        JobSpec Job(string name, int priority) => Jobs.Spec($"echo {name}", rep, priority, ramMb: ram);
        await _client.AddAsync([Job("a", 5), Job("b", 10), Job("c", 5), Job("d", 0)], Ct);

        var order = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var job = await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct);
            order.Add(job!.Cmd);
        }

        Assert.Equal(["echo b", "echo a", "echo c", "echo d"], order);
    }

    [Fact]
    public async Task A_waiting_reserve_receives_a_job_added_while_it_waits()
    {
        var rep = Jobs.Unique("wait");
        var ram = Jobs.UniqueRam();

        var reserve = _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct);
        fixture.Time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.False(reserve.IsCompleted);
        await _client.AddAsync([Jobs.Spec("echo late", rep, ramMb: ram)], Ct);

        // The clock no longer moves, so only the announcement of the new job can complete the wait.
        var job = await reserve.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal("echo late", job!.Cmd);
    }

    [Fact]
    public async Task A_reserve_that_finds_nothing_returns_null_when_its_timeout_passes()
    {
        var reserve = _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(Jobs.UniqueRam()), Ct);
        await Eventually.True(() =>
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            return reserve.IsCompleted;
        });
        Assert.Null(await reserve);
    }

    [Fact]
    public async Task A_cancelled_reserve_takes_no_job()
    {
        var rep = Jobs.Unique("cancel");
        var ram = Jobs.UniqueRam();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var abandoned = _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        await _client.AddAsync([Jobs.Spec("echo for the living", rep, ramMb: ram)], Ct);

        var job = await fixture.NewClient().ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct);
        Assert.Equal("echo for the living", job!.Cmd);
    }

    [Fact]
    public async Task A_reserved_job_carries_a_lease_naming_the_client_and_its_state_is_reserved()
    {
        var rep = Jobs.Unique("lease");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec("echo leased", rep, ramMb: ram)], Ct);

        var job = await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct);

        Assert.NotNull(job);
        Assert.Equal(JobState.Reserved, job.State);
        Assert.Equal(_client.ClientId, job.ReservedBy);
        Assert.False(string.IsNullOrEmpty(job.LeaseToken));
        var stored = await _client.GetByCmdAsync("echo leased", "/tmp", cancellationToken: Ct);
        Assert.Equal(JobState.Reserved, stored!.State);
        Assert.Equal(_client.ClientId, stored.ReservedBy);

        // Who holds the lease is public; the secret that proves it is not.
        Assert.Null(stored.LeaseToken);
    }

    [Fact]
    public async Task Clients_reserving_concurrently_never_get_the_same_job()
    {
        var rep = Jobs.Unique("race");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync(Enumerable.Range(0, 50).Select(i => Jobs.Spec($"echo {i}", rep, ramMb: ram)), Ct);
        var clients = Enumerable.Range(0, 5).Select(_ => fixture.NewClient()).ToList();
        var reserved = new System.Collections.Concurrent.ConcurrentBag<string>();

        var workers = clients.Select(async c =>
        {
            while (await c.ReserveScheduledAsync(TimeSpan.FromSeconds(1), Jobs.GroupFor(ram), Ct) is { } job)
            {
                reserved.Add(job.Key);
            }
        }).ToList();
        await Eventually.True(() => reserved.Count == 50, what: "all jobs reserved");

        // A worker may call again only after a single move of the clock, so keep it moving until every worker has
        // seen its one-second wait run out on an empty queue.
        var all = Task.WhenAll(workers);
        await Eventually.Ticking(fixture.Time, () => Task.FromResult(all.IsCompleted), TimeSpan.FromSeconds(20), "every worker to find the queue empty");
        await all;

        Assert.Equal(50, reserved.Count);
        Assert.Equal(50, reserved.Distinct().Count());
    }

    [Fact]
    public async Task Only_the_lease_holder_may_act_on_a_reserved_job()
    {
        var rep = Jobs.Unique("fence");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec("echo fenced", rep, ramMb: ram)], Ct);
        var job = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
        var forged = job with { ReservedBy = fixture.NewClient().ClientId + "/0000" };

        foreach (var call in new Func<Task>[]
        {
            () => _client.TouchAsync(forged, Ct),
            () => _client.StartedAsync(forged, 1, "host", Ct),
            () => _client.BuryAsync(forged, "x", Ct),
            () => _client.ReleaseAsync(forged, "", null, Ct),
            () => _client.ArchiveAsync(forged, Ct),
        })
        {
            var error = await Assert.ThrowsAsync<JobQueueException>(call);
            Assert.Equal(JobQueueErrorKind.MustReserve, error.Kind);
            Assert.Contains(job.Key, error.Message, StringComparison.Ordinal);
        }

        await _client.StartedAsync(job, 42, "here", Ct);
        Assert.Equal(JobState.Running, (await _client.GetByCmdAsync("echo fenced", "/tmp", cancellationToken: Ct))!.State);
    }

    [Fact]
    public async Task A_job_that_was_never_reserved_cannot_be_worked_on()
    {
        var rep = Jobs.Unique("unreserved");
        await _client.AddAsync([Jobs.Spec("echo free", rep)], Ct);
        var job = (await _client.GetByCmdAsync("echo free", "/tmp", cancellationToken: Ct))!;

        var error = await Assert.ThrowsAsync<JobQueueException>(() => _client.StartedAsync(job, 1, "h", Ct));

        Assert.Equal(JobQueueErrorKind.MustReserve, error.Kind);
    }

    [Fact]
    public async Task Invalid_transitions_are_rejected_as_bad_job()
    {
        var rep = Jobs.Unique("transitions");
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([Jobs.Spec("echo t", rep, ramMb: ram)], Ct);
        var job = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;

        var endedBeforeStart = await Assert.ThrowsAsync<JobQueueException>(() => _client.EndedAsync(job, 0, 1, TimeSpan.Zero, null, null, Ct));
        var archivedBeforeRun = await Assert.ThrowsAsync<JobQueueException>(() => _client.ArchiveAsync(job, Ct));
        await _client.StartedAsync(job, 1, "h", Ct);

        // The same report again is a retry whose answer was lost: accepted. Another start under the lease is not.
        await _client.StartedAsync(job, 1, "h", Ct);
        var startedTwice = await Assert.ThrowsAsync<JobQueueException>(() => _client.StartedAsync(job, 2, "h", Ct));
        await _client.EndedAsync(job, 1, 1, TimeSpan.Zero, null, null, Ct);
        await _client.EndedAsync(job, 1, 1, TimeSpan.Zero, null, null, Ct);
        var endedTwice = await Assert.ThrowsAsync<JobQueueException>(() => _client.EndedAsync(job, 0, 1, TimeSpan.Zero, null, null, Ct));
        var archivedAfterFailure = await Assert.ThrowsAsync<JobQueueException>(() => _client.ArchiveAsync(job, Ct));

        Assert.All([endedBeforeStart, archivedBeforeRun, startedTwice, endedTwice, archivedAfterFailure], e => Assert.Equal(JobQueueErrorKind.BadJob, e.Kind));
        Assert.False(await _client.KickAsync([new JobRef(job.Key)], Ct) > 0, "a running job is not buried, so it cannot be kicked");
        Assert.Equal(0, await _client.DeleteAsync([new JobRef(job.Key)], Ct));
    }
}
