using System.Runtime.InteropServices;

namespace JobQueue.Silo.Scheduling;

/// <summary>Sends POSIX signals.</summary>
public static partial class Signals
{
    private const int SigTerm = 15;

    /// <summary>Asks a process to stop (SIGTERM); false if it no longer exists.</summary>
    public static bool Terminate(int pid) => Send(pid, SigTerm);

    /// <summary>Sends <paramref name="signal"/> to a process; false if it no longer exists.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
