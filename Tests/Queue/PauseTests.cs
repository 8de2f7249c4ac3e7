using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Queue;

/// <summary>A paused manager hands out no job (running ones go on) until resumed; waiting reserves then get theirs.</summary>
public sealed class PauseTests(RealTimeClusterFixture fixture) : IClassFixture<RealTimeClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_paused_manager_hands_out_nothing_and_a_waiting_reserve_gets_its_job_on_resume()
    {
        var client = fixture.NewClient();
        var rep = Jobs.Unique("pause");
        var ram = Jobs.UniqueRam();
        var group = Jobs.GroupFor(ram);
        await client.AddAsync([Jobs.Spec($"echo running {rep}", rep, ramMb: ram), Jobs.Spec($"echo waiting {rep}", rep, ramMb: ram)], Ct);
        var running = await client.ReserveScheduledAsync(TimeSpan.FromSeconds(5), group, Ct);
        Assert.NotNull(running);
        await client.StartedAsync(running, 1, "h", Ct);

        try
        {
            Assert.Equal(ModeNames.Paused, await client.PauseServerAsync(Ct));
            Assert.Equal(ModeNames.Paused, (await client.GetServerInfoAsync(Ct)).Mode);
            Assert.Null(await client.ReserveScheduledAsync(TimeSpan.FromSeconds(1), group, Ct));
            var held = (await client.GetByCmdAsync($"echo waiting {rep}", "/tmp", cancellationToken: Ct))!;
            Assert.Contains("the manager is paused: nothing is handed out until \"jobqueue manager resume\"", await client.WhyAsync(held, Ct));
            Assert.Null(await client.ReserveAsync(TimeSpan.FromSeconds(1), Ct));

            // The job that was running goes on and completes as usual.
            await client.EndedAndArchiveAsync(running, 5, TimeSpan.Zero, null, null, Ct);
            Assert.Equal(JobState.Complete, (await client.GetByCmdAsync(running.Cmd, running.Cwd, cancellationToken: Ct))!.State);

            // A reserve made while paused waits, and gets the job the moment the manager resumes.
            var waiting = client.ReserveScheduledAsync(TimeSpan.FromSeconds(20), group, Ct);
            Assert.Equal(ModeNames.Started, await client.ResumeServerAsync(Ct));
            var job = await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.NotNull(job);
            Assert.Equal($"echo waiting {rep}", job.Cmd);

            // A drain is neither paused nor resumed.
            await client.DrainServerAsync(Ct);
            Assert.Equal(ModeNames.Draining, await client.PauseServerAsync(Ct));
            Assert.Equal(ModeNames.Draining, await client.ResumeServerAsync(Ct));
        }
        finally
        {
            await client.ResumeServerAsync(CancellationToken.None);
        }
    }
}
