using Microsoft.Data.Sqlite;

namespace JobQueue.Grains.Storage.Sqlite;

/// <summary>
/// The slots of limit groups, on the writer connection. One writer: a group checked free stays free until the change
/// that takes its slot commits, within the same transaction.
/// </summary>
internal sealed class SqliteLimitSlots : IDisposable
{
    private readonly SqliteCommand _full;
    private readonly SqliteCommand _move;

    public SqliteLimitSlots(SqliteConnection writer)
    {
        _full = SqliteEffects.Command(writer, "SELECT 1 FROM jq_limits WHERE name = @name AND lim >= 0 AND used >= lim", "name");
        _move = SqliteEffects.Command(
            writer,
            "INSERT INTO jq_limits (name, lim, used) VALUES (@name, -1, max(@delta, 0)) " +
            "ON CONFLICT (name) DO UPDATE SET used = max(jq_limits.used + @delta, 0)",
            "name",
            "delta");
    }

    /// <summary>The first of <paramref name="groups"/> without a free slot, or null when all have one.</summary>
    public string? FullGroup(SqliteTransaction transaction, IReadOnlyList<string> groups)
    {
        _full.Transaction = transaction;
        foreach (var group in groups)
        {
            _full.Parameters["@name"].Value = group;
            if (_full.ExecuteScalar() is not null)
            {
                return group;
            }
        }

        return null;
    }

    /// <summary>Takes a slot of each of <paramref name="taken"/> and gives one back to each of <paramref name="given"/>.</summary>
    public void Move(SqliteTransaction transaction, IReadOnlyList<string> taken, IReadOnlyList<string> given)
    {
        _move.Transaction = transaction;
        foreach (var (groups, delta) in new[] { (taken, 1L), (given, -1L) })
        {
            foreach (var group in groups)
            {
                _move.Parameters["@name"].Value = group;
                _move.Parameters["@delta"].Value = delta;
                _move.ExecuteNonQuery();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _full.Dispose();
        _move.Dispose();
    }
}
