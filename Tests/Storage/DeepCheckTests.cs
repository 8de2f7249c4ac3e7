using JobQueue.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JobQueue.Tests.Storage;

/// <summary>
/// A database too big to read whole before serving (here: any, with Storage:FullCheckMaxMb 0) is checked in full while
/// the manager serves; damage found then stops the backups and makes the next start restore the last good one.
/// </summary>
public sealed class DeepCheckTests : IDisposable
{
    private static readonly string[] CheckLater = ["--Storage:FullCheckMaxMb", "0"];
    private readonly TempDirectory _home = new("deep-check");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Damage_deep_in_a_big_database_is_found_while_serving_and_the_next_start_restores_the_backup()
    {
        await using (var manager = await ManagerProcess.StartAsync(_home.Path, CheckLater))
        {
            await using var client = await manager.ConnectAsync();
            await client.AddAsync([Jobs.Spec("echo precious", "deep")], Ct);
            await manager.StopAsync();
        }

        var db = Path.Combine(_home.Path, "jobqueue.db");
        Assert.True(File.Exists(db + ".backup"), "a clean stop after changes backs the database up");
        DamageJobsTable(db);

        // The quick look at start passes (the header and the schema are whole), so the manager serves; the full check
        // behind it finds the damage.
        await using (var damaged = await ManagerProcess.StartAsync(_home.Path, CheckLater))
        {
            await Eventually.True(
                () => damaged.Output.Any(l => l.Contains("is corrupt", StringComparison.Ordinal) && l.Contains("start it again", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30),
                "the full check to report the damage");
            await damaged.StopAsync();
            Assert.Contains(damaged.Output, l => l.Contains("No backup of", StringComparison.Ordinal));
        }

        await using var restored = await ManagerProcess.StartAsync(_home.Path, CheckLater);
        await using var after = await restored.ConnectAsync();
        Assert.Equal(JobState.Ready, (await after.GetByCmdAsync("echo precious", "/tmp", cancellationToken: Ct))!.State);
        Assert.Contains(restored.Output, l => l.Contains("found while it was in use", StringComparison.Ordinal) && l.Contains("restored the backup", StringComparison.Ordinal));
    }

    /// <summary>Overwrites the root page of the jobs table with garbage, leaving the header and the schema whole.</summary>
    private static void DamageJobsTable(string db)
    {
        long page, pageSize;
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Pooling = false }.ToString()))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            cmd.ExecuteNonQuery();
            cmd.CommandText = "SELECT rootpage FROM sqlite_master WHERE name = 'jq_jobs'";
            page = (long)cmd.ExecuteScalar()!;
            cmd.CommandText = "PRAGMA page_size";
            pageSize = (long)cmd.ExecuteScalar()!;
        }

        using var file = new FileStream(db, FileMode.Open, FileAccess.Write);
        file.Seek((page - 1) * pageSize, SeekOrigin.Begin);
        file.Write(Enumerable.Repeat((byte)0xA5, (int)pageSize).ToArray());
    }
}
