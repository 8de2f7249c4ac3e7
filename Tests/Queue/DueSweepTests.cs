using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>The due sweep pages through the due index with a cursor, so jobs that stay due never starve later ones.</summary>
public sealed class DueSweepTests(DueSweepClusterFixture fixture) : IClassFixture<DueSweepClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_delay_ends_on_time_behind_more_jobs_that_stay_due_than_one_sweep_reads()
    {
        var client = fixture.NewClient();
        var rep = Jobs.Unique("due");
        var ram = Jobs.UniqueRam();
        var group = Jobs.GroupFor(ram);

        // Five jobs whose wake fails, due before the one that matters: more than a sweep's two pages of two.
        var stuck = Enumerable.Range(0, 5).Select(i => Jobs.Spec($"echo stuck {i} {rep}", rep, ramMb: ram)).ToList();
        var later = Jobs.Spec($"echo later {rep}", rep, ramMb: ram);
        await client.AddAsync([.. stuck, later], Ct);
        for (var i = 0; i <= stuck.Count; i++)
        {
            var job = await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct);
            Assert.NotNull(job);
            var delay = job.Cmd == later.Cmd ? TimeSpan.FromSeconds(20) : TimeSpan.FromSeconds(10);
            if (job.Cmd != later.Cmd)
            {
                fixture.Faults.Stick(job.Key);
            }

            await client.ReleaseAsync(job, FailReasons.Exit, delay, Ct);
        }

        // Each tick of the fake clock lets the sweep (a grain timer) run once more.
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        await Eventually.Ticking(
            fixture.Time,
            async () => (await client.GetByCmdAsync(later.Cmd, later.Cwd, cancellationToken: Ct))!.State == JobState.Ready,
            TimeSpan.FromSeconds(20),
            "the later job to become ready");

        var stuckJobs = (await client.GetByRepGroupAsync(rep, cancellationToken: Ct)).Where(j => j.Cmd != later.Cmd).ToList();
        Assert.Equal(5, stuckJobs.Count);
        Assert.All(stuckJobs, j => Assert.Equal(JobState.Delayed, j.State));
        Assert.All(stuckJobs, j => Assert.True(fixture.Faults.Tries(j.Key) >= 1, $"{j.Cmd} was never tried"));
    }
}
