namespace JobQueue.Grains.Queue;

/// <summary>
/// The best few ready jobs of a queue, in order. Bounded: entries that do not fit stay only in the store,
/// and <see cref="StoreHasMore"/> says that the store must be consulted once the buffer runs dry.
/// </summary>
public sealed class ReadyBuffer(int capacity)
{
    private readonly SortedSet<ReadyEntry> _entries = new(Comparer<ReadyEntry>.Create((a, b) =>
    {
        var order = a.CompareTo(b);
        return order != 0 ? order : string.CompareOrdinal(a.Key, b.Key);
    }));

    private readonly Dictionary<string, ReadyEntry> _byKey = new(StringComparer.Ordinal);

    /// <summary>How many entries are buffered.</summary>
    public int Count => _entries.Count;

    /// <summary>True when ready jobs may exist in the store that are not buffered.</summary>
    public bool StoreHasMore { get; set; } = true;

    /// <summary>The best entry, or null.</summary>
    public ReadyEntry? First => _entries.Count == 0 ? null : _entries.Min;

    /// <summary>
    /// Takes jobs announced as ready. While the store may hold ready jobs that are not buffered, every one of them ranks
    /// below the last buffered entry; an announced job that also ranks below it must not jump ahead of them, so it is
    /// left to the store (the next refill brings it in order). Returns how many were left to the store.
    /// </summary>
    public int Announce(IEnumerable<ReadyEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var left = 0;
        var fitting = new List<ReadyEntry>();
        foreach (var entry in entries)
        {
            if (StoreHasMore && (_entries.Count == 0 || _entries.Comparer.Compare(entry, _entries.Max!) > 0))
            {
                left++;
            }
            else
            {
                fitting.Add(entry);
            }
        }

        Add(fitting);
        return left;
    }

    /// <summary>Adds (or repositions) entries read from the store in order; drops the worst beyond capacity.</summary>
    public void Add(IEnumerable<ReadyEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (_byKey.Remove(entry.Key, out var old))
            {
                _entries.Remove(old);
            }

            _entries.Add(entry);
            _byKey[entry.Key] = entry;
        }

        while (_entries.Count > capacity)
        {
            var worst = _entries.Max!;
            _entries.Remove(worst);
            _byKey.Remove(worst.Key);
            StoreHasMore = true;
        }
    }

    /// <summary>Takes the best entry out of the buffer.</summary>
    public ReadyEntry? TakeFirst()
    {
        var first = First;
        if (first is not null)
        {
            _entries.Remove(first);
            _byKey.Remove(first.Key);
        }

        return first;
    }
}
