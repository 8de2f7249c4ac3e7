using System.Runtime.InteropServices;

namespace JobQueue.Client.Execution;

/// <summary>Kills a command's whole session: every command runs as the leader of a process group of its own.</summary>
public static partial class ProcessGroups
{
    private const int SigKill = 9;

    /// <summary>
    /// Kills the process group led by <paramref name="leaderPid"/>: safe at any time, since a group with that id exists
    /// only while the command leads it or a process of its session lives (the kernel does not reuse an id still naming
    /// a group). With <paramref name="includeLeader"/> the leader too, which only its parent may do, before reaping it.
    /// </summary>
    public static void Kill(int leaderPid, bool includeLeader)
    {
        if (leaderPid <= 1)
        {
            return;
        }

        _ = KillNative(-leaderPid, SigKill);
        if (includeLeader)
        {
            _ = KillNative(leaderPid, SigKill);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);
}
