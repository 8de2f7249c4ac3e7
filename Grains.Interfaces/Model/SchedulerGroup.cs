using System.Globalization;

namespace JobQueue;

/// <summary>
/// The name of the queue of jobs that share resource requirements and limit groups:
/// "&lt;ramMb&gt;:&lt;minutes&gt;:&lt;cores&gt;", followed by "~&lt;group&gt;,&lt;group&gt;" when the jobs are in limit groups.
/// Jobs of one queue are held back by the same limits, so a queue whose head waits for a slot has nothing else to give.
/// </summary>
public static class SchedulerGroup
{
    /// <summary>What separates the requirements from the limit groups in a scheduler group name.</summary>
    public const char LimitSeparator = '~';

    /// <summary>The scheduler group of a job with these requirements and limit groups (names without their limits).</summary>
    public static string For(int ramMb, TimeSpan time, int cores, IReadOnlyCollection<string>? limitGroups = null)
    {
        var minutes = (long)Math.Ceiling(time.TotalMinutes);
        var requirements = string.Create(CultureInfo.InvariantCulture, $"{ramMb}:{minutes}:{cores}");
        return limitGroups is { Count: > 0 } ? requirements + LimitSuffix(limitGroups) : requirements;
    }

    /// <summary>"~a,b" for limit groups a and b (sorted, without repeats), or "" for none.</summary>
    public static string LimitSuffix(IEnumerable<string> limitGroups)
    {
        var names = limitGroups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "" : LimitSeparator + string.Join(',', names);
    }

    /// <summary>The limit groups of a scheduler group name, sorted; empty when it has none.</summary>
    public static IReadOnlyList<string> LimitGroupsOf(string? group)
    {
        var at = group?.IndexOf(LimitSeparator, StringComparison.Ordinal) ?? -1;
        return at < 0 ? [] : group![(at + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Parses a scheduler group name back into its requirements (its limit groups, if any, are passed over).</summary>
    public static bool TryParse(string? group, out int ramMb, out TimeSpan time, out int cores)
    {
        ramMb = 0;
        time = TimeSpan.Zero;
        cores = 0;
        var at = group?.IndexOf(LimitSeparator, StringComparison.Ordinal) ?? -1;
        var parts = (at < 0 ? group : group![..at])?.Split(':');
        if (parts is not { Length: 3 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ramMb)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out cores))
        {
            return false;
        }

        time = TimeSpan.FromMinutes(minutes);
        return true;
    }
}
