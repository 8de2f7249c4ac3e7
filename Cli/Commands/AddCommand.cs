using System.CommandLine;

namespace JobQueue.Cli;

/// <summary>jobqueue add: one command per line from a file or stdin.</summary>
public static class AddCommand
{
    /// <summary>The "add" command.</summary>
    public static Command Create()
    {
        var options = new AddOptions();
        var file = new Option<string?>("--file", "-f") { Description = "File of commands, one per line, each optionally followed by a tab and JSON options (default or '-': stdin)" };
        var dash = new Argument<string?>("stdin") { Description = "'-' reads commands from stdin", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print {\"added\":N,\"existed\":M}" };
        var command = new Command("add", "Add commands to the queue; commands already queued and not yet complete are left alone");
        command.Arguments.Add(dash);
        command.Options.Add(file);
        command.Options.Add(json);
        options.AddTo(command);
        Cli.SetAction(command, async (parse, cancellationToken) =>
        {
            if (parse.GetValue(dash) is { } extra && extra != "-")
            {
                return Cli.Error($"unexpected argument \"{extra}\"; give commands in a file (-f FILE) or on stdin");
            }

            var jobs = Read(parse.GetValue(file), options.Defaults(parse));
            return await Cli.WithManagerAsync(
                async client =>
                {
                    var result = await client.AddAsync(jobs, skipCompleted: !options.Rerun(parse), cancellationToken).ConfigureAwait(false);
                    Report(result, parse.GetValue(json));
                    return ExitCodes.Ok;
                },
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Reads and validates a job file ("-" or null: stdin).</summary>
    public static IReadOnlyList<JobSpec> Read(string? path, JobDefaults defaults)
    {
        if (path is null or "-")
        {
            using var stdin = new StrictUtf8LineReader(Console.OpenStandardInput());
            return JobFile.Parse(stdin, defaults);
        }

        if (Directory.Exists(path))
        {
            throw new FormatException($"{path} is a directory; give a file of commands");
        }

        if (!File.Exists(path))
        {
            throw new FormatException($"the file {path} does not exist");
        }

        using var reader = new StrictUtf8LineReader(File.OpenRead(path));
        return JobFile.Parse(reader, defaults);
    }

    /// <summary>Prints an add's outcome.</summary>
    public static void Report(AddResult result, bool json)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (json)
        {
            Cli.WriteJson(new { added = result.Added, existed = result.Existed });
        }
        else
        {
            Console.Out.WriteLine($"added {result.Added}, existed {result.Existed}");
        }
    }
}
