using JobQueue.Home;
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

        // A problem that the full check found while the manager last ran; else the full check now, unless the file is
        // too big to read whole before serving (then a quick look now, and the full check in the background).
        var marker = ProblemMarker(dbFile);
        var problem = File.Exists(marker) ? $"found while it was in use: {File.ReadAllText(marker).Trim()}" : IntegrityProblem(dbFile, full: !DeepCheckDeferred(options));
        File.Delete(marker);
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

    /// <summary>True when the database is too big for the full check before serving (<see cref="JobStoreOptions.FullCheckMaxMb"/>).</summary>
    public static bool DeepCheckDeferred(JobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var file = new FileInfo(Path.GetFullPath(options.DbFile!));
        return file.Exists && file.Length > (long)options.FullCheckMaxMb * 1024 * 1024;
    }

    /// <summary>
    /// Remembers a problem that the full check found while the manager ran: the next start restores the backup, and
    /// no backup is taken meanwhile (it would copy the damage over the good one).
    /// </summary>
    public static void RecordProblem(string dbFile, string problem)
    {
        var marker = ProblemMarker(Path.GetFullPath(dbFile));
        File.WriteAllText(marker, problem);
        PrivateFiles.RestrictFiles(marker);
    }

    /// <summary>True when a problem was found and recorded since the manager started.</summary>
    public static bool ProblemRecorded(string dbFile) => File.Exists(ProblemMarker(Path.GetFullPath(dbFile)));

    /// <summary>
    /// Null if the file is a sound SQLite database, else what is wrong with it. In full, every page is read (PRAGMA
    /// quick_check); else only the header and the schema, which catches a file that is not a database or was cut.
    /// </summary>
    public static string? IntegrityProblem(string file, bool full = true)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            connection.Open();
            using var cmd = connection.CreateCommand();
            if (!full)
            {
                cmd.CommandText = "SELECT count(*) FROM sqlite_master";
                cmd.ExecuteScalar();
                return null;
            }

            cmd.CommandText = "PRAGMA quick_check";
            var result = cmd.ExecuteScalar() as string;
            return result == "ok" ? null : result ?? "quick_check returned nothing";
        }
        catch (SqliteException ex)
        {
            return ex.Message;
        }
    }

    private static string ProblemMarker(string dbFile) => dbFile + ".problem";

    private static void Delete(string dbFile)
    {
        foreach (var file in new[] { dbFile, dbFile + "-wal", dbFile + "-shm", dbFile + "-journal", ProblemMarker(dbFile) })
        {
            File.Delete(file);
        }
    }
}
