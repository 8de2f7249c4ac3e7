using System.CommandLine;

namespace JobQueue.Cli;

/// <summary>jobqueue retry|remove|kill|mod: act on jobs chosen by rep group, by command, or all of them.</summary>
public static class SelectionCommands
{
    /// <summary>"retry": kick buried jobs.</summary>
    public static Command Retry() => Create(
        "retry",
        "Make buried jobs ready again, with their retries restored",
        "kicked",
        allowState: false,
        (client, filter, _, ct) => client.ApplyAsync(filter, BulkAction.Kick, ct));

    /// <summary>"remove": delete jobs that are not running.</summary>
    public static Command Remove()
    {
        var withDependents = new Option<bool>("--with-dependents") { Description = "Also remove the jobs that wait on them (without it, removing a job others wait on is refused)" };
        return Create(
            "remove",
            "Remove jobs that are not reserved or running",
            "removed",
            allowState: true,
            (client, filter, parse, ct) => client.ApplyAsync(filter, parse.GetValue(withDependents) ? BulkAction.DeleteWithDependents : BulkAction.Delete, ct),
            command => command.Options.Add(withDependents));
    }

    /// <summary>"kill": stop running jobs; they are buried.</summary>
    public static Command Kill() => Create(
        "kill",
        "Stop reserved and running jobs; they are buried, not retried",
        "killed",
        allowState: false,
        (client, filter, _, ct) => client.ApplyAsync(filter, BulkAction.Kill, ct));

    /// <summary>"mod": change jobs that are not running.</summary>
    public static Command Mod()
    {
        var changes = new ModOptions();
        return Create(
            "mod",
            "Change jobs that are not reserved or running: priority, memory, time, cpus, retries, rep group, limit groups, dependencies",
            "modified",
            allowState: true,
            (client, filter, parse, ct) => client.ModifyAsync(filter, changes.Changes(parse), ct),
            changes.AddTo);
    }

    private static Command Create(
        string name,
        string description,
        string verb,
        bool allowState,
        Func<JobQueueClient, JobFilter, ParseResult, CancellationToken, Task<int>> act,
        Action<Command>? options = null)
    {
        var json = new Option<bool>("--json") { Description = $"Print {{\"{verb}\":N}}" };
        var command = new Command(name, description);
        var selection = new JobSelection(command, allowState);
        command.Options.Add(json);
        options?.Invoke(command);
        Cli.SetAction(command, async (parse, cancellationToken) =>
        {
            if (selection.Filter(parse, name) is not { } filter)
            {
                return ExitCodes.BadInput;
            }

            return await Cli.WithManagerAsync(
                async client =>
                {
                    // Selected and changed on the server, however many jobs match.
                    var count = await act(client, filter, parse, cancellationToken).ConfigureAwait(false);
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
