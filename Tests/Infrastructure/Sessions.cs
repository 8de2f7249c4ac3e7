using System.Globalization;

namespace JobQueue.Tests.Infrastructure;

/// <summary>Looks at processes by session, from /proc, ignoring zombies (dead processes that linger until reaped).</summary>
public static class Sessions
{
    /// <summary>The live processes whose session id is <paramref name="sid"/>.</summary>
    public static IReadOnlyList<int> LiveMembers(int sid)
    {
        var members = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // "pid (comm) state ppid pgrp session ..."; comm may hold spaces, so split after its closing parenthesis.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] is not ("Z" or "X") && int.Parse(fields[3], CultureInfo.InvariantCulture) == sid)
                {
                    members.Add(pid);
                }
            }
            catch (IOException)
            {
                // It ended while we looked.
            }
        }

        return members;
    }
}
