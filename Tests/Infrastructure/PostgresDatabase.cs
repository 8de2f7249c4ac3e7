using Npgsql;

namespace JobQueue.Tests.Infrastructure;

/// <summary>A fresh database on the test PostgreSQL server (started by test.sh), dropped when disposed.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _admin;

    private PostgresDatabase(string admin, string connectionString, string name)
    {
        _admin = admin;
        ConnectionString = connectionString;
        Name = name;
    }

    /// <summary>The connection string of the test server, or null when the tests run without one.</summary>
    public static string? ServerConnectionString => Environment.GetEnvironmentVariable("JOBQUEUE_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    public string ConnectionString { get; }

    public string Name { get; }

    /// <summary>Skips the calling test when no PostgreSQL server was provided (test.sh always provides one).</summary>
    public static string RequireServer() =>
        ServerConnectionString ?? throw new InvalidOperationException("JOBQUEUE_TEST_POSTGRES is not set: run the tests through ./test.sh, which starts PostgreSQL");

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var admin = RequireServer();
        var name = "jq_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await cmd.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PostgresDatabase(admin, builder.ToString(), name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);

        // FORCE may not end an autovacuum worker busy on the database (it is not ours to end): it finishes in moments.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await cmd.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
    }
}
