using System.Data.Common;
using JobQueue.Grains.Storage.Dependencies;
using Npgsql;

namespace JobQueue.Grains.Storage.Postgres;

/// <summary>
/// The cluster job store on PostgreSQL. A batch is one transaction: new jobs go in with one multi-row insert per
/// batch (unnest), job changes go in one round trip (a statement each, fenced by version), and the counters and
/// histograms are upserted once per batch in a fixed order, so silos writing concurrently never deadlock.
/// </summary>
public sealed partial class PostgresJobStore : SqlJobStore
{
    private static readonly string InsertSql = BuildInsertSql();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Columns, bool ExpectOne), string> UpdateSqls = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> ManyUpdateSqls = new(StringComparer.Ordinal);
    private static readonly string ArchiveSql = BuildArchiveSql(expectOne: false);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _deployment;

    /// <summary>Creates a store on the database named by <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="deployment">"development" drops the queue's tables at start.</param>
    public PostgresJobStore(string connectionString, string deployment = Deployments.Production)
    {
        // The same few statements run for every change: prepared once per connection, PostgreSQL no longer parses and
        // plans a 30-column update for each job (unless the connection string says otherwise).
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 64;
        }

        // Nothing here leaves state on a session (the one advisory lock is a transaction's): a connection back from the
        // pool needs no reset, which with prepared statements kept is seven statements each time a connection is taken.
        settings.NoResetOnClose = true;

        _dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
        _deployment = deployment;
    }

    /// <inheritdoc />
    public override string ProviderName => JobStoreProviders.Postgres;

    /// <inheritdoc />
    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgresSchema.SchemaLockKey})", cancellationToken).ConfigureAwait(false);
            if (_deployment == Deployments.Development)
            {
                await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {PostgresSchema.Tables}", cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, PostgresSchema.Create, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, PostgresSchema.Shards, cancellationToken).ConfigureAwait(false);
            await using (var computed = new NpgsqlCommand(JobQueueStorage.StatsComputedQuery, connection))
            {
                if (await computed.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 0L)
                {
                    await ExecuteAsync(connection, JobQueueStorage.StatsBackfill, cancellationToken).ConfigureAwait(false);
                }
            }

            await using (var check = new NpgsqlCommand("SELECT to_regclass('orleansquery') IS NOT NULL", connection))
            {
                if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
                {
                    // Orleans' ADO.NET clustering, grain storage and reminders share the database.
                    foreach (var script in new[] { "PostgreSQL-Main.sql", "PostgreSQL-Persistence.sql", "PostgreSQL-Clustering.sql", "PostgreSQL-Reminders.sql" })
                    {
                        await ExecuteAsync(connection, JobQueueStorage.Script(script), cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (_deployment == Deployments.Development)
            {
                await ExecuteAsync(connection, "DELETE FROM orleansstorage", cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw new JobStoreException($"cannot use the PostgreSQL database ({Describe()}): {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<WriteOutcome>> WriteAsync(IReadOnlyList<StoreWrite> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count > 0 && batch.All(w => w is JobChange { NewDeps: null })
            && await TryWriteInOneTripAsync([.. batch.Cast<JobChange>()], cancellationToken).ConfigureAwait(false) is { } done)
        {
            return done;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var effects = new BatchEffects();
        var outcomes = new WriteOutcome[batch.Count];
        var dependencies = new DependencyTables(connection, transaction);

        // Writes are applied in the order they were submitted; consecutive job changes share one round trip.
        var i = 0;
        while (i < batch.Count)
        {
            if (batch[i] is InsertJobs insert)
            {
                outcomes[i] = await InsertAsync(connection, insert, effects, dependencies, cancellationToken).ConfigureAwait(false);
                i++;
                continue;
            }

            var start = i;
            var changes = new List<JobChange>();
            while (i < batch.Count && batch[i] is JobChange change)
            {
                changes.Add(change);
                i++;
            }

            if (changes.Count == 0)
            {
                throw new ArgumentException($"unknown write {batch[i].GetType().Name}", nameof(batch));
            }

            var results = await ChangeAsync(connection, changes, effects, cancellationToken).ConfigureAwait(false);
            for (var c = 0; c < changes.Count; c++)
            {
                if (changes[c].NewDeps is not null && results[c] is Committed)
                {
                    results[c] = new Committed { Released = await DependencyRules.ReplacedAsync(dependencies, changes[c], effects).ConfigureAwait(false) };
                }
            }

            results.CopyTo(outcomes, start);
        }

        await DependencyRules.FinishBatchAsync(dependencies, batch, outcomes, effects).ConfigureAwait(false);
        await ApplyEffectsAsync(connection, Fence(), Shard, effects, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return outcomes;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync() => await _dataSource.DisposeAsync().ConfigureAwait(false);

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override string KeyFilter(DbCommand cmd, IReadOnlyList<string> keys)
    {
        Bind(cmd, "@keys", keys.ToArray());
        return "key = ANY(@keys)";
    }

    private static string BuildInsertSql()
    {
        var columns = string.Join(", ", JobRows.InsertColumns);
        var arrays = string.Join(", ", JobRows.InsertColumns.Select((c, i) => $"${i + 1}::{ArrayType(c)}"));

        // Sequence numbers follow the input (FIFO), but rows go in by key: two managers adding overlapping batches then
        // take the unique index's locks in one order and cannot deadlock.
        return $"INSERT INTO jq_jobs (seq, {columns}) OVERRIDING SYSTEM VALUE " +
            $"SELECT s, {columns} FROM (SELECT {columns}, nextval(pg_get_serial_sequence('jq_jobs', 'seq')) AS s " +
            $"FROM (SELECT {columns} FROM unnest({arrays}) WITH ORDINALITY AS t({columns}, ord) ORDER BY ord) AS o) AS n " +
            "ORDER BY key ON CONFLICT (key) DO NOTHING RETURNING key, seq";
    }

    /// <summary>
    /// The update setting <paramref name="columns"/> (what the change changed), fenced on the row's version and
    /// incarnation; with <paramref name="expectOne"/>, failing unless it changed exactly one row. One text per set of
    /// columns, so that each is prepared once per connection.
    /// </summary>
    private static string UpdateSqlFor(IReadOnlyList<string> columns, bool expectOne) =>
        UpdateSqls.GetOrAdd((string.Join(',', columns), expectOne), key =>
        {
            var set = string.Join(", ", columns.Select((c, i) => $"{c} = ${i + 1}"));
            var sql = $"UPDATE jq_jobs SET {set} WHERE key = ${columns.Count + 1} AND version = ${columns.Count + 2} AND seq = ${columns.Count + 3}";
            return key.ExpectOne ? ExpectOne(sql) : sql;
        });

    /// <summary>
    /// The update of many rows setting <paramref name="columns"/>, from arrays of the new values and of each row's key,
    /// expected version and incarnation; it fails unless it changed as many rows as it was given.
    /// </summary>
    private static string UpdatesSqlFor(IReadOnlyList<string> columns) =>
        ManyUpdateSqls.GetOrAdd(string.Join(',', columns), _ =>
        {
            var n = columns.Count;
            var arrays = string.Join(", ", columns.Select((c, i) => $"${i + 1}::{ArrayType(c)}"));
            var set = string.Join(", ", columns.Select(c => $"{c} = v.{c}"));
            return $"WITH changed AS (UPDATE jq_jobs AS j SET {set} " +
                $"FROM unnest({arrays}, ${n + 1}::text[], ${n + 2}::bigint[], ${n + 3}::bigint[]) AS v({string.Join(", ", columns)}, was_key, was_version, was_seq) " +
                $"WHERE j.key = v.was_key AND j.version = v.was_version AND j.seq = v.was_seq RETURNING 1) " +
                $"SELECT jq_expect_one(CASE WHEN count(*) = ${n + 4} THEN 1 ELSE 0 END) FROM changed";
        });

    /// <summary>The archive: the row leaves jq_jobs and its run enters the history; with <paramref name="expectOne"/>, failing unless exactly one row moved.</summary>
    private static string BuildArchiveSql(bool expectOne)
    {
        var columns = JobRows.InsertColumns;
        var values = string.Join(", ", columns.Select((_, i) => $"${i + 1}"));
        var n = columns.Length;
        var gone = $"WITH gone AS (DELETE FROM jq_jobs WHERE key = ${n + 1} AND version = ${n + 2} AND seq = ${n + 3} RETURNING 1)";
        var insert = $"INSERT INTO jq_history (seq, {string.Join(", ", columns)}, archived_at) SELECT ${n + 3}, {values}, ${n + 4} FROM gone";
        return expectOne
            ? $"{gone}, archived AS ({insert} RETURNING 1) SELECT jq_expect_one(count(*)) FROM archived"
            : $"{gone} {insert}";
    }

    private static string ArrayType(string column) =>
        JobRows.TextColumns.Contains(column) ? "text[]" : JobRows.ByteColumns.Contains(column) ? "bytea[]" : "bigint[]";

    private static object Parameter(object? value) => value ?? DBNull.Value;

    /// <summary><paramref name="values"/> of <paramref name="column"/> (as <see cref="JobRows.Value"/> gives them) as the typed array its unnest parameter takes.</summary>
    private static object ColumnArray(string column, IEnumerable<object?> values)
    {
        if (JobRows.TextColumns.Contains(column))
        {
            return values.Cast<string?>().ToArray();
        }

        if (JobRows.ByteColumns.Contains(column))
        {
            return values.Cast<byte[]?>().ToArray();
        }

        return values.Cast<long?>().ToArray();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlBatchCommand Statement(string sql, params object?[] values)
    {
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            statement.Parameters.Add(new NpgsqlParameter { Value = Parameter(value) });
        }

        return statement;
    }

    private static async Task<Inserted> InsertAsync(NpgsqlConnection connection, InsertJobs insert, BatchEffects effects, DependencyTables dependencies, CancellationToken cancellationToken)
    {
        if (insert.Envs.Count > 0)
        {
            await using var envs = new NpgsqlCommand(
                "INSERT INTO jq_envs (env_key, data) SELECT * FROM unnest($1::text[], $2::bytea[]) ON CONFLICT (env_key) DO NOTHING",
                connection);
            envs.Parameters.Add(new NpgsqlParameter { Value = insert.Envs.Keys.ToArray() });
            envs.Parameters.Add(new NpgsqlParameter { Value = insert.Envs.Values.ToArray() });
            await envs.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var inserted = new List<JobRecord>(insert.Jobs.Count);
        if (insert.Jobs.Count > 0)
        {
            await using var cmd = new NpgsqlCommand(InsertSql, connection);
            foreach (var column in JobRows.InsertColumns)
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = ColumnArray(column, insert.Jobs.Select(j => JobRows.Value(j, column))) });
            }

            var byKey = insert.Jobs.ToDictionary(j => j.Key, StringComparer.Ordinal);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                inserted.Add(byKey[reader.GetString(0)] with { Seq = reader.GetInt64(1) });
            }
        }

        inserted.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        var stored = await DependencyRules.AddedAsync(dependencies, inserted, insert.Deps, effects).ConfigureAwait(false);
        foreach (var job in stored)
        {
            effects.Added(job);
        }

        return new Inserted(stored, insert.Jobs.Count - stored.Count);
    }

    private static async Task<WriteOutcome[]> ChangeAsync(NpgsqlConnection connection, List<JobChange> changes, BatchEffects effects, CancellationToken cancellationToken)
    {
        if (changes.Any(c => LimitSlots.Taken(c).Count > 0 || LimitSlots.Given(c).Count > 0))
        {
            return await ChangeWithSlotsAsync(connection, changes, effects, cancellationToken).ConfigureAwait(false);
        }

        await using var batch = new NpgsqlBatch(connection);
        foreach (var change in changes)
        {
            batch.BatchCommands.Add(ChangeStatement(change, expectOne: false));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var outcomes = new WriteOutcome[changes.Count];
        for (var i = 0; i < changes.Count; i++)
        {
            if (batch.BatchCommands[i].RecordsAffected == 1)
            {
                effects.Changed(changes[i]);
                outcomes[i] = Committed.Instance;
            }
            else
            {
                outcomes[i] = VersionConflict.Instance;
            }
        }

        return outcomes;
    }

    private string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
