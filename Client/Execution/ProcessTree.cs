using System.Globalization;
using System.Runtime.InteropServices;

namespace JobQueue.Client.Execution;

/// <summary>Reads a process tree's memory and CPU from /proc (Linux).</summary>
public static partial class ProcessTree
{
    private static readonly double TicksPerSecond = 100.0;

    /// <summary>The process and all its live descendants.</summary>
    public static IReadOnlyList<int> Of(int rootPid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var stat = ReadStat(pid);
            if (stat is not null)
            {
                if (!children.TryGetValue(stat.Value.ParentPid, out var list))
                {
                    children[stat.Value.ParentPid] = list = [];
                }

                list.Add(pid);
            }
        }

        var result = new List<int>();
        var pending = new Queue<int>([rootPid]);
        while (pending.TryDequeue(out var pid))
        {
            result.Add(pid);
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                pending.Enqueue(child);
            }
        }

        return result;
    }

    /// <summary>The proportional set size of the processes, in MB (shared pages split among their users).</summary>
    public static long PssMb(IEnumerable<int> pids)
    {
        ArgumentNullException.ThrowIfNull(pids);
        long kb = 0;
        foreach (var pid in pids)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
                {
                    if (line.StartsWith("Pss:", StringComparison.Ordinal))
                    {
                        kb += long.Parse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended between listing and reading.
            }
        }

        return (kb + 1023) / 1024;
    }

    /// <summary>User + system CPU of the processes, counting what the root already reaped from its children.</summary>
    public static TimeSpan CpuTime(int rootPid, IEnumerable<int> pids)
    {
        ArgumentNullException.ThrowIfNull(pids);
        double ticks = 0;
        foreach (var pid in pids)
        {
            if (ReadStat(pid) is { } stat)
            {
                ticks += stat.UserTicks + stat.SystemTicks + (pid == rootPid ? stat.ChildUserTicks + stat.ChildSystemTicks : 0);
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>CPU time of every child this process has waited for (getrusage RUSAGE_CHILDREN).</summary>
    public static TimeSpan ReapedChildrenCpuTime()
    {
        return GetRUsage(-1, out var usage) == 0 ? usage.CpuTime : TimeSpan.Zero;
    }

    private static (int ParentPid, long UserTicks, long SystemTicks, long ChildUserTicks, long ChildSystemTicks)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) may hold spaces and parentheses; fields resume after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = text[(close + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return fields.Length < 15 ? null : ((int)Field(4), Field(14), Field(15), Field(16), Field(17));
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRUsage(int who, out RUsage usage);
}
