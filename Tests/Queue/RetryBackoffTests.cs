using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>A job that keeps failing waits longer each time: the release delay doubles up to its maximum, with jitter.</summary>
public sealed class RetryBackoffTests(QueueClusterFixture fixture) : IClassFixture<QueueClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_retry_delay_doubles_from_30_seconds_up_to_an_hour_and_kick_starts_it_again()
    {
        var client = fixture.NewClient();
        var rep = Jobs.Unique("backoff");
        var ram = Jobs.UniqueRam();
        var group = Jobs.GroupFor(ram);
        var spec = Jobs.Spec($"false {rep}", rep, retries: 9, ramMb: ram);
        await client.AddAsync([spec], Ct);

        var waits = new List<TimeSpan>();
        for (var failure = 1; failure <= 9; failure++)
        {
            var job = await FailAsync(client, group);
            Assert.Equal(JobState.Delayed, job.State);
            var wait = job.DueAt!.Value - fixture.Time.GetUtcNow();
            var expected = TimeSpan.FromSeconds(Math.Min(30 * Math.Pow(2, failure - 1), 3600));
            Assert.InRange(wait, expected * 0.9, expected * 1.1);
            waits.Add(wait);
            fixture.Time.Advance(wait + TimeSpan.FromSeconds(1));
            await Eventually.True(async () => (await GetAsync(client, spec)).State == JobState.Ready, what: $"the end of delay {failure}");
        }

        // Jobs failing together do not come back together: the waits are not exact multiples of 30 s.
        Assert.Contains(waits, w => w.TotalSeconds % 30 != 0);

        // The tenth failure buries it; a kick restores its retries, and the next failure waits 30 s again.
        Assert.Equal(JobState.Buried, (await FailAsync(client, group)).State);
        Assert.Equal(1, await client.KickAsync([new JobRef((await GetAsync(client, spec)).Key)], Ct));
        var kicked = await FailAsync(client, group);
        Assert.InRange(kicked.DueAt!.Value - fixture.Time.GetUtcNow(), TimeSpan.FromSeconds(27), TimeSpan.FromSeconds(33));
    }

    private static async Task<Job> FailAsync(JobQueueClient client, string group)
    {
        var job = await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct);
        Assert.NotNull(job);
        await client.StartedAsync(job, 1, "h", Ct);
        await client.EndedAsync(job, 1, 5, TimeSpan.Zero, null, null, Ct);
        await client.ReleaseAsync(job, FailReasons.Exit, null, Ct);
        return (await client.GetByCmdAsync(job.Cmd, job.Cwd, cancellationToken: Ct))!;
    }

    private static async Task<Job> GetAsync(JobQueueClient client, JobSpec spec) =>
        (await client.GetByCmdAsync(spec.Cmd, spec.Cwd!, cancellationToken: Ct))!;
}
