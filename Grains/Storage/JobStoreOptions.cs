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

    /// <summary>
    /// The largest SQLite database checked in full (PRAGMA quick_check, which reads the whole file) before the manager
    /// serves; a larger one gets a quick look at start and the full check in the background. Default: 256 MB.
    /// </summary>
    public int FullCheckMaxMb { get; set; } = 256;

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

                if (FullCheckMaxMb < 0)
                {
                    return $"Storage:FullCheckMaxMb is {FullCheckMaxMb}; it must not be negative";
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
