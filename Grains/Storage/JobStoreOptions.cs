namespace JobQueue.Grains.Storage;

/// <summary>Where and how jobs are stored (configuration section "Storage").</summary>
public sealed class JobStoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Storage";

    /// <summary>"sqlite" (the embedded default) or "postgres". Default: sqlite.</summary>
    public string Provider { get; set; } = JobStoreProviders.Sqlite;

    /// <summary>The PostgreSQL connection string (postgres only).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The SQLite database file (sqlite only).</summary>
    public string? DbFile { get; set; }

    /// <summary>Where the SQLite database is backed up to; empty disables backups. Default: none.</summary>
    public string? DbFileBackup { get; set; }

    /// <summary>How often the SQLite database is backed up while it changes. Default: 10 minutes.</summary>
    public TimeSpan BackupInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>"production" keeps the database; "development" deletes and recreates it at start. Default: production.</summary>
    public string Deployment { get; set; } = Deployments.Production;

    /// <summary>SQLite's synchronous level: FULL (every commit reaches the disk) or NORMAL. Default: FULL.</summary>
    public string Synchronous { get; set; } = "FULL";

    /// <summary>The problem with these options, or null if they are usable.</summary>
    public string? Validate()
    {
        switch (Provider)
        {
            case JobStoreProviders.Sqlite:
                if (string.IsNullOrWhiteSpace(DbFile))
                {
                    return "Storage:DbFile must name the SQLite database file";
                }

                if (Synchronous.ToUpperInvariant() is not ("FULL" or "NORMAL" or "EXTRA"))
                {
                    return $"Storage:Synchronous is \"{Synchronous}\"; it must be FULL, NORMAL or EXTRA";
                }

                break;
            case JobStoreProviders.Postgres:
                if (string.IsNullOrWhiteSpace(ConnectionString))
                {
                    return "Storage:ConnectionString is required when Storage:Provider is postgres";
                }

                break;
            default:
                return $"Storage:Provider is \"{Provider}\"; it must be \"sqlite\" or \"postgres\"";
        }

        if (Deployment is not (Deployments.Production or Deployments.Development))
        {
            return $"Deployment is \"{Deployment}\"; it must be \"production\" or \"development\"";
        }

        return null;
    }
}

/// <summary>The storage providers.</summary>
public static class JobStoreProviders
{
    /// <summary>The embedded SQLite file.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>A PostgreSQL server.</summary>
    public const string Postgres = "postgres";
}

/// <summary>The deployments, as in the model.</summary>
public static class Deployments
{
    /// <summary>Keeps the database across restarts.</summary>
    public const string Production = "production";

    /// <summary>Starts from an empty database every time.</summary>
    public const string Development = "development";
}

/// <summary>Names shared with Orleans' providers.</summary>
public static class JobQueueStorage
{
    /// <summary>The Orleans grain storage provider used by the queue's few stateful grains.</summary>
    public const string GrainStorageName = "jobqueue";

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

        return script.Replace(marker, script[from..to].TrimEnd('\n'), StringComparison.Ordinal);
    }
}
