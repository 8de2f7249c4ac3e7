namespace JobQueue;

/// <summary>A line of a job file that cannot be added; nothing from the file is added.</summary>
public sealed class JobFileException(int line, string problem) : Exception($"line {line}: {problem}")
{
    /// <summary>The 1-based line number.</summary>
    public int Line { get; } = line;
}
