namespace JobQueue.Grains.Storage;

/// <summary>The storage providers.</summary>
public static class JobStoreProviders
{
    /// <summary>The embedded SQLite file.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>A PostgreSQL server.</summary>
    public const string Postgres = "postgres";
}
