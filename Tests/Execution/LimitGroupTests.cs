using System.Globalization;
using JobQueue.Tests.Infrastructure;

namespace JobQueue.Tests.Execution;

/// <summary>
/// Limit groups with a real manager, real runners and real commands: each command writes its own start and end
/// times, so what overlapped is measured where it happened, not taken from the manager's word.
/// </summary>
public sealed class LimitGroupTests : IAsyncDisposable
{
    private const int SigKill = 9;
    private readonly ProcessScene _scene = new("limits");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Log => _scene.Log;

    public ValueTask DisposeAsync() => _scene.DisposeAsync();

    [Fact]
    public async Task Fifty_jobs_limited_to_three_on_four_runners_never_overlap_more_than_three_even_when_a_runner_is_killed_mid_job()
    {
        var manager = _scene.Track(await ManagerProcess.StartAsync(_scene.Home, "--Queue:TimeToRelease", "00:00:04", "--Queue:ReleaseDelay", "00:00:01"));
        await using var client = await manager.ConnectAsync();
        var jobs = Enumerable.Range(0, 50)
            .Select(i => new JobSpec
            {
                Cmd = $"echo \"start {i}:$$ $(date +%s%N)\" >> {Log}; sleep 0.4; echo \"end {i}:$$ $(date +%s%N)\" >> {Log}",
                Cwd = _scene.Home,
                RepGroup = "limited",
                ReqGroup = "limited",
                LimitGroups = ["fileserver:3"],
            })
            .ToList();
        await client.AddAsync(jobs, Ct);
        var queue = (await client.GetByCmdAsync(jobs[0].Cmd, jobs[0].Cwd, cancellationToken: Ct))!.Queue;
        Assert.EndsWith("~fileserver", queue, StringComparison.Ordinal);

        var runners = Enumerable.Range(0, 4).Select(_ => _scene.StartRunner(manager, queue, 30)).ToList();

        // Once a few have run, kill -9 a runner whose command is running: its command dies with it, and its job's
        // slot comes back only when the lease runs out.
        await Eventually.True(() => Lines("end").Count >= 6, TimeSpan.FromSeconds(60), "a few jobs to run");
        var (victim, command) = await Eventually.Get(
            () => Task.FromResult(RunningCommandOf(runners)),
            found => found.Runner is not null,
            TimeSpan.FromSeconds(30),
            "a runner with a running command");
        victim!.Signal(SigKill);
        await Eventually.True(() => !Directory.Exists($"/proc/{command}"), TimeSpan.FromSeconds(30), "the killed runner's command to die with it");
        var commandGone = DateTimeOffset.UtcNow;

        await Eventually.True(async () => (await client.GetRepGroupCountsAsync("limited", Ct)).Single().Complete == 50, TimeSpan.FromSeconds(120), "every job to complete");

        Assert.Equal(3, MaxOverlap(commandGone));
        Assert.Equal([new LimitGroupInfo("fileserver", 3, 0)], await client.GetLimitsAsync(Ct));
    }

    /// <summary>The most commands running at once by their own clocks; a command killed before its end counts until <paramref name="killedBy"/>.</summary>
    private int MaxOverlap(DateTimeOffset killedBy)
    {
        var starts = Lines("start").Select(Parse).ToList();
        var ends = Lines("end").Select(Parse).ToDictionary(e => e.Run, e => e.Nanos);
        var cutOff = killedBy.ToUnixTimeMilliseconds() * 1_000_000;
        var events = starts.SelectMany(s => new[] { (Nanos: s.Nanos, Delta: 1), (Nanos: ends.GetValueOrDefault(s.Run, cutOff), Delta: -1) })
            .OrderBy(e => e.Nanos).ThenBy(e => e.Delta);
        int current = 0, max = 0;
        foreach (var (_, delta) in events)
        {
            current += delta;
            max = Math.Max(max, current);
        }

        // Every run ended by its own word but the killed one, which may have written its end just before the kill.
        Assert.InRange(starts.Count - ends.Count, 0, 1);
        Assert.All(ends.Keys, run => Assert.Contains(starts, s => s.Run == run));
        return max;
    }

    /// <summary>A live runner and the pid of the command it runs (the command's shell is the runner's child).</summary>
    private (ChildProcess? Runner, int Command) RunningCommandOf(List<ChildProcess> runners)
    {
        var ended = Lines("end").Select(l => Parse(l).Run).ToHashSet();
        foreach (var run in Lines("start").Select(l => Parse(l).Run).Where(r => !ended.Contains(r)))
        {
            var pid = int.Parse(run.Split(':')[1], CultureInfo.InvariantCulture);
            var stat = $"/proc/{pid}/stat";
            var parent = File.Exists(stat) ? int.Parse(File.ReadAllText(stat).Split(") ")[1].Split(' ')[1], CultureInfo.InvariantCulture) : 0;
            if (runners.FirstOrDefault(r => r.Pid == parent && !r.HasExited) is { } runner)
            {
                return (runner, pid);
            }
        }

        return (null, 0);
    }

    /// <summary>A line "start|end JOB:PID NANOS": the run (a job's index and its shell's pid) and the time.</summary>
    private static (string Run, long Nanos) Parse(string line)
    {
        var parts = line.Split(' ');
        return (parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private List<string> Lines(string kind) => _scene.Lines(kind);
}
