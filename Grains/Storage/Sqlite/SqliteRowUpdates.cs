using Microsoft.Data.Sqlite;

namespace JobQueue.Grains.Storage.Sqlite;

/// <summary>
/// Updates of job rows on the writer connection that set only the columns a change changes (and the version). SQLite
/// then rewrites only the indexes over those columns, and binds a handful of values rather than every column: a retry
/// changes 5 columns of 30. One prepared statement per set of columns, made the first time that set is seen.
/// </summary>
internal sealed class SqliteRowUpdates(SqliteConnection writer) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>Writes <paramref name="change"/>'s new row over its old one, fenced on the old one's incarnation and version; the rows updated (0 or 1).</summary>
    public int Update(SqliteTransaction transaction, JobChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var before = change.Before;
        var values = JobRows.ChangedColumns(change);
        var cmd = CommandFor(values);
        cmd.Transaction = transaction;
        for (var i = 0; i < values.Count; i++)
        {
            cmd.Parameters[i].Value = values[i].Value ?? DBNull.Value;
        }

        cmd.Parameters[values.Count].Value = before.Key;
        cmd.Parameters[values.Count + 1].Value = before.Seq;
        cmd.Parameters[values.Count + 2].Value = before.Version;
        return cmd.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var cmd in _commands.Values)
        {
            cmd.Dispose();
        }

        _commands.Clear();
    }

    private SqliteCommand CommandFor(List<(string Column, object? Value)> values)
    {
        var columns = string.Join(',', values.Select(v => v.Column));
        if (!_commands.TryGetValue(columns, out var cmd))
        {
            // Fenced on the row's incarnation (seq, new at every add) and its version: a stale writer of an archived and
            // re-added job cannot match even when the new row's version has climbed back to the old one.
            var set = string.Join(", ", values.Select(v => $"{v.Column} = @{v.Column}"));
            cmd = SqliteEffects.Command(
                writer,
                $"UPDATE jq_jobs SET {set} WHERE key = @key AND seq = @expected_seq AND version = @expected",
                [.. values.Select(v => v.Column), "key", "expected_seq", "expected"]);
            _commands[columns] = cmd;
        }

        return cmd;
    }
}
