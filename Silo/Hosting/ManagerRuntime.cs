using System.Runtime.InteropServices;
using System.Text;

namespace JobQueue.Silo.Hosting;

/// <summary>
/// Gives a process that hosts a manager a small young-generation budget. On this kind of machine the runtime lets gen0
/// grow to tens of MB between collections, and a manager allocates steadily (messages, rows), so its memory grew with
/// its work rather than with what it holds: 319 MB against 257 with a 16 MB budget, with 100,000 jobs queued. The
/// runtime reads the budget only from the environment (DOTNET_GCgen0size; runtimeconfig.json has no name for it), so a
/// process that starts without it sets it and replaces itself (execve: the same pid, arguments and open files) before it
/// does anything else. The variable is then taken out of the environment again, so runners and commands started from
/// this process do not inherit it. A DOTNET_GCgen0size the user set is left alone ("0" is the runtime's default).
/// </summary>
public static partial class ManagerGc
{
    /// <summary>The budget given: 16 MB.</summary>
    public const string Gen0Budget = "0x1000000";

    private const string Variable = "DOTNET_GCgen0size";
    private const string Marker = "JOBQUEUE_GC_RESTARTED";

    /// <summary>
    /// Call first thing in Main of a process about to host a manager. Returns if the budget is in place (or the user
    /// chose one, or the process cannot replace itself); otherwise the process starts over with it and this never returns.
    /// </summary>
    public static void RestartWithBudget()
    {
        if (Environment.GetEnvironmentVariable(Marker) is not null)
        {
            Environment.SetEnvironmentVariable(Marker, null);
            Environment.SetEnvironmentVariable(Variable, null);
            return;
        }

        if (!OperatingSystem.IsLinux() || UserChose())
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
            .Where(k => k != Variable && k != Marker)
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}")
            .Concat([$"{Variable}={Gen0Budget}", $"{Marker}=1"])
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

    private static bool UserChose() =>
        Environment.GetEnvironmentVariable(Variable) is not null || Environment.GetEnvironmentVariable("COMPlus_GCgen0size") is not null;

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
