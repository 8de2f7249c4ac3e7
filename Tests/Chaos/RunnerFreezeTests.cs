using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Chaos;

/// <summary>Chaos 3: a runner frozen (SIGSTOP) for longer than its lease, then resumed.</summary>
[Collection(ChaosCollection.Name)]
public sealed class RunnerFreezeTests
{
    private const int SigStop = 19;
    private const int SigCont = 18;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_runner_frozen_past_its_lease_has_its_command_killed_when_resumed_and_its_job_completes_once_elsewhere()
    {
        await using var cluster = await ChaosCluster.StartAsync(2, null, "--Queue:TimeToRelease", "00:00:03");
        await using var client = await cluster.ConnectAsync(cluster.Managers[0], cluster.Managers[1]);
        var ram = Jobs.UniqueRam();
        var cmd = $"echo \"r S $$ $(date +%s%3N)\" >> {cluster.Log}; sleep 12; echo \"r E $$ $(date +%s%3N)\" >> {cluster.Log}";
        await client.AddAsync([Jobs.Spec(cmd, Jobs.Unique("chaos-freeze"), ramMb: ram)], Ct);

        await using var frozen = StartRunner(cluster, ram);
        var first = await Eventually.Get(() => Task.FromResult(cluster.Runs()), runs => runs.Count == 1, TimeSpan.FromSeconds(60), "the first runner to start the command");
        frozen.Signal(SigStop);

        // Its lease runs out; another runner takes the job and starts it again.
        await using var other = StartRunner(cluster, ram);
        var second = await Eventually.Get(() => Task.FromResult(cluster.Runs()), runs => runs.Count(r => r.Event == "S") == 2, TimeSpan.FromSeconds(60), "the job to start again elsewhere");
        var firstPid = first[0].Pid;
        var secondPid = second.Last(r => r.Event == "S").Pid;

        frozen.Signal(SigCont);

        await Eventually.True(() => Sessions.LiveMembers(firstPid).Count == 0, TimeSpan.FromSeconds(10), "the resumed runner to kill its command");
        await Eventually.True(() => frozen.Output.Any(l => l.Contains("lease was lost", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the resumed runner to find its lease gone and report nothing");
        var job = await Eventually.Get(
            () => client.GetByCmdAsync(cmd, "/tmp", cancellationToken: Ct),
            j => j?.State == JobState.Complete,
            TimeSpan.FromSeconds(60),
            "the job to complete");

        var ends = cluster.Runs().Where(r => r.Event == "E").ToList();
        Assert.Equal(secondPid, Assert.Single(ends).Pid);
        Assert.NotEqual(firstPid, secondPid);
        Assert.Equal(0, job!.ExitCode);
    }

    private static ChildProcess StartRunner(ChaosCluster cluster, int ram) => ChildProcess.Start(
        "jobqueue-runner.dll",
        ["--group", Jobs.GroupFor(ram), "--server", cluster.Gateways, "--reserve-timeout", "60"],
        cluster.Managers[0].RunnerEnvironment);
}
