using System.CommandLine;
using System.Diagnostics;
using JobQueue.Home;
using JobQueue.Silo.Hosting;

namespace JobQueue.Cli;

/// <summary>jobqueue manager start|status|drain|pause|resume|stop|backup|cert.</summary>
public static class ManagerCommands
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The "manager" command and its subcommands.</summary>
    public static Command Create()
    {
        var manager = new Command("manager", "Start, inspect, drain or stop this installation's manager");
        manager.Subcommands.Add(Start());
        manager.Subcommands.Add(Status());
        manager.Subcommands.Add(Drain());
        manager.Subcommands.Add(ModeChange("pause", "Hand out no more jobs until resumed (running jobs go on; the pause outlives a restart)", (c, ct) => c.PauseServerAsync(ct)));
        manager.Subcommands.Add(ModeChange("resume", "Hand out jobs again after a pause", (c, ct) => c.ResumeServerAsync(ct)));
        manager.Subcommands.Add(Stop());
        manager.Subcommands.Add(Backup());
        manager.Subcommands.Add(CertCommands.Create());
        return manager;
    }

    /// <summary>Waits until <paramref name="done"/> holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> PollAsync(Func<bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!done())
        {
            if (deadline.Elapsed > timeout || !await poll.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                return done();
            }
        }

        return true;
    }

    private static Command Start()
    {
        var foreground = new Option<bool>("--foreground") { Description = "Run in this terminal instead of as a background daemon" };
        var deployment = new Option<string>("--deployment") { Description = "production keeps the database; development starts empty", DefaultValueFactory = _ => "production" };
        var scheduler = new Option<string>("--scheduler") { Description = "local: start runners on this machine; slurm: submit runners to Slurm; none: start runners yourself", DefaultValueFactory = _ => "local" };
        var maxCores = new Option<int>("--max-cores") { Description = "Cores runners may use (default: all)" };
        var maxRam = new Option<string?>("--max-ram") { Description = "Memory runners may use, e.g. 16G (default: all of this machine's)" };
        var port = new Option<int>("--port") { Description = "Port clients connect to (default: a free one)" };
        var webPort = new Option<int>("--web-port") { Description = "Port of the web interface (default: a free one; -1: none)" };
        var command = new Command("start", "Start the manager (as a daemon unless --foreground) and wait until it answers; any setting may follow as --Section:Key value")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        foreach (var option in new Option[] { foreground, deployment, scheduler, maxCores, maxRam, port, webPort })
        {
            command.Options.Add(option);
        }

        Cli.SetAction(command, async (parse, cancellationToken) =>
        {
            // Only options the user gave override the configuration ($JOBQUEUE_HOME/appsettings.json, JOBQUEUE__ variables).
            var given = new List<(string Option, string Key, string Value)>();
            void Given<T>(Option<T> option, string key, Func<T, string> value)
            {
                if (parse.GetResult(option) is { Implicit: false })
                {
                    given.Add((option.Name, key, value(parse.GetValue(option)!)));
                }
            }

            foreach (var (key, value) in Settings(parse.UnmatchedTokens))
            {
                given.Add(($"--{key}", key, value));
            }

            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            Given(deployment, "Manager:Deployment", v => v);
            Given(scheduler, "Manager:Scheduler", v => v);
            Given(maxCores, "Manager:MaxCores", v => v.ToString(invariant));
            Given(maxRam, "Manager:MaxRamMb", v => v is null ? "0" : Units.ParseMemoryMb(v).ToString(invariant));
            Given(port, "Manager:Port", v => v.ToString(invariant));
            Given(webPort, "Manager:WebPort", v => v.ToString(invariant));
            return parse.GetValue(foreground)
                ? await ForegroundAsync(given.GroupBy(g => g.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => (string?)g.Last().Value), cancellationToken).ConfigureAwait(false)
                : await DaemonAsync([.. given.SelectMany(g => new[] { g.Option, g.Value })], cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ForegroundAsync(Dictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        using var signals = new StopSignals();
        RunningManager manager;
        try
        {
            manager = await JobQueueManager.StartAsync(ManagerConfiguration.Load([], overrides), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ManagerStartException ex)
        {
            return Cli.Error($"cannot start the manager: {ex.Message}");
        }

        await using (manager)
        {
            Console.Error.WriteLine(Describe(manager.Info, Cli.Home));
            await Task.WhenAny(manager.WaitForShutdownAsync(CancellationToken.None), Task.Delay(Timeout.Infinite, signals.Token)).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Settings given as "--Section:Key value" or "--Section:Key=value" (the same as jobqueue-manager takes).</summary>
    private static List<(string Key, string Value)> Settings(IReadOnlyList<string> tokens)
    {
        var settings = new List<(string, string)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || !token.Contains(':', StringComparison.Ordinal))
            {
                throw new FormatException($"unknown option or argument \"{token}\"; settings look like --Section:Key value (see README, Configuration)");
            }

            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                settings.Add((token[2..eq], token[(eq + 1)..]));
            }
            else if (i + 1 < tokens.Count)
            {
                settings.Add((token[2..], tokens[++i]));
            }
            else
            {
                throw new FormatException($"the setting {token} needs a value");
            }
        }

        return settings;
    }

    private static async Task<int> DaemonAsync(List<string> options, CancellationToken cancellationToken)
    {
        var home = Cli.Home;
        if (ManagerLock.IsHeld(home))
        {
            // A live process holds the home: it is a manager that answers, one still starting, or one that is stuck.
            await PollAsync(() => ManagerInfo.Read(home) is not null || !ManagerLock.IsHeld(home), StartTimeout, cancellationToken).ConfigureAwait(false);
            if (ManagerInfo.Read(home) is { } live)
            {
                await using var client = await Cli.ConnectAsync(cancellationToken).ConfigureAwait(false);
                if (client is null)
                {
                    return ExitCodes.NoManager;
                }

                Console.Out.WriteLine($"a manager is already running: {Describe(live, home)}");
                return ExitCodes.Ok;
            }
        }

        if (ManagerInfo.ReadFile(home) is { } dead)
        {
            Console.Out.WriteLine($"a previous manager (pid {dead.Pid}) had died without stopping; starting a new one");
        }

        var logs = Path.Combine(home, "logs");
        PrivateFiles.EnsureDirectory(home);
        PrivateFiles.EnsureDirectory(logs);
        var output = Path.Combine(logs, "manager.out");
        await PrivateFiles.Open(output, FileShare.ReadWrite).DisposeAsync().ConfigureAwait(false);
        var (program, prefix) = SelfCommand();

        // setsid puts the daemon in its own session (it survives the terminal); the shell points its output at a file.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec setsid \"$0\" \"$@\" >>\"$JOBQUEUE_DAEMON_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add(program);
        foreach (var arg in prefix.Concat(["manager", "start", "--foreground"]).Concat(options))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["JOBQUEUE_DAEMON_LOG"] = output;
        start.Environment["JOBQUEUE_HOME"] = home;
        start.Environment["JOBQUEUE__Manager__LogToConsole"] = "false";
        using var daemon = Process.Start(start)!;
        var pid = daemon.Id;
        await PollAsync(() => daemon.HasExited || ManagerInfo.Read(home)?.Pid == pid, StartTimeout, cancellationToken).ConfigureAwait(false);
        if (ManagerInfo.Read(home) is { } info && info.Pid == pid)
        {
            // Started is not enough: exit 0 only for a manager that answers.
            await using var client = await Cli.ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (client is null)
            {
                return ExitCodes.NoManager;
            }

            Console.Out.WriteLine($"manager started: {Describe(info, home)}");
            return ExitCodes.Ok;
        }

        var tail = File.Exists(output) ? File.ReadLines(output).TakeLast(5) : [];
        return Cli.Error($"the manager did not start (see {output}):{Environment.NewLine}{string.Join(Environment.NewLine, tail)}");
    }

    private static Command Status()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("status", "Show the manager's address, mode and job counts") { json };
        Cli.SetAction(command, async (parse, cancellationToken) =>
        {
            return await Cli.WithManagerAsync(
                async client =>
                {
                    var stats = await client.GetServerStatsAsync(cancellationToken).ConfigureAwait(false);
                    if (parse.GetValue(json))
                    {
                        Cli.WriteJson(stats);
                    }
                    else
                    {
                        var info = stats.ServerInfo;
                        Console.Out.WriteLine($"manager {info.Addr} (pid {info.Pid}), {info.Deployment}, {info.Mode}, scheduler {info.Scheduler}, storage {info.Storage}, up since {info.StartedAt:u}");
                        Console.Out.WriteLine($"jobs: {stats.Delayed} delayed, {stats.Ready} ready, {stats.Running} running, {stats.Buried} buried, {stats.Complete} complete; {stats.Runners} runners; running jobs done in about {Units.FormatDuration(stats.Etc)}");
                        if (ManagerInfo.Read(Cli.Home) is { } local && WebAddress(local, Cli.Home) is { } url)
                        {
                            Console.Out.WriteLine($"web interface: {url}");
                        }
                    }

                    return ExitCodes.Ok;
                },
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Drain()
    {
        var command = new Command("drain", "Hand out no more jobs; the manager exits once running jobs have finished");
        Cli.SetAction(command, async (_, cancellationToken) =>
        {
            return await Cli.WithManagerAsync(
                async client =>
                {
                    var drain = await client.DrainServerAsync(cancellationToken).ConfigureAwait(false);
                    Console.Out.WriteLine($"draining: {drain.Running} jobs still running, done in about {Units.FormatDuration(drain.Etc)}");
                    return ExitCodes.Ok;
                },
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ModeChange(string name, string description, Func<JobQueueClient, CancellationToken, Task<string>> change)
    {
        var command = new Command(name, description);
        Cli.SetAction(command, async (_, cancellationToken) =>
        {
            return await Cli.WithManagerAsync(
                async client =>
                {
                    var mode = await change(client, cancellationToken).ConfigureAwait(false);
                    if (mode == ModeNames.Draining)
                    {
                        return Cli.Error("the manager is draining: a drain is neither paused nor resumed");
                    }

                    Console.Out.WriteLine($"manager {mode}");
                    return ExitCodes.Ok;
                },
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Stop()
    {
        var command = new Command("stop", "Stop the manager; jobs of its runners are released and run again later");
        Cli.SetAction(command, async (_, cancellationToken) =>
        {
            var info = ManagerInfo.Read(Cli.Home);
            await using var client = await Cli.ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (client is null || info is null)
            {
                return ExitCodes.NoManager;
            }

            await client.ShutdownServerAsync(cancellationToken).ConfigureAwait(false);
            var stopped = await PollAsync(() => !ManagerLock.IsHeld(Cli.Home), StartTimeout, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine(stopped ? $"manager stopped (pid {info.Pid})" : $"asked the manager (pid {info.Pid}) to stop; it is still shutting down");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Backup()
    {
        var command = new Command("backup", "Back the SQLite database up now (PostgreSQL: use pg_dump)");
        Cli.SetAction(command, async (_, cancellationToken) =>
        {
            return await Cli.WithManagerAsync(
                async client =>
                {
                    var path = await client.BackupServerAsync(cancellationToken).ConfigureAwait(false);
                    if (path is null)
                    {
                        return Cli.Error("this manager keeps no SQLite backup (PostgreSQL: use pg_dump, see README)");
                    }

                    Console.Out.WriteLine($"backed up to {path}");
                    return ExitCodes.Ok;
                },
                cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static (string Program, string[] Prefix) SelfCommand()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [typeof(ManagerCommands).Assembly.Location])
            : (process, []);
    }

    private static string Describe(ManagerInfo info, string home) =>
        $"listening on {info.Address} (pid {info.Pid}, {info.Deployment}, scheduler {info.Scheduler}, storage {info.Storage}; home {home})"
        + (WebAddress(info, home) is { } url ? $"\nweb interface: {url}" : "");

    /// <summary>The web interface's URL with its token, or null when it is off or the token is not readable.</summary>
    internal static string? WebAddress(ManagerInfo info, string home) =>
        info.WebUrl is { } url && Silo.Web.WebToken.Read(home) is { } token ? $"{url}?token={token}" : null;
}
