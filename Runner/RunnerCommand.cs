using System.CommandLine;
using JobQueue.Client;
using JobQueue.Client.Execution;

namespace JobQueue.Runner;

/// <summary>
/// The runner's command line, as in the model: --queue Q --group G --deployment D --server S
/// --reserve-timeout SECONDS --max-mins MINUTES. Used by jobqueue-runner and by the hidden "jobqueue runner".
/// </summary>
public static class RunnerCommand
{
    private static readonly Option<string> QueueOption = new("--queue") { Description = "The queue's name (as in the model); it must be the one the manager serves", DefaultValueFactory = _ => "cmds" };
    private static readonly Option<string> GroupOption = new("--group") { Description = "The scheduler group to serve, \"ramMb:minutes:cores\"", Required = true };
    private static readonly Option<string> DeploymentOption = new("--deployment") { Description = "The manager's deployment", DefaultValueFactory = _ => "production" };
    private static readonly Option<string> ServerOption = new("--server") { Description = "The manager's address, host:port[,host:port]", Required = true };
    private static readonly Option<int> ReserveTimeoutOption = new("--reserve-timeout") { Description = "Seconds to wait for a job before exiting", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> MaxMinsOption = new("--max-mins") { Description = "Minutes this runner may keep taking jobs (0: no limit)", DefaultValueFactory = _ => 0 };
    private static readonly Option<string> ShellOption = new("--shell") { Description = "The shell to run commands under", DefaultValueFactory = _ => "bash" };

    /// <summary>The runner as a command named <paramref name="name"/>.</summary>
    public static Command Create(string name = "runner")
    {
        var command = new Command(name, "Reserve and run jobs of one scheduler group until none are left");
        Configure(command);
        return command;
    }

    /// <summary>The runner as a root command (the jobqueue-runner program).</summary>
    public static RootCommand CreateRoot()
    {
        var command = new RootCommand("jobqueue-runner: reserve and run jobs of one scheduler group until none are left");
        Configure(command);
        return command;
    }

    /// <summary>Parses and runs, handling stop signals itself so the running job can be released first.</summary>
    public static Task<int> InvokeAsync(Command root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(root);
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static void Configure(Command command)
    {
        foreach (var option in new Option[] { QueueOption, GroupOption, DeploymentOption, ServerOption, ReserveTimeoutOption, MaxMinsOption, ShellOption })
        {
            command.Options.Add(option);
        }

        command.SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var group = parse.GetValue(GroupOption)!;
        if (!SchedulerGroup.TryParse(group, out _, out _, out _))
        {
            await Console.Error.WriteLineAsync($"jobqueue-runner: --group \"{group}\" is not ramMb:minutes:cores").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var settings = new RunnerSettings
        {
            Queue = parse.GetValue(QueueOption)!,
            Group = group,
            Deployment = parse.GetValue(DeploymentOption)!,
            Server = parse.GetValue(ServerOption)!,
            ReserveTimeout = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(ReserveTimeoutOption))),
            MaxTime = TimeSpan.FromMinutes(Math.Max(0, parse.GetValue(MaxMinsOption))),
            Shell = parse.GetValue(ShellOption)!,
        };

        using var signals = new StopSignals();
        JobQueueConnectionOptions connection;
        try
        {
            connection = JobQueueConnectionOptions.FromEnvironment(settings.Server);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"jobqueue-runner: --server: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        try
        {
            await using var client = await JobQueueClient.ConnectAsync(connection, cancellationToken).ConfigureAwait(false);
            var runner = new JobRunner(client, settings, Console.Error);
            return await runner.RunAsync(stop: signals.Token).ConfigureAwait(false);
        }
        catch (JobQueueException ex) when (ex.Kind is JobQueueErrorKind.NoServer or JobQueueErrorKind.NotAuthorised)
        {
            await Console.Error.WriteLineAsync($"jobqueue-runner: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.NoManager;
        }
        catch (JobQueueException ex)
        {
            // Its job (if any) goes back to ready when the lease expires; the scheduler starts another runner.
            await Console.Error.WriteLineAsync($"jobqueue-runner: stopping: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
    }
}
