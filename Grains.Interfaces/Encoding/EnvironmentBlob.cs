using System.Collections;
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
        var key = Convert.ToHexStringLower(SHA256.HashData(raw).AsSpan(0, 16));
        return new EnvironmentBlob(key, Compression.Compress(raw));
    }

    /// <summary>Decodes a compressed environment into its entries.</summary>
    public static IReadOnlyList<string> Decode(byte[] compressed)
    {
        var raw = Encoding.UTF8.GetString(Compression.Decompress(compressed));
        return raw.Length == 0 ? [] : raw.Split('\0');
    }

    /// <summary>Decodes a compressed environment; false if it is corrupt.</summary>
    public static bool TryDecode(byte[] compressed, out IReadOnlyList<string> entries)
    {
        try
        {
            entries = Decode(compressed);
            return true;
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or IOException or ArgumentException)
        {
            entries = [];
            return false;
        }
    }

    /// <summary>The environment of the current process as "KEY=value" entries.</summary>
    public static IReadOnlyList<string> Current()
    {
        var result = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result.Add($"{entry.Key}={entry.Value}");
        }

        return result;
    }
}
