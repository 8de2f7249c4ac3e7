namespace JobQueue.Grains.Storage.Sqlite;

/// <summary>Settings and upkeep, on the writer connection.</summary>
public sealed partial class SqliteJobStore
{
    /// <inheritdoc />
    public override Task<string> GetOrAddSettingAsync(string name, string value, CancellationToken cancellationToken) =>
        WithSettingAsync("INSERT INTO jq_meta (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING", name, value, cancellationToken);

    /// <inheritdoc />
    public override Task SetSettingAsync(string name, string value, CancellationToken cancellationToken) =>
        WithSettingAsync("INSERT INTO jq_meta (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value", name, value, cancellationToken);

    // Runs an insert of a setting on the writer connection, then reads the setting back.
    private Task<string> WithSettingAsync(string sql, string name, string value, CancellationToken cancellationToken) =>
        OnWriterAsync(
            writer =>
            {
                using var insert = SqliteEffects.Command(writer, sql, "name", "value");
                insert.Parameters["@name"].Value = name;
                insert.Parameters["@value"].Value = value;
                insert.ExecuteNonQuery();
                using var select = SqliteEffects.Command(writer, "SELECT value FROM jq_meta WHERE name = @name", "name");
                select.Parameters["@name"].Value = name;
                return (string)select.ExecuteScalar()!;
            },
            cancellationToken);

    /// <inheritdoc />
    public override Task SetLimitAsync(string name, int? limit, CancellationToken cancellationToken) =>
        OnWriterAsync(
            writer =>
            {
                using var set = SqliteEffects.Command(writer, SetLimitSql, "name", "lim");
                set.Parameters["@name"].Value = name;
                set.Parameters["@lim"].Value = (long)(limit ?? -1);
                return set.ExecuteNonQuery();
            },
            cancellationToken);

    /// <inheritdoc />
    public override Task<int> PruneQueuesAsync(CancellationToken cancellationToken) =>
        OnWriterAsync(
            writer =>
            {
                // One writer: no change can commit between the check and the delete.
                using var prune = SqliteEffects.Command(writer, PruneQueuesSql);
                return prune.ExecuteNonQuery();
            },
            cancellationToken);
}
