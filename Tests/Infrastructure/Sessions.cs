using System.Globalization;

namespace JobQueue.Tests.Infrastructure;

/// <summary>Looks at processes by session, from /proc, ignoring zombies (dead processes that linger until reaped).</summary>
public static class Sessions
{
    /// <summary>True if the process exists and is not a zombie (dead, waiting to be reaped).</summary>
    public static bool IsAlive(int pid) => pid > 0 && Stat(pid) is { } fields && fields[0] is not ("Z" or "X");

    /// <summary>The live processes whose session id is <paramref name="sid"/>.</summary>
    public static IReadOnlyList<int> LiveMembers(int sid)
    {
        var members = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } fields
                && fields[0] is not ("Z" or "X")
                && int.Parse(fields[3], CultureInfo.InvariantCulture) == sid)
            {
                members.Add(pid);
            }
        }

        return members;
    }

    // "pid (comm) state ppid pgrp session ...": the fields after comm, which may hold spaces or parentheses.
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            // It ended while we looked.
            return null;
        }
    }
}
