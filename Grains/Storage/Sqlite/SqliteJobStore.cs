using System.Data.Common;
using JobQueue.Grains.Storage.Dependencies;
using JobQueue.Home;
using Microsoft.Data.Sqlite;

namespace JobQueue.Grains.Storage.Sqlite;

/// <summary>
/// The embedded job store: one SQLite file in WAL mode. One writer connection applies the group-committed batches;
/// reads use pooled connections and run concurrently with the writer.
/// </summary>
public sealed partial class SqliteJobStore : SqlJobStore
{
    private readonly string _connectionString;
    private readonly string _synchronous;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // Every statement runs on these (SQLite's async methods are synchronous): never on the threads grains run on.
    private readonly SqliteIoThreads _readers = new("jobqueue sqlite read", Math.Clamp(Environment.ProcessorCount, 2, 8));
    private readonly SqliteIoThreads _writerThread = new("jobqueue sqlite write", 1);
    private SqliteConnection? _writer;
    private SqliteRowInsert? _insertJob;
    private SqliteRowUpdates? _updates;
    private SqliteCommand? _deleteJob;
    private SqliteRowInsert? _insertHistory;
    private SqliteEffects? _effects;
    private SqliteLimitSlots? _limits;
    private SqliteCommand? _insertEnv;

    /// <summary>Creates a store on the file <paramref name="dbFile"/>.</summary>
    /// <param name="dbFile">The database file; its directory is created if missing.</param>
    /// <param name="synchronous">SQLite's synchronous level: "FULL" (fsync every commit) or "NORMAL".</param>
    public SqliteJobStore(string dbFile, string synchronous = "FULL")
        : this(dbFile, synchronous, readOnly: false)
    {
    }

    private SqliteJobStore(string dbFile, string synchronous, bool readOnly)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dbFile);
        DbFile = Path.GetFullPath(dbFile);
        _synchronous = synchronous.ToUpperInvariant() switch
        {
            "FULL" or "NORMAL" or "EXTRA" => synchronous.ToUpperInvariant(),
            _ => throw new ArgumentOutOfRangeException(nameof(synchronous), synchronous, "must be FULL, NORMAL or EXTRA"),
        };
        _connectionString = readOnly
            ? new SqliteConnectionStringBuilder(ConnectionStringFor(DbFile)) { Mode = SqliteOpenMode.ReadOnly }.ToString()
            : ConnectionStringFor(DbFile);
    }

    /// <summary>
    /// The store of an existing database file for reading only (while no manager runs): its monitor answers queries,
    /// nothing is written, and nothing is created.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no database at <paramref name="dbFile"/>.</exception>
    public static SqliteJobStore OpenReadOnly(string dbFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dbFile);
        return File.Exists(dbFile) ? new SqliteJobStore(dbFile, "FULL", readOnly: true) : throw new FileNotFoundException("no database", dbFile);
    }

    /// <summary>The database file.</summary>
    public string DbFile { get; }

    /// <inheritdoc />
    public override string ProviderName => JobStoreProviders.Sqlite;

    /// <summary>The connection string for a database file, as Orleans' ADO.NET providers also use it.</summary>
    public static string ConnectionStringFor(string dbFile) => new SqliteConnectionStringBuilder
    {
        DataSource = dbFile,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = 60,
    }.ToString();

    /// <inheritdoc />
    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(DbFile);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var writer = new SqliteConnection(_connectionString);
        await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
        Execute(writer, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={_synchronous}; PRAGMA busy_timeout=60000;");

        // The database holds every job's command and environment: its owner alone may read it.
        PrivateFiles.RestrictFiles(DbFile, DbFile + "-wal", DbFile + "-shm");
        Execute(writer, "BEGIN IMMEDIATE;" + SqliteSchema.Create);
        using (var computed = writer.CreateCommand())
        {
            computed.CommandText = JobQueueStorage.StatsComputedQuery;
            if ((long)computed.ExecuteScalar()! == 0)
            {
                Execute(writer, JobQueueStorage.StatsBackfill);
            }
        }

        Execute(writer, "COMMIT;");
        using (var check = writer.CreateCommand())
        {
            check.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'OrleansQuery'";
            if ((long)check.ExecuteScalar()! == 0)
            {
                // Orleans' ADO.NET grain storage keeps the queue's few stateful grains in the same file.
                Execute(writer, JobQueueStorage.Script("Sqlite-Main.sql") + "\n" + JobQueueStorage.Script("Sqlite-Persistence.sql"));
            }
        }

        _writer = writer;
        PrepareWriterCommands(writer);
    }

    /// <inheritdoc />
    public override Task<IReadOnlyList<WriteOutcome>> WriteAsync(IReadOnlyList<StoreWrite> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return OnWriterAsync<IReadOnlyList<WriteOutcome>>(
            writer =>
            {
                using var transaction = writer.BeginTransaction(deferred: false);
                var effects = new BatchEffects();
                var outcomes = new List<WriteOutcome>(batch.Count);
                var dependencies = new DependencyTables(writer, transaction);
                foreach (var write in batch)
                {
                    outcomes.Add(write switch
                    {
                        InsertJobs insert => Insert(transaction, insert, effects, dependencies),
                        JobChange change => Change(transaction, change, effects, dependencies),
                        _ => throw new ArgumentException($"unknown write {write.GetType().Name}", nameof(batch)),
                    });
                }

                // The writer's commands complete synchronously: these tasks are done when they return.
                DependencyRules.FinishBatchAsync(dependencies, batch, outcomes, effects).GetAwaiter().GetResult();
                _effects!.Apply(transaction, effects);
                transaction.Commit();
                return outcomes;
            },
            cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> with the writer connection, on the writer's thread and under the write lock.</summary>
    private Task<T> OnWriterAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken) =>
        _writerThread.RunAsync(async () =>
        {
            var writer = _writer ?? throw new InvalidOperationException("The store is not initialized.");
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return work(writer);
            }
            finally
            {
                _writeLock.Release();
            }
        });

    /// <summary>Copies the live database to <paramref name="path"/> with SQLite's online backup.</summary>
    public Task BackupAsync(string path, CancellationToken cancellationToken) =>
        _readers.RunAsync(async () =>
        {
            await BackupNowAsync(path, cancellationToken).ConfigureAwait(false);
            return true;
        });

    private async Task BackupNowAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = full + ".tmp";
        File.Delete(temporary);
        await using (var source = await OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ToString());
            await destination.OpenAsync(cancellationToken).ConfigureAwait(false);
            source.BackupDatabase(destination);
            Execute(destination, "PRAGMA journal_mode=DELETE;");
        }

        PrivateFiles.RestrictFiles(temporary);
        File.Move(temporary, full, overwrite: true);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _insertJob?.Dispose();
            _insertHistory?.Dispose();
            foreach (var cmd in new[] { _deleteJob, _insertEnv })
            {
                cmd?.Dispose();
            }

            _effects?.Dispose();
            _limits?.Dispose();
            _updates?.Dispose();

            if (_writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
                _writer = null;
            }

            SqliteConnection.ClearAllPools();
        }
        finally
        {
            _writeLock.Release();
        }

        _readers.Dispose();
        _writerThread.Dispose();
    }

    /// <inheritdoc />
    protected override Task<T> ReadOnIoAsync<T>(Func<Task<T>> read) => _readers.RunAsync(read);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken) =>
        await OpenAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override string KeyFilter(DbCommand cmd, IReadOnlyList<string> keys)
    {
        var names = new string[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            names[i] = "@k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Bind(cmd, names[i], keys[i]);
        }

        return $"key IN ({string.Join(", ", names)})";
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private void PrepareWriterCommands(SqliteConnection writer)
    {
        // No RETURNING seq (the table's rowid): it makes SQLite keep a statement journal of every page each insert touches.
        _insertJob = new SqliteRowInsert(writer, "jq_jobs", JobRows.InsertColumns, [], "ON CONFLICT (key) DO NOTHING");
        _insertHistory = new SqliteRowInsert(writer, "jq_history", JobRows.InsertColumns, ["seq", "archived_at"]);

        _updates = new SqliteRowUpdates(writer);
        _deleteJob = SqliteEffects.Command(writer, "DELETE FROM jq_jobs WHERE key = @key AND seq = @expected_seq AND version = @expected", "key", "expected_seq", "expected");
        _effects = new SqliteEffects(writer);
        _limits = new SqliteLimitSlots(writer);
        _insertEnv = SqliteEffects.Command(writer, "INSERT INTO jq_envs (env_key, data) VALUES (@key, @data) ON CONFLICT (env_key) DO NOTHING", "key", "data");
    }

    private Inserted Insert(SqliteTransaction transaction, InsertJobs insert, BatchEffects effects, DependencyTables dependencies)
    {
        var envCmd = _insertEnv!;
        envCmd.Transaction = transaction;
        foreach (var (key, data) in insert.Envs)
        {
            envCmd.Parameters["@key"].Value = key;
            envCmd.Parameters["@data"].Value = data;
            envCmd.ExecuteNonQuery();
        }

        var inserted = new List<JobRecord>(insert.Jobs.Count);
        foreach (var job in insert.Jobs)
        {
            if (_insertJob!.Insert(job, []) is { } seq)
            {
                inserted.Add(job with { Seq = seq });
            }
        }

        var stored = DependencyRules.AddedAsync(dependencies, inserted, insert.Deps, effects).GetAwaiter().GetResult();
        foreach (var job in stored)
        {
            effects.Added(job);
        }

        return new Inserted(stored, insert.Jobs.Count - stored.Count);
    }

    private WriteOutcome Change(SqliteTransaction transaction, JobChange change, BatchEffects effects, DependencyTables dependencies)
    {
        var key = change.Before.Key;
        var expected = change.Before.Version;
        var taken = LimitSlots.Taken(change);
        if (taken.Count > 0 && _limits!.FullGroup(transaction, taken) is { } full)
        {
            return new LimitFull(full);
        }

        int rows;
        switch (change.Kind)
        {
            case JobChangeKind.Update:
                rows = _updates!.Update(transaction, change);
                break;
            case JobChangeKind.Archive:
            case JobChangeKind.Delete:
                _deleteJob!.Transaction = transaction;
                _deleteJob.Parameters["@key"].Value = key;
                _deleteJob.Parameters["@expected_seq"].Value = change.Before.Seq;
                _deleteJob.Parameters["@expected"].Value = expected;
                rows = _deleteJob.ExecuteNonQuery();
                if (rows == 1 && change is { Kind: JobChangeKind.Archive, After: { } run })
                {
                    _insertHistory!.Insert(run, [run.Seq, (run.EndedAt ?? run.AddedAt).ToUnixTimeMilliseconds()]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change.Kind, "unknown change kind");
        }

        if (rows != 1)
        {
            return VersionConflict.Instance;
        }

        effects.Changed(change);
        _limits!.Move(transaction, taken, LimitSlots.Given(change));
        return change.NewDeps is null
            ? Committed.Instance
            : new Committed { Released = DependencyRules.ReplacedAsync(dependencies, change, effects).GetAwaiter().GetResult() };
    }
}
