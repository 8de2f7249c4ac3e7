using System.Text;

namespace JobQueue.Cli;

/// <summary>
/// Reads lines of UTF-8 text and refuses bytes that are not UTF-8, naming the line: a command silently "repaired"
/// with U+FFFD would be a different command from the one in the file.
/// </summary>
public sealed class StrictUtf8LineReader(Stream stream) : TextReader
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly BufferedStream _input = new(stream, 64 * 1024);
    private readonly MemoryStream _line = new();
    private int _number;

    /// <inheritdoc />
    public override string? ReadLine()
    {
        _line.SetLength(0);
        int next;
        while ((next = _input.ReadByte()) >= 0 && next != '\n')
        {
            _line.WriteByte((byte)next);
        }

        if (next < 0 && _line.Length == 0)
        {
            return null;
        }

        _number++;
        var bytes = _line.GetBuffer().AsSpan(0, (int)_line.Length);
        if (_number == 1 && bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new JobFileException(_number, "it is not valid UTF-8 text (was the file written in another encoding?)");
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            _line.Dispose();
        }

        base.Dispose(disposing);
    }
}
