using System.Globalization;

namespace JobQueue;

/// <summary>
/// Limit groups: a job in group "irods" starts only while fewer jobs of that group are running than its limit.
/// A job names its groups as "irods", or "irods:10" to set the limit while adding.
/// </summary>
public static class LimitGroups
{
    /// <summary>The longest name of a limit group.</summary>
    public const int MaxNameLength = 100;

    /// <summary>The highest limit that can be set.</summary>
    public const int MaxLimit = 1_000_000;

    /// <summary>The name and, when given as "name:N", the limit of one entry; a problem describes an entry that is not valid.</summary>
    public static (string Name, int? Limit, string? Problem) Parse(string? entry)
    {
        if (string.IsNullOrEmpty(entry))
        {
            return ("", null, "is empty");
        }

        var colon = entry.LastIndexOf(':');
        var name = colon < 0 ? entry : entry[..colon];
        if (NameProblem(name) is { } problem)
        {
            return (name, null, problem);
        }

        if (colon < 0)
        {
            return (name, null, null);
        }

        return int.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit <= MaxLimit
            ? (name, limit, null)
            : (name, null, $"\"{entry}\": the limit after ':' must be a whole number from 0 to {MaxLimit}");
    }

    /// <summary>Why <paramref name="name"/> cannot name a limit group, or null if it can.</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "has an empty group name";
        }

        if (name.Length > MaxNameLength)
        {
            return $"\"{name[..20]}...\" is longer than {MaxNameLength} characters";
        }

        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
            ? null
            : $"\"{name}\" may hold only letters, digits, '_', '-' and '.'";
    }

    /// <summary>The names of <paramref name="entries"/>, without their limits (entries must be valid).</summary>
    public static IReadOnlyList<string> Names(IEnumerable<string>? entries) =>
        entries is null ? [] : [.. entries.Select(e => Parse(e).Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
