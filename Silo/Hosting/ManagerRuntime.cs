using System.Runtime.InteropServices;
using System.Text;

namespace JobQueue.Silo.Hosting;

/// <summary>
/// Runtime settings for a process that hosts a manager. The runtime reads them when it starts, and only from the
/// environment (the first has no name in runtimeconfig.json; the others differ by command of one program), so a
/// process that starts without them sets them and replaces itself (execve: the same pid, arguments and open files)
/// before it does anything else. They are then taken out of the environment again, so runners and commands
/// started from this process do not inherit them. A setting the user made is left alone.
/// <list type="bullet">
/// <item>A small young-generation budget (DOTNET_GCgen0size; runtimeconfig.json has no name for it). On this kind of
/// machine the runtime lets gen0 grow to tens of MB between collections, and a manager allocates steadily (messages,
/// rows), so its memory grew with its work rather than with what it holds: 319 MB against 257 with a 16 MB budget,
/// with 100,000 jobs queued.</item>
/// <item>The server garbage collector (DOTNET_gcServer). A bulk retry of 100,000 jobs keeps every job's new row and
/// a thousand calls in flight alive across collections; the workstation collector stopped the process for a quarter
/// of such a retry's time, the server one (collecting on every core, with larger young generations) for a tenth, and
/// the retry took 25-35% less time. Cycles, <c>jobqueue run</c> and a manager's memory differed by no more than the
/// noise (ARCHITECTURE.md, "A manager's memory"). Runners and the command line's other commands keep the workstation
/// collector.</item>
/// <item>For a manager that lives as long as one <c>jobqueue run</c>: no dynamic profile-guided optimisation
/// (DOTNET_TieredPGO=0). With it, the runtime compiles each busy method twice more (instrumented, then optimised with
/// the profile); in a run of seconds that compiling took a third of the process's CPU and never paid for itself
/// (2,000 <c>true</c> commands: 10.8-11.5 s against 12.4-12.7 in the same hour). A long-lived manager keeps it: there
/// it pays (5-10% more cycles a second).</item>
/// </list>
/// </summary>
public static partial class ManagerRuntime
{
    /// <summary>The young-generation budget given: 16 MB.</summary>
    public const string Gen0Budget = "0x1000000";

    /// <summary>The variable that carries the budget.</summary>
    public const string Gen0Variable = "DOTNET_GCgen0size";

    /// <summary>The variable that chooses the server garbage collector.</summary>
    public const string ServerGcVariable = "DOTNET_gcServer";

    /// <summary>The variable that turns dynamic PGO off for a short-lived manager.</summary>
    public const string PgoVariable = "DOTNET_TieredPGO";

    // Names the variables the restart set, so that the replaced process takes exactly those out again.
    private const string Marker = "JOBQUEUE_RUNTIME_SET";

    /// <summary>
    /// Call first thing in Main of a process about to host a manager (<paramref name="shortLived"/>: one that lives as
    /// long as a <c>jobqueue run</c>). Returns if the settings are in place (or the user chose them, or the process
    /// cannot replace itself); otherwise the process starts over with them and this never returns.
    /// </summary>
    public static void RestartWithSettings(bool shortLived)
    {
        if (Environment.GetEnvironmentVariable(Marker) is { } set)
        {
            Environment.SetEnvironmentVariable(Marker, null);
            foreach (var name in set.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                Environment.SetEnvironmentVariable(name, null);
            }

            return;
        }

        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var settings = new List<(string Name, string Value)>();
        if (!UserChose(Gen0Variable))
        {
            settings.Add((Gen0Variable, Gen0Budget));
        }

        if (!UserChose(ServerGcVariable))
        {
            settings.Add((ServerGcVariable, "1"));
        }

        if (shortLived && !UserChose(PgoVariable))
        {
            settings.Add((PgoVariable, "0"));
        }

        if (settings.Count == 0)
        {
            return;
        }

        string[] argv;
        try
        {
            argv = File.ReadAllText("/proc/self/cmdline", Encoding.UTF8).TrimEnd('\0').Split('\0');
        }
        catch (IOException)
        {
            return;
        }

        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k != Marker && !settings.Exists(s => s.Name == k))
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}")
            .Concat(settings.Select(s => $"{s.Name}={s.Value}"))
            .Append($"{Marker}={string.Join(',', settings.Select(s => s.Name))}")
            .ToList();
        RemoveDiagnosticsSocket();
        Exec("/proc/self/exe", argv, environment);
    }

    /// <summary>
    /// The runtime's diagnostics socket (dotnet-counters, -trace, -dump connect to it) is named by pid and start time,
    /// which the replaced process keeps; left in place, the new runtime cannot listen there and the tools are refused.
    /// </summary>
    private static void RemoveDiagnosticsSocket()
    {
        var directory = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } tmp ? tmp : "/tmp";
        try
        {
            foreach (var socket in Directory.EnumerateFiles(directory, $"dotnet-diagnostic-{Environment.ProcessId}-*-socket"))
            {
                File.Delete(socket);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Without it the tools cannot attach; the manager runs as well.
        }
    }

    // The runtime also reads its settings with the older COMPlus_ prefix.
    private static bool UserChose(string variable) =>
        Environment.GetEnvironmentVariable(variable) is not null || Environment.GetEnvironmentVariable("COMPlus_" + variable["DOTNET_".Length..]) is not null;

    private static void Exec(string path, IReadOnlyList<string> arguments, IReadOnlyList<string> environment)
    {
        Console.Out.Flush();
        Console.Error.Flush();

        // Both lists end with a null pointer, as execve wants them.
        _ = Execve(path, [.. arguments, null], [.. environment, null]); // returns only on failure: go on with the runtime's budget
    }

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execve(string path, string?[] argv, string?[] envp);
}
