using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>Dependencies through the client API: dep_grps, deps and cmd_deps, the dependent state, and the edge cases decided up front.</summary>
public sealed class DependencyTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_three_step_pipeline_runs_step_by_step_each_step_ready_in_the_commit_that_completes_the_last_before_it()
    {
        var (rep, ram) = (Jobs.Unique("pipe"), Jobs.UniqueRam());
        JobSpec Spec(string name) => Jobs.Spec($"echo {name} {rep}", rep, ramMb: ram);
        var first = Spec("a1") with { DepGroups = [$"{rep}-1"] };
        var second = Spec("a2") with { DepGroups = [$"{rep}-1"] };
        var middle = Spec("b") with { Deps = [$"{rep}-1"] };
        var last = Spec("c") with { CmdDeps = [JobRef.For(middle.Cmd, middle.Cwd)] };
        await _client.AddAsync([last, middle, first, second], Ct);

        Assert.Equal((JobState.Dependent, JobState.Dependent), (await StateAsync(middle), await StateAsync(last)));
        Assert.Equal(2, (await _client.GetRepGroupCountsAsync(rep, Ct)).Single().Dependent);

        await CompleteNextAsync(ram, first.Cmd);
        Assert.Equal(JobState.Dependent, await StateAsync(middle));
        await CompleteNextAsync(ram, second.Cmd);
        Assert.Equal(JobState.Ready, await StateAsync(middle));
        Assert.Equal(JobState.Dependent, await StateAsync(last));
        await CompleteNextAsync(ram, middle.Cmd);
        await CompleteNextAsync(ram, last.Cmd);
        Assert.Equal(4, (await _client.GetRepGroupCountsAsync(rep, Ct)).Single().Complete);
    }

    [Fact]
    public async Task A_member_added_while_dependents_still_wait_is_waited_for_too()
    {
        var (rep, ram) = (Jobs.Unique("live"), Jobs.UniqueRam());
        // Override 2: what the first runs teach must not move later jobs to another scheduler group.
        JobSpec Spec(string name) => Jobs.Spec($"echo {name} {rep}", rep, ramMb: ram) with { Override = 2, Time = JobQueueDefaults.Time };
        await _client.AddAsync([Spec("m1") with { DepGroups = [$"{rep}-x"] }, Spec("n1") with { DepGroups = [$"{rep}-y"] }], Ct);
        var dependent = Spec("d") with { Deps = [$"{rep}-x", $"{rep}-y"] };
        await _client.AddAsync([dependent], Ct);

        await CompleteNextAsync(ram, $"echo m1 {rep}");
        await _client.AddAsync([Spec("m2") with { DepGroups = [$"{rep}-x"] }], Ct);
        await CompleteNextAsync(ram, $"echo n1 {rep}");
        Assert.Equal(JobState.Dependent, await StateAsync(dependent));
        Assert.Contains($"group {rep}-x (1 incomplete)", Assert.Single(await _client.WhyAsync((await _client.GetByCmdAsync(dependent.Cmd, dependent.Cwd, cancellationToken: Ct))!, Ct)), StringComparison.Ordinal);

        await CompleteNextAsync(ram, $"echo m2 {rep}");
        Assert.Equal(JobState.Ready, await StateAsync(dependent));
    }

    [Fact]
    public async Task A_member_added_after_its_dependents_completed_makes_them_run_again_once_it_completes()
    {
        var (rep, ram) = (Jobs.Unique("again"), Jobs.UniqueRam());
        JobSpec Spec(string name) => Jobs.Spec($"echo {name} {rep}", rep, ramMb: ram) with { Override = 2, Time = JobQueueDefaults.Time };
        var dependent = Spec("after") with { Deps = [rep], DepGroups = [$"{rep}-next"] };
        var further = Spec("further") with { Deps = [$"{rep}-next"] };
        await _client.AddAsync([Spec("first") with { DepGroups = [rep] }, dependent, further], Ct);
        await CompleteNextAsync(ram, $"echo first {rep}");
        await CompleteNextAsync(ram, dependent.Cmd);
        await CompleteNextAsync(ram, further.Cmd);

        await _client.AddAsync([Spec("late") with { DepGroups = [rep] }], Ct);

        // Both steps after it wait again: the dependent, and (through the group it belongs to) the one after that.
        var waiting = (await _client.GetByCmdAsync(dependent.Cmd, dependent.Cwd, cancellationToken: Ct))!;
        Assert.Equal((JobState.Dependent, JobState.Dependent), (waiting.State, await StateAsync(further)));
        Assert.Equal($"it runs again: dependency group {rep} gained a member after it had completed", (await _client.WhyAsync(waiting, Ct))[0]);
        await CompleteNextAsync(ram, $"echo late {rep}");
        await CompleteNextAsync(ram, dependent.Cmd);
        await CompleteNextAsync(ram, further.Cmd);
        Assert.Equal(2, (await _client.GetRunsAsync(dependent.Cmd, dependent.Cwd, cancellationToken: Ct)).Count);
    }

    [Fact]
    public async Task Mod_replaces_what_a_job_waits_on_and_it_is_ready_as_soon_as_nothing_is_unmet()
    {
        var (rep, ram) = (Jobs.Unique("moddeps"), Jobs.UniqueRam());
        JobSpec Spec(string name) => Jobs.Spec($"echo {name} {rep}", rep, ramMb: ram) with { Override = 2, Time = JobQueueDefaults.Time };
        var dependent = Spec("d") with { Deps = [$"{rep}-1"] };
        var other = Spec("e") with { Deps = [$"{rep}-1"] };
        await _client.AddAsync([Spec("m") with { DepGroups = [$"{rep}-1"] }, Spec("n") with { DepGroups = [$"{rep}-2"] }, dependent, other], Ct);
        JobFilter Only(JobSpec spec) => new() { Keys = [spec.Key] };

        // The dependent now waits on group 2, not group 1: group 1's end releases only the other.
        Assert.Equal(1, await _client.ModifyAsync(Only(dependent), new JobModification { Deps = [$"{rep}-2"] }, Ct));
        await CompleteNextAsync(ram, $"echo m {rep}");
        Assert.Equal((JobState.Dependent, JobState.Ready), (await StateAsync(dependent), await StateAsync(other)));
        await CompleteNextAsync(ram, $"echo n {rep}");
        Assert.Equal(JobState.Ready, await StateAsync(dependent));

        // Waiting on nothing any more, a dependent is ready at once.
        var late = Spec("late") with { CmdDeps = [JobRef.For(other.Cmd, other.Cwd)] };
        await _client.AddAsync([late], Ct);
        Assert.Equal(JobState.Dependent, await StateAsync(late));
        Assert.Equal(1, await _client.ModifyAsync(Only(late), new JobModification { CmdDeps = [] }, Ct));
        Assert.Equal(JobState.Ready, await StateAsync(late));
        await CompleteNextAsync(ram, dependent.Cmd);
        await CompleteNextAsync(ram, other.Cmd);
        await CompleteNextAsync(ram, late.Cmd);

        var refused = await Assert.ThrowsAsync<JobQueueException>(() => _client.ModifyAsync(Only(late), new JobModification { Deps = [$"{rep}-nobody"] }, Ct));
        Assert.Contains($"dependency group \"{rep}-nobody\" has no member", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_add_that_would_close_a_cycle_through_jobs_already_waiting_is_refused_naming_them()
    {
        var rep = Jobs.Unique("addcycle");
        JobSpec Spec(string name) => Jobs.Spec($"echo {name} {rep}", rep);
        await _client.AddAsync([Spec("m") with { DepGroups = [$"{rep}-1"] }, Spec("y") with { DepGroups = [$"{rep}-2"], Deps = [$"{rep}-1"] }], Ct);

        // x would join group 1, which y waits on, while waiting on group 2, whose member is y.
        var x = Spec("x") with { DepGroups = [$"{rep}-1"], Deps = [$"{rep}-2"] };
        var refused = await Assert.ThrowsAsync<JobQueueException>(() => _client.AddAsync([x], Ct));

        Assert.Contains($"in a cycle: echo x {rep} -> echo y {rep} -> echo x {rep}", refused.Message, StringComparison.Ordinal);
        Assert.Null(await StateAsync(x));
        Assert.Equal(1, (await _client.AddAsync([x with { Deps = null }], Ct)).Added);
    }

    [Fact]
    public async Task Mod_that_would_make_jobs_wait_on_each_other_is_refused_naming_them_and_nothing_changes()
    {
        var rep = Jobs.Unique("modcycle");
        JobSpec Spec(string name) => Jobs.Spec($"echo {name} {rep}", rep);
        JobFilter Only(JobSpec spec) => new() { Keys = [spec.Key] };
        var a = Spec("a") with { DepGroups = [$"{rep}-1"] };
        var b = Spec("b") with { DepGroups = [$"{rep}-2"], Deps = [$"{rep}-1"] };
        var c = Spec("c") with { Deps = [$"{rep}-3"] };
        var d = Spec("d") with { CmdDeps = [JobRef.For(c.Cmd, c.Cwd)] };
        await _client.AddAsync([a, b, Spec("e") with { DepGroups = [$"{rep}-3"] }, c, d], Ct);

        // a would wait on group 2, whose member b waits on a's group.
        var byDeps = await Assert.ThrowsAsync<JobQueueException>(() => _client.ModifyAsync(Only(a), new JobModification { Deps = [$"{rep}-2"] }, Ct));
        Assert.Contains($"Deps: the jobs would wait on each other in a cycle: echo a {rep} -> echo b {rep} -> echo a {rep}", byDeps.Message, StringComparison.Ordinal);

        // d would join group 3, which c waits on, while d waits on c.
        var byGroups = await Assert.ThrowsAsync<JobQueueException>(() => _client.ModifyAsync(Only(d), new JobModification { DepGroups = [$"{rep}-3"] }, Ct));
        Assert.Contains($"DepGroups: the jobs would wait on each other in a cycle: echo d {rep} -> echo c {rep} -> echo d {rep}", byGroups.Message, StringComparison.Ordinal);

        Assert.Equal((JobState.Ready, JobState.Dependent), (await StateAsync(a), await StateAsync(d)));
        Assert.Equal(1, await _client.ModifyAsync(Only(d), new JobModification { DepGroups = [$"{rep}-4"] }, Ct));
    }

    [Fact]
    public async Task A_buried_dependency_keeps_its_dependents_waiting_and_why_says_so()
    {
        var (rep, ram) = (Jobs.Unique("buried"), Jobs.UniqueRam());
        var member = Jobs.Spec($"false {rep}", rep, ramMb: ram) with { DepGroups = [rep] };
        var dependent = Jobs.Spec($"echo after {rep}", rep, ramMb: ram) with { Deps = [rep] };
        await _client.AddAsync([member, dependent], Ct);

        var job = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
        await _client.BuryAsync(job, "broken", Ct);

        var waiting = (await _client.GetByCmdAsync(dependent.Cmd, dependent.Cwd, cancellationToken: Ct))!;
        Assert.Equal(JobState.Dependent, waiting.State);
        Assert.Equal(
            [$"it waits on 1 of its 1 dependencies: group {rep} (1 incomplete, 1 buried); 1 buried job among them keeps it waiting until retried or removed"],
            await _client.WhyAsync(waiting, Ct));
    }

    [Fact]
    public async Task Adds_waiting_on_an_empty_group_an_unknown_job_or_in_a_cycle_are_refused_naming_what_is_wrong()
    {
        var rep = Jobs.Unique("refused");
        var empty = await Assert.ThrowsAsync<JobQueueException>(() => _client.AddAsync([Jobs.Spec($"echo {rep}", rep) with { Deps = [$"{rep}-nobody"] }], Ct));
        Assert.Contains($"dependency group \"{rep}-nobody\", which has no member", empty.Message, StringComparison.Ordinal);

        // A group whose only member was removed has no member either.
        var gone = Jobs.Spec($"echo gone {rep}", rep) with { DepGroups = [$"{rep}-emptied"] };
        await _client.AddAsync([gone], Ct);
        Assert.Equal(1, await _client.ApplyAsync(new JobFilter { Keys = [gone.Key] }, BulkAction.Delete, Ct));
        var emptied = await Assert.ThrowsAsync<JobQueueException>(() => _client.AddAsync([Jobs.Spec($"echo {rep}", rep) with { Deps = [$"{rep}-emptied"] }], Ct));
        Assert.Contains($"dependency group \"{rep}-emptied\", which has no member", emptied.Message, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<JobQueueException>(() => _client.AddAsync([Jobs.Spec($"echo {rep}", rep) with { CmdDeps = [JobRef.For("never added", "/tmp")] }], Ct));
        Assert.Contains("which was never added", unknown.Message, StringComparison.Ordinal);

        var x = Jobs.Spec($"echo x {rep}", rep);
        var y = Jobs.Spec($"echo y {rep}", rep) with { CmdDeps = [JobRef.For(x.Cmd, x.Cwd)] };
        var cycle = await Assert.ThrowsAsync<JobQueueException>(() => _client.AddAsync([x with { CmdDeps = [JobRef.For(y.Cmd, y.Cwd)] }, y], Ct));
        Assert.Contains($"in a cycle: echo x {rep} -> echo y {rep} -> echo x {rep}", cycle.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await _client.GetRepGroupCountsAsync(rep, Ct), c => c.Incomplete > 0);
    }

    [Fact]
    public async Task Removing_a_job_others_wait_on_is_refused_unless_they_are_removed_with_it()
    {
        var (rep, ram) = (Jobs.Unique("remove"), Jobs.UniqueRam());
        var member = Jobs.Spec($"echo member {rep}", rep, ramMb: ram) with { DepGroups = [rep] };
        var dependent = Jobs.Spec($"echo dependent {rep}", rep, ramMb: ram) with { Deps = [rep] };
        var next = Jobs.Spec($"echo next {rep}", rep, ramMb: ram) with { CmdDeps = [JobRef.For(dependent.Cmd, dependent.Cwd)] };
        await _client.AddAsync([member, dependent, next], Ct);
        var selection = new JobFilter { Keys = [member.Key] };

        var refused = await Assert.ThrowsAsync<JobQueueException>(() => _client.ApplyAsync(selection, BulkAction.Delete, Ct));
        Assert.Contains("1 job waits on it", refused.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await _client.GetRepGroupCountsAsync(rep, Ct)).Single().Incomplete);

        Assert.Equal(1, await _client.ApplyAsync(selection, BulkAction.DeleteWithDependents, Ct));
        Assert.DoesNotContain(await _client.GetRepGroupCountsAsync(rep, Ct), c => c.Incomplete > 0);
    }

    private async Task<JobState?> StateAsync(JobSpec spec) => (await _client.GetByCmdAsync(spec.Cmd, spec.Cwd, cancellationToken: Ct))?.State;

    private async Task CompleteNextAsync(int ram, string expected)
    {
        var job = await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct);
        Assert.Equal(expected, job?.Cmd);
        await _client.StartedAsync(job!, 1, "host", Ct);
        await _client.EndedAndArchiveAsync(job!, 1, TimeSpan.Zero, null, null, Ct);
    }
}
