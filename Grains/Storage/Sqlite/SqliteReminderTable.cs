using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace JobQueue.Grains.Storage.Sqlite;

/// <summary>Orleans reminders kept in the embedded SQLite file (upstream has no SQLite reminder provider).</summary>
public sealed class SqliteReminderTable(JobStoreOptions storeOptions, IOptions<ClusterOptions> clusterOptions) : IReminderTable
{
    private readonly string _connectionString = SqliteJobStore.ConnectionStringFor(storeOptions.DbFile!);
    private readonly string _serviceId = clusterOptions.Value.ServiceId;

    /// <inheritdoc />
    public Task Init() => Task.CompletedTask;

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        QueryAsync("grain_id = @grain", cmd => cmd.Parameters.AddWithValue("@grain", grainId.ToString()));

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        begin < end
            ? QueryAsync("grain_hash > @begin AND grain_hash <= @end", cmd => Range(cmd, begin, end))
            : QueryAsync("(grain_hash > @begin OR grain_hash <= @end)", cmd => Range(cmd, begin, end));

    /// <inheritdoc />
    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var rows = await QueryAsync(
            "grain_id = @grain AND reminder_name = @name",
            cmd =>
            {
                cmd.Parameters.AddWithValue("@grain", grainId.ToString());
                cmd.Parameters.AddWithValue("@name", reminderName);
            }).ConfigureAwait(false);
        return rows.Reminders.FirstOrDefault();
    }

    /// <inheritdoc />
    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO jq_reminders (service_id, grain_id, reminder_name, grain_hash, start_at, period_ms, etag)
            VALUES (@service, @grain, @name, @hash, @start, @period, 1)
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
            SET start_at = excluded.start_at, period_ms = excluded.period_ms, etag = jq_reminders.etag + 1
            RETURNING etag
            """;
        cmd.Parameters.AddWithValue("@service", _serviceId);
        cmd.Parameters.AddWithValue("@grain", entry.GrainId.ToString());
        cmd.Parameters.AddWithValue("@name", entry.ReminderName);
        cmd.Parameters.AddWithValue("@hash", (long)entry.GrainId.GetUniformHashCode());
        cmd.Parameters.AddWithValue("@start", new DateTimeOffset(entry.StartAt.ToUniversalTime()).ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("@period", (long)entry.Period.TotalMilliseconds);
        var etag = (long)(await cmd.ExecuteScalarAsync().ConfigureAwait(false))!;
        return etag.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "DELETE FROM jq_reminders WHERE service_id = @service AND grain_id = @grain AND reminder_name = @name AND etag = @etag";
        cmd.Parameters.AddWithValue("@service", _serviceId);
        cmd.Parameters.AddWithValue("@grain", grainId.ToString());
        cmd.Parameters.AddWithValue("@name", reminderName);
        cmd.Parameters.AddWithValue("@etag", long.TryParse(eTag, NumberStyles.Integer, CultureInfo.InvariantCulture, out var tag) ? tag : -1);
        return await cmd.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task TestOnlyClearTable()
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "DELETE FROM jq_reminders WHERE service_id = @service";
        cmd.Parameters.AddWithValue("@service", _serviceId);
        await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static void Range(SqliteCommand cmd, uint begin, uint end)
    {
        cmd.Parameters.AddWithValue("@begin", (long)begin);
        cmd.Parameters.AddWithValue("@end", (long)end);
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }

    private async Task<ReminderTableData> QueryAsync(string filter, Action<SqliteCommand> bind)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT grain_id, reminder_name, start_at, period_ms, etag FROM jq_reminders WHERE service_id = @service AND {filter}";
        cmd.Parameters.AddWithValue("@service", _serviceId);
        bind(cmd);
        var entries = new List<ReminderEntry>();
        await using var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
                ReminderName = reader.GetString(1),
                StartAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)).UtcDateTime,
                Period = TimeSpan.FromMilliseconds(reader.GetInt64(3)),
                ETag = reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
            });
        }

        return new ReminderTableData(entries);
    }
}
