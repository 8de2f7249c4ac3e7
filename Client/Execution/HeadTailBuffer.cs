using System.Globalization;
using System.Text;

namespace JobQueue.Client.Execution;

/// <summary>
/// Keeps the first and last few KiB of a stream of output and counts what lies between,
/// so a command that writes gigabytes costs a fixed amount of memory.
/// </summary>
public sealed class HeadTailBuffer
{
    private readonly int _keep;
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private int _headLength;
    private int _tailStart;
    private int _tailLength;

    /// <summary>Creates a buffer keeping <paramref name="keepBytes"/> at each end.</summary>
    public HeadTailBuffer(int keepBytes = JobQueueDefaults.OutputKeepBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keepBytes);
        _keep = keepBytes;
        _head = new byte[keepBytes];
        _tail = new byte[keepBytes];
    }

    /// <summary>How many bytes were appended in all.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Adds output.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        if (_headLength < _keep)
        {
            var take = Math.Min(_keep - _headLength, data.Length);
            data[..take].CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
            data = data[take..];
        }

        if (data.Length >= _keep)
        {
            data[^_keep..].CopyTo(_tail);
            _tailStart = 0;
            _tailLength = _keep;
            return;
        }

        foreach (var b in data)
        {
            var index = (_tailStart + _tailLength) % _keep;
            _tail[index] = b;
            if (_tailLength < _keep)
            {
                _tailLength++;
            }
            else
            {
                _tailStart = (_tailStart + 1) % _keep;
            }
        }
    }

    /// <summary>The kept bytes: everything if it fitted, else head, an omission marker, and tail.</summary>
    public byte[] ToArray()
    {
        var omitted = TotalBytes - _headLength - _tailLength;
        using var output = new MemoryStream();
        output.Write(_head, 0, _headLength);
        if (omitted > 0)
        {
            output.Write(Encoding.UTF8.GetBytes(OmissionMarker(omitted)));
        }

        for (var i = 0; i < _tailLength; i++)
        {
            output.WriteByte(_tail[(_tailStart + i) % _keep]);
        }

        return output.ToArray();
    }

    /// <summary>The text put where output was left out.</summary>
    public static string OmissionMarker(long omittedBytes) =>
        string.Create(CultureInfo.InvariantCulture, $"\n... omitting {omittedBytes} bytes ...\n");

    /// <summary>The most bytes <see cref="ToArray"/> can return for a given keep size (head, marker, tail).</summary>
    public static int MaxKeptBytes(int keepBytes = JobQueueDefaults.OutputKeepBytes) =>
        keepBytes == JobQueueDefaults.OutputKeepBytes ? JobQueueDefaults.MaxReportedOutputBytes : (2 * keepBytes) + 64;

    /// <summary>Keeps head and tail of an already complete output, leaving output already kept this way alone.</summary>
    public static byte[] Truncate(ReadOnlySpan<byte> data, int keepBytes = JobQueueDefaults.OutputKeepBytes)
    {
        if (data.Length <= MaxKeptBytes(keepBytes))
        {
            return data.ToArray();
        }

        var buffer = new HeadTailBuffer(keepBytes);
        buffer.Append(data);
        return buffer.ToArray();
    }
}
