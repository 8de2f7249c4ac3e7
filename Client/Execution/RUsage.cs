using System.Runtime.InteropServices;

namespace JobQueue.Client.Execution;

/// <summary>The kernel's struct rusage (Linux, 64-bit): what getrusage and wait4 report.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RUsage
{
    public long UserSeconds;
    public long UserMicroseconds;
    public long SystemSeconds;
    public long SystemMicroseconds;
    public long MaxRss;
    public long Ixrss;
    public long Idrss;
    public long Isrss;
    public long Minflt;
    public long Majflt;
    public long Nswap;
    public long Inblock;
    public long Oublock;
    public long Msgsnd;
    public long Msgrcv;
    public long Nsignals;
    public long Nvcsw;
    public long Nivcsw;

    /// <summary>User plus system time.</summary>
    public readonly TimeSpan CpuTime =>
        TimeSpan.FromSeconds(UserSeconds + (UserMicroseconds / 1e6) + SystemSeconds + (SystemMicroseconds / 1e6));
}
