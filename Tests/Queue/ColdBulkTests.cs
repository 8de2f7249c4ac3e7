using System.Text;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>
/// Retry and mod in bulk of jobs that no grain holds in memory (buried in an earlier run, or long enough ago): the
/// grains take their rows from the bulk step's read, and nothing of the job that read left out (its output) is lost.
/// </summary>
public sealed class ColdBulkTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private readonly JobQueueClient _client = fixture.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_bulk_retry_of_jobs_out_of_memory_readies_them_keeps_their_output_and_a_new_run_starts_clean()
    {
        var (rep, ram) = await BuryFailedAsync("cold-retry", 3);
        await ForgetAllGrainsAsync();

        Assert.Equal(3, await _client.ApplyAsync(new JobFilter { RepGroup = rep, State = JobState.Buried }, BulkAction.Kick, Ct));

        var retried = await _client.GetByRepGroupAsync(rep, getStd: true, cancellationToken: Ct);
        Assert.All(retried, j => Assert.Equal((JobState.Ready, "boom"), (j.State, j.StdErr?.Trim())));

        // The run that starts now must not show the last run's output as its own.
        var job = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
        await _client.StartedAsync(job, 1, "h", Ct);
        var running = Assert.Single(await _client.GetByRepGroupAsync(rep, state: JobState.Running, getStd: true, cancellationToken: Ct));
        Assert.True(string.IsNullOrEmpty(running.StdErr), $"a running job shows its previous run's output: {running.StdErr}");
    }

    [Fact]
    public async Task A_bulk_mod_of_jobs_out_of_memory_changes_them_and_keeps_their_output()
    {
        var (rep, _) = await BuryFailedAsync("cold-mod", 3);
        await ForgetAllGrainsAsync();

        Assert.Equal(3, await _client.ModifyAsync(new JobFilter { RepGroup = rep }, new JobModification { Priority = 7 }, Ct));

        var modified = await _client.GetByRepGroupAsync(rep, getStd: true, cancellationToken: Ct);
        Assert.Equal(3, modified.Count);
        Assert.All(modified, j => Assert.Equal((JobState.Buried, 7, "boom"), (j.State, j.Priority, j.StdErr?.Trim())));
    }

    /// <summary>Adds <paramref name="count"/> jobs whose one run failed with "boom" on stderr, and buries them.</summary>
    private async Task<(string Rep, int Ram)> BuryFailedAsync(string name, int count)
    {
        var rep = Jobs.Unique(name);
        var ram = Jobs.UniqueRam();
        await _client.AddAsync([.. Enumerable.Range(0, count).Select(i => Jobs.Spec($"false {rep} {i}", rep, ramMb: ram))], Ct);
        for (var i = 0; i < count; i++)
        {
            var job = (await _client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), Jobs.GroupFor(ram), Ct))!;
            await _client.StartedAsync(job, 1, "h", Ct);
            await _client.EndedAsync(job, 1, 5, TimeSpan.Zero, null, Encoding.UTF8.GetBytes("boom\n"), Ct);
            await _client.BuryAsync(job, FailReasons.Exit, Ct);
        }

        var buried = await _client.GetByRepGroupAsync(rep, getStd: true, cancellationToken: Ct);
        Assert.All(buried, j => Assert.Equal((JobState.Buried, "boom"), (j.State, j.StdErr?.Trim())));
        return (rep, ram);
    }

    /// <summary>Deactivates every idle grain, as a manager restart or the grains' age limit would.</summary>
    private async Task ForgetAllGrainsAsync()
    {
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        var before = await management.GetTotalActivationCount();
        await management.ForceActivationCollection(TimeSpan.Zero);
        Assert.True(await management.GetTotalActivationCount() < before, "no grain was deactivated");
    }
}
