using System.Globalization;
using System.Text.RegularExpressions;

namespace JobQueue;

/// <summary>Parses the sizes and durations users type: "1G", "500M", "90m", "2h", "1h30m".</summary>
public static partial class Units
{
    /// <summary>Memory in MB from "500M", "1.5G", "2T" or a plain number of MB.</summary>
    public static int ParseMemoryMb(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = MemoryPattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"\"{text}\" is not a memory size like 500M or 2G");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var factor = match.Groups[2].Value.ToUpperInvariant() switch
        {
            "" or "M" or "MB" => 1.0,
            "K" or "KB" => 1.0 / 1024,
            "G" or "GB" => 1024.0,
            "T" or "TB" => 1024.0 * 1024,
            _ => throw new FormatException($"\"{text}\" has an unknown unit"),
        };
        var mb = Math.Ceiling(value * factor);
        return mb <= int.MaxValue ? (int)mb : throw new FormatException($"\"{text}\" is too large");
    }

    /// <summary>A duration from "90m", "2h", "1h30m", "45s", "1d".</summary>
    public static TimeSpan ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var matches = DurationPattern().Matches(trimmed);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != trimmed)
        {
            throw new FormatException($"\"{text}\" is not a duration like 90m, 2h or 1h30m");
        }

        var total = TimeSpan.Zero;
        foreach (Match match in matches)
        {
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            total += match.Groups[2].Value switch
            {
                "d" => TimeSpan.FromDays(value),
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                _ => throw new FormatException($"\"{text}\" has an unknown unit"),
            };
        }

        return total;
    }

    /// <summary>Memory for display: "1.5G" or "500M".</summary>
    public static string FormatMemory(int mb) =>
        mb >= 1024 && mb % 1024 == 0 ? $"{mb / 1024}G" : mb >= 1024 ? string.Create(CultureInfo.InvariantCulture, $"{mb / 1024.0:0.#}G") : $"{mb}M";

    /// <summary>A duration for display: "1h30m", "45s".</summary>
    public static string FormatDuration(TimeSpan time)
    {
        if (time < TimeSpan.FromMinutes(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.#}s");
        }

        var hours = (int)time.TotalHours;
        return hours > 0 ? (time.Minutes > 0 ? $"{hours}h{time.Minutes}m" : $"{hours}h") : $"{time.Minutes}m{(time.Seconds > 0 ? $"{time.Seconds}s" : "")}";
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$")]
    private static partial Regex MemoryPattern();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)([dhms])")]
    private static partial Regex DurationPattern();
}
