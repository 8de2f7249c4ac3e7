using System.CommandLine;
using JobQueue.Home;
using JobQueue.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace JobQueue.Cli;

/// <summary>
/// jobqueue run FILE: the quick start. Uses the running manager or starts one in this process, adds the file, runs
/// everything with local runners while showing progress per rep group, and ends with a summary. Interrupting it loses
/// nothing: running jobs are released, and running the same command again continues where it stopped.
/// </summary>
public static class RunCommand
{
    /// <summary>Exit code after an interruption (Ctrl-C).</summary>
    public const int Interrupted = 130;

    // How often progress is read: the counters of a manager in this process are a local read, so the end of the run
    // is noticed sooner there; a remote manager may serve many users.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan EmbeddedPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The "run" command.</summary>
    public static Command Create()
    {
        var options = new AddOptions();
        var file = new Argument<string>("file") { Description = "File of commands, one per line ('-': stdin)" };
        var command = new Command("run", "Add a file of commands and run them all on this machine, showing progress") { file };
        options.AddTo(command);
        Cli.SetAction(command, (parse, cancellationToken) => RunAsync(AddCommand.Read(parse.GetValue(file), options.Defaults(parse)), options.Rerun(parse), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(IReadOnlyList<JobSpec> jobs, bool rerun, CancellationToken cancellationToken)
    {
        using var signals = new StopSignals();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
        RunningManager? embedded = null;
        JobQueueClient? client;
        if (ManagerInfo.Read(Cli.Home) is { } running)
        {
            client = await Cli.ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (running.Scheduler == "none")
            {
                Console.Error.WriteLine("jobqueue: note: the running manager starts no runners (scheduler none); start runners for the jobs yourself");
            }
        }
        else
        {
            try
            {
                embedded = await JobQueueManager.StartAsync(EmbeddedConfiguration(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ManagerStartException ex)
            {
                return Cli.Error($"cannot start a manager: {ex.Message}");
            }

            Console.Error.WriteLine($"started a manager in this process (home {Cli.Home}; log {Path.Combine(Cli.Home, "logs", "manager.log")})");

            // The manager is in this process: its own client calls its grains directly, with no connection to make.
            client = new JobQueueClient(embedded.Services.GetRequiredService<IClusterClient>());
        }

        if (client is null)
        {
            return ExitCodes.NoManager;
        }

        await using (client)
        {
            try
            {
                var groups = jobs.GroupBy(j => j.RepGroup, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                var before = await CountsAsync(client, groups.Keys, cancellationToken).ConfigureAwait(false);
                AddCommand.Report(await client.AddAsync(jobs, skipCompleted: !rerun, cancellationToken).ConfigureAwait(false), json: false);
                var finished = await WatchAsync(client, groups, before, embedded is null ? PollInterval : EmbeddedPollInterval, stop.Token).ConfigureAwait(false);
                if (!finished)
                {
                    Console.Error.WriteLine("interrupted: running jobs are released; run the same command again to continue where this stopped");
                    return Interrupted;
                }

                return await SummarizeAsync(client, groups, before, embedded is not null, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                if (embedded is not null)
                {
                    // Stops the runners first (they release their jobs), then the manager.
                    await embedded.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// The settings of a manager started for this run: local runners, logging to its file only, and no Orleans
    /// Dashboard unless the settings ask for it (it compresses its assets when it starts, a third of a second here, and
    /// times every grain call; the manager's own web page shows the run).
    /// </summary>
    private static ManagerConfiguration EmbeddedConfiguration() => ManagerConfiguration.Load(
        [],
        overrides: new Dictionary<string, string?> { ["Manager:Scheduler"] = "local", ["Manager:LogToConsole"] = "false" },
        defaults: new Dictionary<string, string?> { ["Manager:Dashboard"] = "false" });

    private static async Task<Dictionary<string, RepGroupCounts>> CountsAsync(JobQueueClient client, IEnumerable<string> groups, CancellationToken cancellationToken)
    {
        // One read of the counters serves every rep group of the file.
        var all = (await client.GetRepGroupCountsAsync(null, cancellationToken).ConfigureAwait(false))
            .ToDictionary(c => c.RepGroup, StringComparer.Ordinal);
        return groups.ToDictionary(g => g, g => all.GetValueOrDefault(g) ?? new RepGroupCounts { RepGroup = g }, StringComparer.Ordinal);
    }

    private static (long Done, long Running, long Failed, bool Finished) Progress(RepGroupCounts now, RepGroupCounts before, int total)
    {
        var done = Math.Clamp(now.Complete - before.Complete, 0, total);
        var failed = Math.Min(now.Buried, total - done);
        var running = now.Reserved + now.Running;
        // Dependents are released in the commit that completes their last dependency: once nothing else of the file
        // can run, those left wait on buried jobs, and the run is over.
        var finished = now.Delayed + now.Ready + now.Reserved + now.Running == 0;
        return (done, running, failed, finished);
    }

    /// <summary>Shows progress until every rep group of the file is finished; false if interrupted.</summary>
    private static async Task<bool> WatchAsync(JobQueueClient client, Dictionary<string, int> groups, Dictionary<string, RepGroupCounts> before, TimeSpan interval, CancellationToken stop)
    {
        if (Cli.Out.Profile.Capabilities.Interactive)
        {
            return await Cli.Out.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var tasks = groups.ToDictionary(g => g.Key, g => context.AddTask(g.Key.EscapeMarkup(), maxValue: g.Value), StringComparer.Ordinal);
                    return await PollAsync(client, groups, before, interval, stop, (group, done, running, failed, over) =>
                    {
                        tasks[group].Value = done + failed;
                        tasks[group].Description = $"{group.EscapeMarkup()}: {done}/{groups[group]} done, {running} running" + (failed > 0 ? $", [red]{failed} failed[/]" : "");
                    }).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }

        // A line when a group's progress changed, at most one every half second per group until it is finished.
        var last = new Dictionary<string, (string Line, long At)>(StringComparer.Ordinal);
        return await PollAsync(client, groups, before, interval, stop, (group, done, running, failed, over) =>
        {
            var line = $"{group}: {done}/{groups[group]} done, {running} running, {failed} failed";
            var now = Environment.TickCount64;
            var (previous, at) = last.GetValueOrDefault(group);
            if (previous != line && (previous is null || now - at >= (long)PollInterval.TotalMilliseconds || over))
            {
                last[group] = (line, now);
                Console.Out.WriteLine(line);
            }
        }).ConfigureAwait(false);
    }

    private static async Task<bool> PollAsync(
        JobQueueClient client,
        Dictionary<string, int> groups,
        Dictionary<string, RepGroupCounts> before,
        TimeSpan interval,
        CancellationToken stop,
        Action<string, long, long, long, bool> show)
    {
        using var poll = new PeriodicTimer(interval);
        try
        {
            while (true)
            {
                var now = await CountsAsync(client, groups.Keys, stop).ConfigureAwait(false);
                var finished = true;
                foreach (var (group, total) in groups)
                {
                    var progress = Progress(now[group], before[group], total);
                    show(group, progress.Done, progress.Running, progress.Failed, progress.Finished);
                    finished &= progress.Finished;
                }

                if (finished)
                {
                    return true;
                }

                await poll.WaitForNextTickAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<int> SummarizeAsync(JobQueueClient client, Dictionary<string, int> groups, Dictionary<string, RepGroupCounts> before, bool embedded, CancellationToken cancellationToken)
    {
        var now = await CountsAsync(client, groups.Keys, cancellationToken).ConfigureAwait(false);
        var table = new Table().Title("summary");
        table.AddColumns("rep group", "jobs", "complete", "failed");
        var failures = new List<Job>();
        foreach (var (group, total) in groups)
        {
            var (done, _, failed, _) = Progress(now[group], before[group], total);
            table.AddRow(group.EscapeMarkup(), $"{total}", $"{done}", failed > 0 ? $"[red]{failed}[/]" : "0");
            if (now[group].Buried > 0)
            {
                failures.AddRange(await client.GetByRepGroupAsync(group, 1, JobState.Buried, getStd: true, cancellationToken: cancellationToken).ConfigureAwait(false));
            }
        }

        Cli.Out.Write(table);
        if (failures.Count == 0)
        {
            Cli.Out.MarkupLine("[green]all jobs completed[/]");
            return ExitCodes.Ok;
        }

        Cli.Out.Write(StatusCommand.FailuresTable(failures));
        // Advice must work when followed: the manager of this run stops with it, and retry needs one.
        var retry = embedded ? "[bold]jobqueue manager start[/] and [bold]jobqueue retry --rep-grp NAME[/]" : "[bold]jobqueue retry --rep-grp NAME[/]";
        Cli.Out.MarkupLine($"[red]some jobs failed[/]: see [bold]jobqueue status[/]; to run them again, fix them, then {retry}; or [bold]jobqueue remove[/] them");
        return ExitCodes.JobsFailed;
    }
}
