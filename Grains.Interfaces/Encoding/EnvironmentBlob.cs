using System.Security.Cryptography;
using System.Text;

namespace JobQueue;

/// <summary>An environment ("KEY=value" entries) encoded once and keyed by its content, so jobs share it.</summary>
public sealed class EnvironmentBlob
{
    private EnvironmentBlob(string key, byte[] compressed)
    {
        Key = key;
        Compressed = compressed;
    }

    /// <summary>The hex hash of the normalised entries.</summary>
    public string Key { get; }

    /// <summary>The compressed entries.</summary>
    public byte[] Compressed { get; }

    /// <summary>Normalises (last value of a key wins, sorted by key) and encodes an environment.</summary>
    public static EnvironmentBlob Encode(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var byName = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                byName[entry[..eq]] = entry;
            }
        }

        var raw = Encoding.UTF8.GetBytes(string.Join('\0', byName.Values));
        return new EnvironmentBlob(KeyOf(raw), Compression.Compress(raw));
    }

    /// <summary>Decodes a compressed environment stored under <paramref name="key"/>; false if it is corrupt (its content no longer hashes to its key).</summary>
    public static bool TryDecode(string key, byte[] compressed, out IReadOnlyList<string> entries)
    {
        entries = [];
        byte[] raw;
        try
        {
            raw = Compression.Decompress(compressed);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or IOException or ArgumentException)
        {
            return false;
        }

        if (!string.Equals(KeyOf(raw), key, StringComparison.Ordinal))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(raw);
        entries = text.Length == 0 ? [] : text.Split('\0');
        return true;
    }

    private static string KeyOf(byte[] raw) => Convert.ToHexStringLower(SHA256.HashData(raw).AsSpan(0, 16));
}
