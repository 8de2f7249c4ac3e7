using System.Text;
using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Jobs;

/// <summary>Turns stored records into the <see cref="Job"/> snapshots clients see.</summary>
public static class JobMapper
{
    /// <summary>A snapshot of <paramref name="record"/> as of <paramref name="now"/>.</summary>
    public static Job ToJob(this JobRecord record, DateTimeOffset now, bool getStd, IReadOnlyList<string>? env, int similar = 0)
    {
        ArgumentNullException.ThrowIfNull(record);
        var walltime = record.State == JobState.Running && !record.Exited && record.StartedAt is { } started
            ? now - started
            : record.Walltime;
        return new Job
        {
            Key = record.Key,
            Cmd = record.Cmd,
            Cwd = record.Cwd,
            RepGroup = record.RepGroup,
            ReqGroup = record.ReqGroup,
            RamMb = record.RamMb,
            Time = record.Time,
            Cores = record.Cores,
            Override = record.Override,
            Priority = record.Priority,
            Retries = record.Retries,
            PeakRamMb = record.PeakRamMb,
            Exited = record.Exited,
            ExitCode = record.ExitCode,
            FailReason = record.FailReason,
            Pid = record.Pid,
            Host = record.Host,
            Walltime = walltime < TimeSpan.Zero ? TimeSpan.Zero : walltime,
            CpuTime = record.CpuTime,
            StdOut = getStd ? Text(record.StdOut) : null,
            StdErr = getStd ? Text(record.StdErr) : null,
            Env = env,
            State = record.State,
            Attempts = record.Attempts,
            UntilBuried = record.UntilBuried,
            ReservedBy = Leases.ClientOf(record.ReservedBy),
            Similar = similar,
            Queue = record.Queue,
            LimitGroups = SchedulerGroup.LimitGroupsOf(record.Queue),
            AddedAt = record.AddedAt,
            StartedAt = record.StartedAt,
            EndedAt = record.EndedAt,
            DueAt = record.DueAt,
            KillRequested = record.KillRequested,
        };
    }

    /// <summary>Compresses output for storage, keeping only its head and tail.</summary>
    public static byte[]? StoreOutput(byte[]? output) =>
        output is null || output.Length == 0 ? null : Compression.Compress(output);

    private static string Text(byte[]? compressed) =>
        compressed is null ? "" : Encoding.UTF8.GetString(Compression.Decompress(compressed));
}
