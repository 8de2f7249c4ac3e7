using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using JobQueue.Home;
using JobQueue.Silo.Hosting;
using Spectre.Console;

namespace JobQueue.Cli;

/// <summary>What every command shares: where the installation lives, how to reach its manager, how to report.</summary>
public static class Cli
{
    /// <summary>JSON for scripts: camelCase, nulls left out, one object per line.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The installation's home ($JOBQUEUE_HOME, else ~/.jobqueue).</summary>
    public static string Home => JobQueueHome.Default;

    /// <summary>The console for human output (tables, progress); plain and wide when redirected, so tables do not wrap.</summary>
    public static IAnsiConsole Out { get; } = CreateConsole();

    /// <summary>Wraps a command's action: known failures become a message on stderr and an exit code.</summary>
    public static void SetAction(Command command, Func<ParseResult, CancellationToken, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken).ConfigureAwait(false);
            }
            catch (JobQueueException ex) when (ex.Kind == JobQueueErrorKind.NoServer)
            {
                return NoManager($"the manager does not answer ({ex.Detail ?? ex.Message})");
            }
            catch (JobQueueException ex) when (ex.Kind == JobQueueErrorKind.NotAuthorised)
            {
                Console.Error.WriteLine($"jobqueue: not authorised: {ex.Detail}");
                return ExitCodes.NoManager;
            }
            catch (JobQueueException ex)
            {
                return Error(ex.Message);
            }
            catch (JobFileException ex)
            {
                return Error(ex.Message);
            }
            catch (FormatException ex)
            {
                return Error(ex.Message);
            }
            catch (ManagerStartException ex)
            {
                return Error(ex.Message);
            }
            catch (JobQueue.Grains.Storage.JobStoreException ex)
            {
                return Error(ex.Message);
            }
        });
    }

    /// <summary>Writes "jobqueue: message" to stderr and returns the bad-input exit code.</summary>
    public static int Error(string message)
    {
        Console.Error.WriteLine($"jobqueue: {message}");
        return ExitCodes.BadInput;
    }

    /// <summary>Says no manager could be reached, and how to start one.</summary>
    public static int NoManager(string why)
    {
        Console.Error.WriteLine($"jobqueue: {why}. Start one with \"jobqueue manager start\" (or run a file directly with \"jobqueue run FILE\"); home is {Home}.");
        return ExitCodes.NoManager;
    }

    /// <summary>How long a command keeps trying a manager that is alive (it holds its home's lock) but busy.</summary>
    public static readonly TimeSpan BusyManagerPatience = TimeSpan.FromSeconds(30);

    /// <summary>Connects to the manager of this installation, or null (after saying so) if none is running.</summary>
    public static async Task<JobQueueClient?> ConnectAsync(CancellationToken cancellationToken)
    {
        var (client, why) = await TryConnectAsync(cancellationToken).ConfigureAwait(false);
        if (client is null)
        {
            NoManager(why!);
        }

        return client;
    }

    /// <summary>Connects to the manager of this installation; or, when none answers, says why (for a message).</summary>
    public static async Task<(JobQueueClient? Client, string? Why)> TryConnectAsync(CancellationToken cancellationToken)
    {
        if (ManagerInfo.Read(Home) is not { } info)
        {
            return (null, "no manager is running");
        }

        // A live manager that is busy is not a missing one: keep trying it until the deadline, then say exactly that.
        var options = JobQueueConnectionOptions.For(info, Home);
        var deadline = DateTime.UtcNow + BusyManagerPatience;
        while (true)
        {
            options.ConnectTimeout = deadline - DateTime.UtcNow;
            try
            {
                return (await JobQueueClient.ConnectAsync(options, cancellationToken).ConfigureAwait(false), null);
            }
            catch (JobQueueException ex) when (ex.Kind == JobQueueErrorKind.NoServer)
            {
                if (!ManagerLock.IsHeld(Home))
                {
                    return (null, $"the manager at {info.Address} (pid {info.Pid}) has stopped");
                }

                if (DateTime.UtcNow + TimeSpan.FromSeconds(1) >= deadline)
                {
                    return (null, $"the manager at {info.Address} (pid {info.Pid}) is running but did not answer within {BusyManagerPatience.TotalSeconds:F0} s");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 240;
        }

        return console;
    }

    /// <summary>Runs <paramref name="action"/> with a client of this installation's manager; exit code 2 (said why) if none answers.</summary>
    public static async Task<int> WithManagerAsync(Func<JobQueueClient, Task<int>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        return client is null ? ExitCodes.NoManager : await action(client).ConfigureAwait(false);
    }

    /// <summary>The items of a comma-separated option value ("a, b,c"), trimmed, empty ones left out; null when the option was not given.</summary>
    public static string[]? CommaList(string? value) => value?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Writes one JSON object as a line on stdout.</summary>
    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));
}
