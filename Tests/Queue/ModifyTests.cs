using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>Changing jobs that are not running, selected on the server (the client's ModifyAsync, as jobqueue mod does).</summary>
public sealed class ModifyTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Jobs_not_running_take_the_changes_and_move_to_the_scheduler_group_of_their_new_needs()
    {
        var client = fixture.Client;
        var rep = Jobs.Unique("mod");
        var ram = Jobs.UniqueRam();
        await client.AddAsync([.. Enumerable.Range(0, 4).Select(i => Jobs.Spec($"echo {i} {rep}", rep, ramMb: ram) with { Override = 2 })], Ct);
        var running = (await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
        await client.StartedAsync(running, 1, "host", Ct);
        var newRam = Jobs.UniqueRam();
        var moved = Jobs.Unique("moved");
        var limit = Jobs.Unique("modlimit");

        var count = await client.ModifyAsync(
            new JobFilter { RepGroup = rep },
            new JobModification { Priority = 7, RamMb = newRam, Cores = 2, Retries = 1, RepGroup = moved, LimitGroups = [$"{limit}:5"] },
            Ct);

        Assert.Equal(3, count);
        var changed = await client.GetByRepGroupAsync(moved, cancellationToken: Ct);
        var queue = SchedulerGroup.For(newRam, JobQueueDefaults.Time, 2, [limit]);
        Assert.Equal(3, changed.Count);
        Assert.All(changed, j => Assert.Equal((JobState.Ready, 7, newRam, 2, 1, 2, queue), (j.State, j.Priority, j.RamMb, j.Cores, j.Retries, j.UntilBuried, j.Queue)));
        Assert.Equal([new LimitGroupInfo(limit, 5, 0)], (await client.GetLimitsAsync(Ct)).Where(l => l.Name == limit));

        // The running job is left as it was, and the others are handed out from their new group, in their order.
        var untouched = (await client.GetByCmdAsync(running.Cmd, running.Cwd, cancellationToken: Ct))!;
        Assert.Equal((JobState.Running, rep, 0, Jobs.GroupFor(ram)), (untouched.State, untouched.RepGroup, untouched.Priority, untouched.Queue));
        var handedOut = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            handedOut.Add((await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), queue, Ct))!.Cmd);
        }

        Assert.Equal([$"echo 1 {rep}", $"echo 2 {rep}", $"echo 3 {rep}"], handedOut);
    }

    [Fact]
    public async Task Bad_changes_are_refused_naming_the_field_and_nothing_changes()
    {
        var client = fixture.Client;
        var rep = Jobs.Unique("mod-bad");
        await client.AddAsync([Jobs.Spec($"echo {rep}", rep)], Ct);

        var error = await Assert.ThrowsAsync<JobQueueException>(() => client.ModifyAsync(new JobFilter { RepGroup = rep }, new JobModification { Priority = 300, LimitGroups = ["no spaces"] }, Ct));

        Assert.Equal(JobQueueErrorKind.BadRequest, error.Kind);
        Assert.Contains("Priority is 300", error.Message, StringComparison.Ordinal);
        Assert.Contains("LimitGroups[0]", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await client.GetByCmdAsync($"echo {rep}", "/tmp", cancellationToken: Ct))!.Priority);
    }

    [Fact]
    public async Task A_mod_and_a_remove_of_more_jobs_than_one_step_reach_each_job_once()
    {
        // More than a step of a bulk action, so both the parts a step is read in and the cursor between steps count.
        var client = fixture.Client;
        var rep = Jobs.Unique("mod-many");
        var count = JobQueueDefaults.BulkStepSize + 1500;
        await client.AddAsync([.. Enumerable.Range(0, count).Select(i => Jobs.Spec($"echo {i} {rep}", rep))], Ct);

        Assert.Equal(count, await client.ModifyAsync(new JobFilter { RepGroup = rep }, new JobModification { Priority = 9 }, Ct));

        var modified = await client.GetByRepGroupAsync(rep, cancellationToken: Ct);
        Assert.Equal(count, modified.Count);
        Assert.Equal(count, modified.Count(j => j.Priority == 9));
        Assert.Equal(count, await client.ApplyAsync(new JobFilter { RepGroup = rep }, BulkAction.Delete, Ct));
        Assert.Empty(await client.GetByRepGroupAsync(rep, cancellationToken: Ct));
    }
}
