using Microsoft.Data.Sqlite;

namespace JobQueue.Grains.Storage.Sqlite;

/// <summary>Prepares the SQLite file before the store opens it: wipes it for development, restores it from backup when missing or corrupt.</summary>
public static class SqliteDatabaseFile
{
    /// <summary>Makes <see cref="JobStoreOptions.DbFile"/> ready to open; returns what was done, for the log, or null.</summary>
    public static string? Prepare(JobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dbFile = Path.GetFullPath(options.DbFile!);
        var backup = string.IsNullOrWhiteSpace(options.DbFileBackup) ? null : Path.GetFullPath(options.DbFileBackup);
        var directory = Path.GetDirectoryName(dbFile)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new JobStoreException($"cannot create the database directory {directory}: {ex.Message}", ex);
        }

        if (options.Deployment == Deployments.Development)
        {
            Delete(dbFile);
            if (backup is not null)
            {
                File.Delete(backup);
            }

            return $"development deployment: started a new database at {dbFile}";
        }

        if (!File.Exists(dbFile))
        {
            if (backup is not null && File.Exists(backup))
            {
                File.Copy(backup, dbFile);
                return $"the database {dbFile} was missing; restored it from the backup {backup}";
            }

            return null;
        }

        var problem = IntegrityProblem(dbFile);
        if (problem is null)
        {
            return null;
        }

        if (backup is null || !File.Exists(backup) || IntegrityProblem(backup) is not null)
        {
            throw new JobStoreException($"the database {dbFile} is corrupt ({problem}) and there is no usable backup");
        }

        var aside = $"{dbFile}.corrupt-{DateTime.UtcNow:yyyyMMddHHmmss}";
        File.Move(dbFile, aside);
        Delete(dbFile);
        File.Copy(backup, dbFile);
        return $"the database {dbFile} was corrupt ({problem}); moved it to {aside} and restored the backup {backup}";
    }

    /// <summary>Null if the file is a sound SQLite database, else what is wrong with it.</summary>
    public static string? IntegrityProblem(string file)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA quick_check";
            var result = cmd.ExecuteScalar() as string;
            return result == "ok" ? null : result ?? "quick_check returned nothing";
        }
        catch (SqliteException ex)
        {
            return ex.Message;
        }
    }

    private static void Delete(string dbFile)
    {
        foreach (var file in new[] { dbFile, dbFile + "-wal", dbFile + "-shm", dbFile + "-journal" })
        {
            File.Delete(file);
        }
    }
}
