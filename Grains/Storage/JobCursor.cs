using System.Globalization;
using System.Text;

namespace JobQueue.Grains.Storage;

/// <summary>
/// Where a listing stopped: the last row's place in index order (state, exit code, fail reason, then the row's seq,
/// or its history id for complete runs). Listings resume after it with a keyset seek, never an offset.
/// </summary>
public sealed record JobCursor(JobState State, int ExitCode, string FailReason, long Position)
{
    /// <summary>The cursor as an opaque, URL-safe string.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(int)State}.{ExitCode}.{Position}.")
        + Convert.ToBase64String(Encoding.UTF8.GetBytes(FailReason)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Reads a cursor made by <see cref="ToString"/>.</summary>
    /// <exception cref="FormatException">It is not one.</exception>
    public static JobCursor Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('.');
        if (parts.Length != 4
            || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var state)
            || !Enum.IsDefined((JobState)state)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var exitCode)
            || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var position))
        {
            throw new FormatException($"\"{text}\" is not a cursor this server handed out");
        }

        var base64 = parts[3].Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        try
        {
            return new JobCursor((JobState)state, exitCode, Encoding.UTF8.GetString(Convert.FromBase64String(base64)), position);
        }
        catch (FormatException)
        {
            throw new FormatException($"\"{text}\" is not a cursor this server handed out");
        }
    }
}
