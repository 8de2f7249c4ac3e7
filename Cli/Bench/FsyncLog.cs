using System.Diagnostics;

namespace JobQueue.Cli.Bench;

/// <summary>
/// A baseline any machine can compute in the same run, without beanstalkd: a single-threaded append-only log that
/// writes one record at a time and fsyncs it, as beanstalkd with an fsync'd binlog (<c>-b DIR -f 0</c>) does for a
/// put, and for a reserve-delete cycle (it logs the delete, not the reserve).
/// </summary>
internal static class FsyncLog
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    /// <summary>Records per second of such a log on this machine's temporary directory, over at most <paramref name="records"/> records or 5 seconds.</summary>
    public static double RecordsPerSecond(int records)
    {
        var path = Path.Combine(Path.GetTempPath(), $"jobqueue-bench-binlog-{Guid.NewGuid():N}");
        var record = new byte[64];
        try
        {
            using var log = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None);
            var watch = Stopwatch.StartNew();
            var done = 0;
            while (done < records && watch.Elapsed < Limit)
            {
                log.Write(record);
                log.Flush(flushToDisk: true);
                done++;
            }

            return done / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
