using JobQueue.Grains.Storage;
using Npgsql;

namespace JobQueue.Silo.Hosting;

/// <summary>Checks before start-up that the configured store can be used, so a bad setting fails with one clear line.</summary>
public static class StorePreflight
{
    /// <summary>Throws <see cref="ManagerStartException"/> if the store cannot be used.</summary>
    public static async Task CheckAsync(JobStoreOptions storage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.Provider == JobStoreProviders.Postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(storage.ConnectionString) { Timeout = 5 };
            try
            {
                await using var connection = new NpgsqlConnection(builder.ToString());
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                throw new ManagerStartException($"cannot reach PostgreSQL at {builder.Host}:{builder.Port}/{builder.Database}: {ex.Message}", ex);
            }

            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(storage.DbFile!))!;
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-test-{Environment.ProcessId}");
            await File.WriteAllTextAsync(probe, "ok", cancellationToken).ConfigureAwait(false);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ManagerStartException($"cannot write the database directory {directory}: {ex.Message}", ex);
        }
    }
}
