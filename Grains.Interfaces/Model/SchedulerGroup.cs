using System.Globalization;

namespace JobQueue;

/// <summary>The name of the queue of jobs that share resource requirements: "&lt;ramMb&gt;:&lt;minutes&gt;:&lt;cores&gt;".</summary>
public static class SchedulerGroup
{
    /// <summary>The scheduler group of a job with these requirements.</summary>
    public static string For(int ramMb, TimeSpan time, int cores)
    {
        var minutes = (long)Math.Ceiling(time.TotalMinutes);
        return string.Create(CultureInfo.InvariantCulture, $"{ramMb}:{minutes}:{cores}");
    }

    /// <summary>Parses a scheduler group name back into its requirements.</summary>
    public static bool TryParse(string? group, out int ramMb, out TimeSpan time, out int cores)
    {
        ramMb = 0;
        time = TimeSpan.Zero;
        cores = 0;
        var parts = group?.Split(':');
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
