using System.CommandLine;
using JobQueue.Runner;

namespace JobQueue.Cli;

/// <summary>The jobqueue command line.</summary>
public static class CliApp
{
    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("jobqueue: a durable queue and runner for shell commands");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(AddCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(SelectionCommands.Retry());
        root.Subcommands.Add(SelectionCommands.Remove());
        root.Subcommands.Add(SelectionCommands.Kill());
        root.Subcommands.Add(SelectionCommands.Mod());
        root.Subcommands.Add(WhyCommand.Create());
        root.Subcommands.Add(LimitCommands.Create());
        root.Subcommands.Add(ManagerCommands.Create());
        root.Subcommands.Add(BenchCommand.Create());
        var runner = RunnerCommand.Create();
        runner.Hidden = true;
        root.Subcommands.Add(runner);
        return root;
    }

    /// <summary>
    /// Whether the command line may host a manager in this process (run, bench, manager start --foreground), and so
    /// should run with a manager's runtime settings (<see cref="Silo.Hosting.ManagerRuntime"/>).
    /// </summary>
    public static bool HostsManager(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Count > 0 && (args[0] is "run" or "bench" || (args[0] == "manager" && args.Count > 1 && args[1] == "start" && args.Contains("--foreground")));
    }

    /// <summary>Parses and runs a command line; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args) =>
        Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
}
