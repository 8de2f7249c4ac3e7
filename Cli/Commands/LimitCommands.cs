using System.CommandLine;
using Spectre.Console;

namespace JobQueue.Cli;

/// <summary>jobqueue limit set|list|remove: at most N jobs of a limit group reserved or running at once.</summary>
public static class LimitCommands
{
    /// <summary>The "limit" command and its subcommands.</summary>
    public static Command Create()
    {
        var limit = new Command("limit", "Set, list or remove the limits of limit groups (jobs join them with --limit-grps or \"limit_grps\")");
        limit.Subcommands.Add(Set());
        limit.Subcommands.Add(List());
        limit.Subcommands.Add(Remove());
        return limit;
    }

    private static Command Set()
    {
        var name = new Argument<string>("name") { Description = "The limit group" };
        var count = new Argument<int>("limit") { Description = "At most this many of its jobs reserved or running at once (0 holds them all back)" };
        var command = new Command("set", "Set a limit group's limit; it applies at once to jobs not yet started");
        command.Arguments.Add(name);
        command.Arguments.Add(count);
        Cli.SetAction(command, (parse, cancellationToken) => Cli.WithManagerAsync(
            async client =>
            {
                await client.SetLimitAsync(parse.GetValue(name)!, parse.GetValue(count), cancellationToken).ConfigureAwait(false);
                Console.Out.WriteLine($"limit group {parse.GetValue(name)}: at most {parse.GetValue(count)} at once");
                return ExitCodes.Ok;
            },
            cancellationToken));
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("name") { Description = "The limit group" };
        var command = new Command("remove", "Remove a limit group's limit: its jobs run as resources allow");
        command.Arguments.Add(name);
        Cli.SetAction(command, (parse, cancellationToken) => Cli.WithManagerAsync(
            async client =>
            {
                await client.RemoveLimitAsync(parse.GetValue(name)!, cancellationToken).ConfigureAwait(false);
                Console.Out.WriteLine($"limit group {parse.GetValue(name)}: no limit");
                return ExitCodes.Ok;
            },
            cancellationToken));
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per group: {\"name\",\"limit\",\"running\"}" };
        var command = new Command("list", "List limit groups with a limit or with jobs holding a slot");
        command.Options.Add(json);
        Cli.SetAction(command, (parse, cancellationToken) => Cli.WithManagerAsync(
            async client =>
            {
                var limits = await client.GetLimitsAsync(cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    foreach (var group in limits)
                    {
                        Cli.WriteJson(group);
                    }

                    return ExitCodes.Ok;
                }

                var table = new Table().AddColumns("Group", "Limit", "Reserved or running");
                foreach (var group in limits)
                {
                    table.AddRow(Markup.Escape(group.Name), group.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", group.Running.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                Cli.Out.Write(table);
                return ExitCodes.Ok;
            },
            cancellationToken));
        return command;
    }
}
