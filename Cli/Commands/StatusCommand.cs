using System.CommandLine;
using System.Text.Json;
using JobQueue.Grains.Storage;
using JobQueue.Silo.Hosting;
using Spectre.Console;

namespace JobQueue.Cli;

/// <summary>jobqueue status: counts per rep group and what failed, or jobs as JSON lines.</summary>
public static class StatusCommand
{
    /// <summary>The "status" command.</summary>
    public static Command Create()
    {
        var repGroup = new Option<string?>("--rep-grp", "-i") { Description = "Only this reporting group" };
        var cmd = new Option<string?>("--cmd") { Description = "Only the job running this command" };
        var cwd = new Option<string?>("--cwd") { Description = "With --cmd: the job's directory (default: the current one)" };
        var state = new Option<string?>("--state", "-s") { Description = "Only jobs in this state: dependent, delayed, ready, reserved, running, buried, complete" };
        var limit = new Option<int>("--limit", "-l") { Description = "At most this many jobs per state, exit code and fail reason (0: all)" };
        var std = new Option<bool>("--std") { Description = "Include the head and tail of stdout and stderr" };
        var env = new Option<bool>("--env") { Description = "Include the environment" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per job per line" };
        var command = new Command("status", "Show where jobs stand");
        foreach (var option in new Option[] { repGroup, cmd, cwd, state, limit, std, env, json })
        {
            command.Options.Add(option);
        }

        Cli.SetAction(command, async (parse, cancellationToken) =>
        {
            JobState? wanted = null;
            if (parse.GetValue(state) is { } name)
            {
                wanted = JobStates.TryParse(name, out var parsed) ? parsed : throw new FormatException($"--state \"{name}\" is not one of dependent, delayed, ready, reserved, running, buried, complete");
            }

            if (parse.GetValue(limit) < 0)
            {
                return Cli.Error("--limit must not be negative");
            }

            await using var client = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            if (client is null)
            {
                return ExitCodes.NoManager;
            }

            var (getStd, getEnv) = (parse.GetValue(std), parse.GetValue(env));
            IReadOnlyList<Job> jobs;
            if (parse.GetValue(cmd) is { } command)
            {
                var directory = Path.GetFullPath(parse.GetValue(cwd) ?? Environment.CurrentDirectory);
                var job = await client.GetByCmdAsync(command, directory, getStd, getEnv, cancellationToken).ConfigureAwait(false);
                if (job is null)
                {
                    return Cli.Error($"no job runs \"{command}\" in {directory}");
                }

                jobs = [job];
            }
            else if (parse.GetValue(json) && parse.GetValue(limit) == 0)
            {
                await StreamJsonAsync(client, parse.GetValue(repGroup), wanted, getStd, getEnv, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            else if (parse.GetValue(json) || wanted is not null || parse.GetValue(limit) > 0)
            {
                jobs = await FindAsync(client, parse.GetValue(repGroup), parse.GetValue(limit), wanted, getStd, getEnv, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await SummaryAsync(client, parse.GetValue(repGroup), cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            if (parse.GetValue(json))
            {
                var context = await client.GetWhyContextAsync(cancellationToken).ConfigureAwait(false);
                foreach (var line in await ToJsonAsync(client, jobs, context, getStd, getEnv, cancellationToken).ConfigureAwait(false))
                {
                    Cli.WriteJson(line);
                }
            }
            else
            {
                Cli.Out.Write(JobsTable(jobs, getStd));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The manager when one answers; otherwise the embedded database, read-only (saying so on stderr), so that status
    /// works after a run has ended or a manager has died. Null (after saying why) if neither is there.
    /// </summary>
    public static async Task<IJobReader?> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var (client, why) = await Cli.TryConnectAsync(cancellationToken).ConfigureAwait(false);
        if (client is not null)
        {
            return new ManagerJobReader(client, owned: true);
        }

        var settings = ManagerConfiguration.Load([]);
        if (settings.Storage.Provider == JobStoreProviders.Sqlite && settings.Storage.DbFile is { } db && File.Exists(db))
        {
            Console.Error.WriteLine($"jobqueue: {why}; reading {db} directly (read-only)");
            return new DatabaseJobReader(db);
        }

        Cli.NoManager(why!);
        return null;
    }

    /// <summary>Prints a table of counts per rep group and a table of what failed.</summary>
    public static async Task SummaryAsync(IJobReader client, string? repGroup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var counts = await client.GetRepGroupCountsAsync(repGroup, cancellationToken).ConfigureAwait(false);
        if (counts.Count == 0)
        {
            Cli.Out.MarkupLine(repGroup is null ? "no jobs" : $"no jobs in rep group {repGroup.EscapeMarkup()}");
            return;
        }

        var table = new Table().Title("jobs by rep group");
        table.AddColumns("rep group", "dependent", "delayed", "ready", "reserved", "running", "buried", "complete");
        foreach (var c in counts)
        {
            table.AddRow(c.RepGroup.EscapeMarkup(), $"{c.Dependent}", $"{c.Delayed}", $"{c.Ready}", $"{c.Reserved}", $"{c.Running}", c.Buried > 0 ? $"[red]{c.Buried}[/]" : "0", $"{c.Complete}");
        }

        Cli.Out.Write(table);
        var failed = new List<Job>();
        foreach (var c in counts.Where(c => c.Buried > 0 || c.Delayed > 0))
        {
            failed.AddRange((await client.GetByRepGroupAsync(c.RepGroup, 1, null, true, false, cancellationToken).ConfigureAwait(false))
                .Where(j => j.State is JobState.Buried or JobState.Delayed && j.FailReason.Length > 0));
        }

        if (failed.Count > 0)
        {
            Cli.Out.Write(FailuresTable(failed));
        }

        var notes = (await client.GetWhyContextAsync(cancellationToken).ConfigureAwait(false)).SchedulerNotes;
        if (notes.Count > 0)
        {
            var waiting = new Table().Title("ready jobs waiting for runners");
            waiting.AddColumns("scheduler group", "why");
            foreach (var (group, note) in notes.OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                waiting.AddRow(group.EscapeMarkup(), note.EscapeMarkup());
            }

            Cli.Out.Write(waiting);
        }
    }

    /// <summary>A table of failed jobs (one per kind of failure) with the tail of their stderr.</summary>
    public static Table FailuresTable(IEnumerable<Job> failed)
    {
        var table = new Table().Title("failures");
        table.AddColumns("rep group", "state", "exit", "reason", "jobs", "example command", "stderr (tail)");
        foreach (var job in failed)
        {
            table.AddRow(
                job.RepGroup.EscapeMarkup(),
                job.State.ToName(),
                job.Exited ? $"{job.ExitCode}" : "-",
                job.FailReason.EscapeMarkup(),
                $"{1 + job.Similar}",
                job.Cmd.EscapeMarkup(),
                Tail(job.StdErr, 3).EscapeMarkup());
        }

        return table;
    }

    /// <summary>The last <paramref name="lines"/> lines of some output.</summary>
    public static string Tail(string? text, int lines) =>
        string.Join('\n', (text ?? "").TrimEnd('\n').Split('\n').TakeLast(lines));

    /// <summary>
    /// Every job of the rep group (or of each rep group), one JSON line each, read a page at a time and written as it
    /// comes: a million jobs cost the manager and this process no more memory than one page.
    /// </summary>
    private static async Task StreamJsonAsync(IJobReader client, string? repGroup, JobState? state, bool getStd, bool getEnv, CancellationToken cancellationToken)
    {
        var context = await client.GetWhyContextAsync(cancellationToken).ConfigureAwait(false);
        var groups = repGroup is not null ? [repGroup] : (await client.GetRepGroupCountsAsync(null, cancellationToken).ConfigureAwait(false)).Select(c => c.RepGroup).ToList();
        var output = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16);
        await using (output.ConfigureAwait(false))
        {
            foreach (var group in groups)
            {
                // A page at a time, so what the page's dependents wait on is asked once for all of them.
                await foreach (var page in client.ListAllAsync(new JobFilter { RepGroup = group, State = state }, getStd, getEnv, cancellationToken).Chunk(JobQueueDefaults.MaxPageSize).ConfigureAwait(false))
                {
                    foreach (var line in await ToJsonAsync(client, page, context, getStd, getEnv, cancellationToken).ConfigureAwait(false))
                    {
                        await output.WriteLineAsync(JsonSerializer.Serialize(line, Cli.Json).AsMemory(), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    /// <summary>The JSON lines of <paramref name="jobs"/>, each with why it is where it is; what their dependents wait on is asked once for all.</summary>
    private static async Task<IEnumerable<JobJson>> ToJsonAsync(IJobReader client, IReadOnlyList<Job> jobs, WhyContext context, bool getStd, bool getEnv, CancellationToken cancellationToken)
    {
        var dependents = jobs.Where(j => j.State == JobState.Dependent).Select(j => j.Key).ToList();
        var waits = dependents.Count == 0 ? null : await client.GetDependencyWaitsAsync(dependents, cancellationToken).ConfigureAwait(false);
        return jobs.Select(job => JobJson.From(job, getStd, getEnv) with
        {
            SchedulerNote = job.State == JobState.Ready ? context.SchedulerNotes.GetValueOrDefault(job.Queue) : null,
            Why = job.State == JobState.Complete ? null : JobReasons.Explain(job, context, wait: waits?.GetValueOrDefault(job.Key)),
        });
    }

    private static async Task<IReadOnlyList<Job>> FindAsync(IJobReader client, string? repGroup, int limit, JobState? state, bool getStd, bool getEnv, CancellationToken cancellationToken)
    {
        if (repGroup is not null)
        {
            return await client.GetByRepGroupAsync(repGroup, limit, state, getStd, getEnv, cancellationToken).ConfigureAwait(false);
        }

        var jobs = new List<Job>();
        foreach (var group in await client.GetRepGroupCountsAsync(null, cancellationToken).ConfigureAwait(false))
        {
            jobs.AddRange(await client.GetByRepGroupAsync(group.RepGroup, limit, state, getStd, getEnv, cancellationToken).ConfigureAwait(false));
        }

        return jobs;
    }

    private static Table JobsTable(IReadOnlyList<Job> jobs, bool getStd)
    {
        var table = new Table();
        table.AddColumns("state", "rep group", "command", "exit", "reason", "attempts", "memory", "time");
        if (getStd)
        {
            table.AddColumns("stdout (tail)", "stderr (tail)");
        }

        foreach (var job in jobs)
        {
            var cells = new List<string>
            {
                job.State.ToName(),
                job.RepGroup.EscapeMarkup(),
                job.Cmd.EscapeMarkup() + (job.Similar > 0 ? $" (+{job.Similar} similar)" : ""),
                job.Exited ? $"{job.ExitCode}" : "-",
                job.FailReason.EscapeMarkup(),
                $"{job.Attempts}",
                job.PeakRamMb > 0 ? $"{Units.FormatMemory(job.PeakRamMb)} of {Units.FormatMemory(job.RamMb)}" : Units.FormatMemory(job.RamMb),
                job.Walltime > TimeSpan.Zero ? $"{Units.FormatDuration(job.Walltime)} of {Units.FormatDuration(job.Time)}" : Units.FormatDuration(job.Time),
            };
            if (getStd)
            {
                cells.Add(Tail(job.StdOut, 3).EscapeMarkup());
                cells.Add(Tail(job.StdErr, 3).EscapeMarkup());
            }

            table.AddRow([.. cells]);
        }

        return table;
    }
}
