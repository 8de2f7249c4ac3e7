namespace JobQueue.Grains.Storage.Sqlite;

/// <summary>The SQLite schema of the job store (Storage/Sql/Sqlite-Jobs.sql); every statement is idempotent.</summary>
internal static class SqliteSchema
{
    /// <summary>The script that creates what is missing.</summary>
    public static readonly string Create = JobQueueStorage.JobSchema("Sqlite-Jobs.sql");
}
