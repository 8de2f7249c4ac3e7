using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Jobs;

/// <summary>The end of a run: recorded, and for a run that exited 0, archived (also both in one commit).</summary>
public sealed partial class JobGrain
{
    /// <inheritdoc />
    public async Task Ended(string reservedBy, JobEndReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var row = await RequireLeaseAsync("Ended", reservedBy).ConfigureAwait(true);
        if (EndedRow("Ended", row, report) is { } after)
        {
            await CommitAsync("Ended", after, outputChanged: true).ConfigureAwait(true);
        }
    }

    /// <inheritdoc />
    public async Task EndedAndArchive(string reservedBy, JobEndReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.ExitCode != 0)
        {
            throw Error(JobQueueErrorKind.BadRequest, "EndedAndArchive", "only a run that exited 0 can be archived");
        }

        var row = await RequireLeaseAsync("EndedAndArchive", reservedBy).ConfigureAwait(true);
        await ArchiveAsync("EndedAndArchive", row, EndedRow("EndedAndArchive", row, report) ?? row).ConfigureAwait(true);
    }

    /// <summary>The row once <paramref name="report"/> is recorded; null when this very report was already recorded (a retry whose first answer was lost).</summary>
    private JobRecord? EndedRow(string operation, JobRecord row, JobEndReport report)
    {
        if (row.State != JobState.Running)
        {
            throw Error(JobQueueErrorKind.BadJob, operation, "the job was not started");
        }

        if (row.Exited)
        {
            return row.ExitCode == report.ExitCode && row.PeakRamMb == report.PeakRamMb
                ? null
                : throw Error(JobQueueErrorKind.BadJob, operation, "the end of this run was already recorded");
        }

        if (report.PeakRamMb < 0 || report.CpuTime < TimeSpan.Zero)
        {
            throw Error(JobQueueErrorKind.BadRequest, operation, "PeakRamMb and CpuTime must not be negative");
        }

        if (report.StdOut?.Length > JobQueueDefaults.MaxReportedOutputBytes || report.StdErr?.Length > JobQueueDefaults.MaxReportedOutputBytes)
        {
            // Clients keep only the head and tail of output (JobQueueClient does); anything longer is not a report.
            throw Error(JobQueueErrorKind.BadRequest, operation, $"StdOut and StdErr must be at most {JobQueueDefaults.MaxReportedOutputBytes} bytes (the head and tail of the output)");
        }

        var now = time.GetUtcNow();
        return row with
        {
            // A job started when it was reserved learns its pid here if its run was too short to report it sooner.
            Pid = row.Pid == 0 && report.Pid > 0 ? report.Pid : row.Pid,
            Exited = true,
            ExitCode = report.ExitCode,
            PeakRamMb = report.PeakRamMb,
            CpuTime = report.CpuTime,
            Walltime = row.StartedAt is { } started ? now - started : TimeSpan.Zero,
            EndedAt = now,
            // As in the model, output is kept for runs that failed: a million successes would carry gigabytes nobody asked for.
            StdOut = report.ExitCode == 0 ? null : JobMapper.StoreOutput(report.StdOut),
            StdErr = report.ExitCode == 0 ? null : JobMapper.StoreOutput(report.StdErr),
            DueAt = now + _options.TimeToRelease,
        };
    }

    /// <inheritdoc />
    public async Task Archive(string reservedBy)
    {
        var row = await RequireLeaseAsync("Archive", reservedBy).ConfigureAwait(true);
        await ArchiveAsync("Archive", row, row).ConfigureAwait(true);
    }

    /// <summary>Completes the job from <paramref name="ended"/> (its run recorded), in one commit from the stored <paramref name="row"/>.</summary>
    private async Task ArchiveAsync(string operation, JobRecord row, JobRecord ended)
    {
        if (ended.State != JobState.Running || !ended.Exited || ended.ExitCode != 0)
        {
            throw Error(JobQueueErrorKind.BadJob, operation, "only a job whose command ran and exited 0 can be archived");
        }

        var after = ended with { State = JobState.Complete, ReservedBy = null, DueAt = null, KillRequested = false, FailReason = "", StdOut = null, StdErr = null };
        await CommitAsync(operation, after, JobChangeKind.Archive, outputChanged: row.StdOut is not null || row.StdErr is not null).ConfigureAwait(true);
        advisor.Invalidate(row.ReqGroup);
        DeactivateOnIdle();
    }
}
