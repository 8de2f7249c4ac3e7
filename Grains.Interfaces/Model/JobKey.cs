using System.Security.Cryptography;
using System.Text;

namespace JobQueue;

/// <summary>Computes the stable identity of a job from its working directory and command.</summary>
public static class JobKey
{
    /// <summary>The hex key (32 characters) of the job that runs <paramref name="cmd"/> in <paramref name="cwd"/>.</summary>
    public static string For(string cwd, string cmd)
    {
        ArgumentNullException.ThrowIfNull(cwd);
        ArgumentNullException.ThrowIfNull(cmd);
        var bytes = Encoding.UTF8.GetBytes(cwd + "\0" + cmd);
        var hash = SHA256.HashData(bytes);
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>True if <paramref name="key"/> has the shape of a job key.</summary>
    public static bool IsWellFormed(string? key) =>
        key is { Length: 32 } && key.All(char.IsAsciiHexDigitLower);
}
