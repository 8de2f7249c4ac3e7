namespace JobQueue;

/// <summary>A ready job's place in its queue: higher priority first, then lower sequence (older) first.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.ReadyEntry")]
public sealed record ReadyEntry(
    [property: Id(0)] string Key,
    [property: Id(1)] int Priority,
    [property: Id(2)] long Seq) : IComparable<ReadyEntry>
{
    /// <inheritdoc />
    public int CompareTo(ReadyEntry? other)
    {
        if (other is null)
        {
            return -1;
        }

        var byPriority = other.Priority.CompareTo(Priority);
        return byPriority != 0 ? byPriority : Seq.CompareTo(other.Seq);
    }

    /// <summary>True if <paramref name="a"/> comes before <paramref name="b"/>.</summary>
    public static bool operator <(ReadyEntry a, ReadyEntry b) => a is not null && a.CompareTo(b) < 0;

    /// <summary>True if <paramref name="a"/> comes after <paramref name="b"/>.</summary>
    public static bool operator >(ReadyEntry a, ReadyEntry b) => a is not null && a.CompareTo(b) > 0;

    /// <summary>True if <paramref name="a"/> does not come after <paramref name="b"/>.</summary>
    public static bool operator <=(ReadyEntry a, ReadyEntry b) => !(a > b);

    /// <summary>True if <paramref name="a"/> does not come before <paramref name="b"/>.</summary>
    public static bool operator >=(ReadyEntry a, ReadyEntry b) => !(a < b);
}
