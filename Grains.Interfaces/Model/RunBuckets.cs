namespace JobQueue;

/// <summary>
/// The histogram buckets of a rep group's runs, on human scales: bucket b holds values from edge b-1 (inclusive)
/// to edge b (exclusive); bucket 0 is below the first edge and the last bucket is at or above the last edge.
/// </summary>
public static class RunBuckets
{
    /// <summary>Edges of the wall-time histogram, in seconds.</summary>
    public static IReadOnlyList<double> WallSeconds { get; } = [1, 10, 60, 300, 900, 1800, 3600, 7200, 14400, 43200, 86400];

    /// <summary>Edges of the peak-memory histogram, in MB.</summary>
    public static IReadOnlyList<double> RamMb { get; } = [10, 50, 100, 250, 500, 1000, 2000, 4000, 8000, 16000, 64000];

    /// <summary>The bucket of <paramref name="value"/> for these <paramref name="edges"/>.</summary>
    public static int Of(IReadOnlyList<double> edges, double value)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var bucket = 0;
        while (bucket < edges.Count && value >= edges[bucket])
        {
            bucket++;
        }

        return bucket;
    }

    /// <summary>The same as <see cref="Of"/>, as an SQL expression over <paramref name="column"/>, scaled by <paramref name="scale"/>.</summary>
    public static string Sql(IReadOnlyList<double> edges, string column, double scale)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var cases = edges.Select((edge, i) => FormattableString.Invariant($"WHEN {column} < {edge * scale} THEN {i}"));
        return $"(CASE {string.Join(' ', cases)} ELSE {edges.Count} END)";
    }
}
