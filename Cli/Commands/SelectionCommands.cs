using System.CommandLine;

namespace JobQueue.Cli;

/// <summary>jobqueue retry|remove|kill: act on jobs chosen by rep group, by command, or all of them.</summary>
public static class SelectionCommands
{
    /// <summary>"retry": kick buried jobs.</summary>
    public static Command Retry() => Create(
        "retry",
        "Make buried jobs ready again, with their retries restored",
        "kicked",
        allowState: false,
        BulkAction.Kick);

    /// <summary>"remove": delete jobs that are not running.</summary>
    public static Command Remove() => Create(
        "remove",
        "Remove jobs that are not reserved or running",
        "removed",
        allowState: true,
        BulkAction.Delete);

    /// <summary>"kill": stop running jobs; they are buried.</summary>
    public static Command Kill() => Create(
        "kill",
        "Stop reserved and running jobs; they are buried, not retried",
        "killed",
        allowState: false,
        BulkAction.Kill);

    private static Command Create(
        string name,
        string description,
        string verb,
        bool allowState,
        BulkAction action)
    {
        var repGroup = new Option<string?>("--rep-grp", "-i") { Description = "Jobs of this reporting group" };
        var cmd = new Option<string?>("--cmd") { Description = "The job running this command" };
        var cwd = new Option<string?>("--cwd") { Description = "With --cmd: the job's directory (default: the current one)" };
        var all = new Option<bool>("--all", "-a") { Description = "All incomplete jobs" };
        var state = new Option<string?>("--state", "-s") { Description = "Only jobs in this state" };
        var json = new Option<bool>("--json") { Description = $"Print {{\"{verb}\":N}}" };
        var command = new Command(name, description);
        foreach (var option in allowState ? new Option[] { repGroup, cmd, cwd, all, state, json } : [repGroup, cmd, cwd, all, json])
        {
            command.Options.Add(option);
        }

        Cli.SetAction(command, async (parse, cancellationToken) =>
        {
            var chosen = new[] { parse.GetValue(repGroup) is not null, parse.GetValue(cmd) is not null, parse.GetValue(all) }.Count(c => c);
            if (chosen != 1)
            {
                return Cli.Error($"choose the jobs to {name} with exactly one of --rep-grp NAME, --cmd CMD [--cwd DIR] or --all");
            }

            JobState? wanted = null;
            if (allowState && parse.GetValue(state) is { } stateName)
            {
                wanted = JobStates.TryParse(stateName, out var parsed) ? parsed : throw new FormatException($"--state \"{stateName}\" is not a job state");
            }

            return await Cli.WithManagerAsync(
                async client =>
                {
                    // Selected and changed on the server, however many jobs match.
                    var filter = new JobFilter { State = wanted };
                    if (parse.GetValue(cmd) is { } command)
                    {
                        var directory = Path.GetFullPath(parse.GetValue(cwd) ?? Environment.CurrentDirectory);
                        filter = filter with { Keys = [JobKey.For(directory, command)] };
                    }
                    else if (parse.GetValue(repGroup) is { } group)
                    {
                        filter = filter with { RepGroup = group };
                    }

                    var count = await client.ApplyAsync(filter, action, cancellationToken).ConfigureAwait(false);
                    if (parse.GetValue(json))
                    {
                        Cli.WriteJson(new Dictionary<string, int> { [verb] = count });
                    }
                    else
                    {
                        Console.Out.WriteLine($"{verb} {count} job{(count == 1 ? "" : "s")}");
                    }

                    return ExitCodes.Ok;
                },
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
