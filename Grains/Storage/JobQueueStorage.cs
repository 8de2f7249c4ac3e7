namespace JobQueue.Grains.Storage;

/// <summary>Names shared with Orleans' providers.</summary>
public static class JobQueueStorage
{
    /// <summary>The Orleans grain storage provider used by the queue's few stateful grains.</summary>
    public const string GrainStorageName = "jobqueue";

    /// <summary>Asks whether the statistics were computed (see <see cref="StatsBackfill"/>): a count, 0 or 1.</summary>
    public const string StatsComputedQuery = "SELECT COUNT(*) FROM jq_meta WHERE name = 'stats_version'";

    /// <summary>Reads one of the embedded SQL scripts.</summary>
    public static string Script(string name)
    {
        using var stream = typeof(JobQueueStorage).Assembly.GetManifestResourceStream("JobQueue.Sql." + name)
            ?? throw new InvalidOperationException($"missing embedded script {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The job store's schema script (Sqlite-Jobs.sql or PostgreSQL-Jobs.sql beside the Orleans scripts), with the job
    /// columns of jq_jobs copied to the marker in jq_history, so that they are written down once.
    /// </summary>
    public static string JobSchema(string name)
    {
        const string begin = "    -- job columns";
        const string end = "    -- end of job columns";
        const string marker = "    -- the job columns of jq_jobs";
        var script = Script(name);
        var first = script.IndexOf(begin, StringComparison.Ordinal);
        var from = script.IndexOf('\n', first) + 1;
        var to = script.IndexOf(end, from, StringComparison.Ordinal);
        if (first < 0 || to < 0 || !script.Contains(marker, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{name} lacks its job column markers");
        }

        return script.Replace(marker, script[from..to].TrimEnd('\n'), StringComparison.Ordinal) + "\n" + StatsSchema;
    }

    /// <summary>
    /// Computes the statistics tables from the rows once, for a database made before they existed; run in the schema's
    /// transaction when <see cref="StatsComputedQuery"/> answers 0 (it then records that it ran).
    /// </summary>
    public static string StatsBackfill => WithBuckets(Script("StatsBackfill.sql"));

    /// <summary>The statistics tables (Stats.sql, shared by both dialects).</summary>
    private static string StatsSchema => Script("Stats.sql");

    private static string WithBuckets(string script) => script
        .Replace("{ram_bucket}", RunBuckets.Sql(RunBuckets.RamMb, "peak_ram_mb", 1), StringComparison.Ordinal)
        .Replace("{wall_bucket}", RunBuckets.Sql(RunBuckets.WallSeconds, "walltime_ms", 1000), StringComparison.Ordinal);
}
