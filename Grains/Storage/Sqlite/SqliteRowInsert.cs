using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace JobQueue.Grains.Storage.Sqlite;

/// <summary>
/// An insert of job rows prepared once on the writer connection and bound by position through SQLite's own API. An add
/// of 10,000 jobs binds 330,000 values: through <see cref="SqliteCommand"/> each was boxed, looked up by name in the
/// command and again by SQLite (a fifth of the writer's time in an add); here a value goes straight to its slot.
/// </summary>
internal sealed class SqliteRowInsert : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly IReadOnlyList<string> _columns;
    private readonly ColumnKind[] _kinds;

    /// <summary>Prepares <c>INSERT INTO <paramref name="table"/></c> of the job's <paramref name="columns"/> followed by <paramref name="extra"/> number columns, with <paramref name="suffix"/> after the values.</summary>
    public SqliteRowInsert(SqliteConnection writer, string table, IReadOnlyList<string> columns, IReadOnlyList<string> extra, string suffix = "")
    {
        ArgumentNullException.ThrowIfNull(writer);
        _db = writer.Handle ?? throw new InvalidOperationException("The writer connection is not open.");
        _columns = columns;
        _kinds = [.. columns.Select(c => JobRows.TextColumns.Contains(c) ? ColumnKind.Text : JobRows.ByteColumns.Contains(c) ? ColumnKind.Bytes : ColumnKind.Number)];
        var all = columns.Concat(extra).ToList();
        var sql = $"INSERT INTO {table} ({string.Join(", ", all)}) VALUES ({string.Join(", ", all.Select((_, i) => "?" + (i + 1)))}) {suffix}";
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    private enum ColumnKind
    {
        Number,
        Text,
        Bytes,
    }

    /// <summary>Inserts <paramref name="job"/>'s row with the extra columns' values; the new rowid, or null if the insert changed nothing (an existing key).</summary>
    public long? Insert(JobRecord job, ReadOnlySpan<long> extra)
    {
        ArgumentNullException.ThrowIfNull(job);
        for (var i = 0; i < _columns.Count; i++)
        {
            var slot = i + 1;
            var column = _columns[i];
            var rc = _kinds[i] switch
            {
                ColumnKind.Text => JobRows.Value(job, column) is string text ? raw.sqlite3_bind_text(_statement, slot, text) : raw.sqlite3_bind_null(_statement, slot),
                ColumnKind.Bytes => JobRows.Value(job, column) is byte[] bytes ? raw.sqlite3_bind_blob(_statement, slot, bytes) : raw.sqlite3_bind_null(_statement, slot),
                _ => JobRows.Number(job, column) is { } number ? raw.sqlite3_bind_int64(_statement, slot, number) : raw.sqlite3_bind_null(_statement, slot),
            };
            Check(rc);
        }

        for (var i = 0; i < extra.Length; i++)
        {
            Check(raw.sqlite3_bind_int64(_statement, _columns.Count + i + 1, extra[i]));
        }

        try
        {
            var step = raw.sqlite3_step(_statement);
            if (step != raw.SQLITE_DONE)
            {
                Check(step);
            }
        }
        finally
        {
            // A statement left unreset would keep the transaction from committing.
            raw.sqlite3_reset(_statement);
        }

        return raw.sqlite3_changes(_db) == 1 ? raw.sqlite3_last_insert_rowid(_db) : null;
    }

    /// <inheritdoc />
    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
