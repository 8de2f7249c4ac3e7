using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Jobs;

/// <summary>
/// Rows a bulk step has just read, offered to the job grains it calls in this process: a grain that holds no row
/// takes its own from here instead of reading it again, which a retry of 100,000 jobs buried in an earlier run (none
/// of them in memory) would otherwise do 100,000 times. An offered row can be stale, as a row in memory can be: the
/// change made from it is fenced on the row's version, and the grain then reads the stored row and tries once more.
/// </summary>
public sealed class OfferedRows
{
    private readonly ConcurrentDictionary<string, JobRecord> _rows = new(StringComparer.Ordinal);

    /// <summary>Offers <paramref name="rows"/> until <see cref="Withdraw"/>.</summary>
    public void Offer(IEnumerable<JobRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            _rows[row.Key] = row;
        }
    }

    /// <summary>Takes the row offered for job <paramref name="key"/>, if any.</summary>
    public bool TryTake(string key, [NotNullWhen(true)] out JobRecord? row) => _rows.TryRemove(key, out row);

    /// <summary>Withdraws what is left of <paramref name="rows"/> (a row another step offered since stays).</summary>
    public void Withdraw(IEnumerable<JobRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            _rows.TryRemove(new KeyValuePair<string, JobRecord>(row.Key, row));
        }
    }
}
