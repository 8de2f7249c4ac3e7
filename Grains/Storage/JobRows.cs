using System.Data.Common;

namespace JobQueue.Grains.Storage;

/// <summary>The column layout of the jobs and history tables, shared by the SQL stores.</summary>
internal static class JobRows
{
    /// <summary>Columns written on insert, in order (seq is assigned by the database).</summary>
    public static readonly string[] InsertColumns =
    [
        "key", "version", "cmd", "cwd", "rep_group", "req_group", "ram_mb", "time_ms", "cores", "user_ram_mb",
        "user_time_ms", "override", "priority", "retries", "env_key", "queue", "state", "attempts", "until_buried",
        "exited", "exit_code", "fail_reason", "peak_ram_mb", "pid", "host", "walltime_ms", "cputime_ms", "stdout",
        "stderr", "reserved_by", "kill_requested", "due_at", "added_at", "started_at", "ended_at",
    ];

    /// <summary>Columns an update may change (everything but identity, add time and output).</summary>
    public static readonly string[] UpdateColumns =
    [
        "version", "ram_mb", "time_ms", "cores", "override", "priority", "retries", "queue", "state", "attempts",
        "until_buried", "exited", "exit_code", "fail_reason", "peak_ram_mb", "pid", "host", "walltime_ms",
        "cputime_ms", "reserved_by", "kill_requested", "due_at", "started_at", "ended_at",
    ];

    /// <summary>The select list read by <see cref="Read"/>; output columns are replaced by NULL unless asked for.</summary>
    public static string SelectList(bool withOutput) =>
        "seq, key, version, cmd, cwd, rep_group, req_group, ram_mb, time_ms, cores, user_ram_mb, user_time_ms, " +
        "override, priority, retries, env_key, queue, state, attempts, until_buried, exited, exit_code, fail_reason, " +
        "peak_ram_mb, pid, host, walltime_ms, cputime_ms, " +
        (withOutput ? "stdout, stderr, " : "NULL AS stdout, NULL AS stderr, ") +
        "reserved_by, kill_requested, due_at, added_at, started_at, ended_at";

    /// <summary>Reads one row selected with <see cref="SelectList"/>.</summary>
    public static JobRecord Read(DbDataReader r)
    {
        var exited = r.GetInt64(20) != 0;
        return new JobRecord
        {
            Seq = r.GetInt64(0),
            Key = r.GetString(1),
            Version = r.GetInt64(2),
            Cmd = r.GetString(3),
            Cwd = r.GetString(4),
            RepGroup = r.GetString(5),
            ReqGroup = r.GetString(6),
            RamMb = checked((int)r.GetInt64(7)),
            Time = TimeSpan.FromMilliseconds(r.GetInt64(8)),
            Cores = checked((int)r.GetInt64(9)),
            UserRamMb = checked((int)r.GetInt64(10)),
            UserTime = TimeSpan.FromMilliseconds(r.GetInt64(11)),
            Override = checked((int)r.GetInt64(12)),
            Priority = checked((int)r.GetInt64(13)),
            Retries = checked((int)r.GetInt64(14)),
            EnvKey = r.GetString(15),
            Queue = r.GetString(16),
            State = (JobState)r.GetInt64(17),
            Attempts = checked((int)r.GetInt64(18)),
            UntilBuried = checked((int)r.GetInt64(19)),
            Exited = exited,
            ExitCode = exited ? checked((int)r.GetInt64(21)) : 0,
            FailReason = r.GetString(22),
            PeakRamMb = checked((int)r.GetInt64(23)),
            Pid = checked((int)r.GetInt64(24)),
            Host = r.GetString(25),
            Walltime = TimeSpan.FromMilliseconds(r.GetInt64(26)),
            CpuTime = TimeSpan.FromMilliseconds(r.GetInt64(27)),
            StdOut = r.IsDBNull(28) ? null : (byte[])r.GetValue(28),
            StdErr = r.IsDBNull(29) ? null : (byte[])r.GetValue(29),
            ReservedBy = r.IsDBNull(30) ? null : r.GetString(30),
            KillRequested = r.GetInt64(31) != 0,
            DueAt = ReadTime(r, 32),
            AddedAt = ReadTime(r, 33) ?? DateTimeOffset.UnixEpoch,
            StartedAt = ReadTime(r, 34),
            EndedAt = ReadTime(r, 35),
        };
    }

    /// <summary>The value a record stores in a column, as the database takes it.</summary>
    public static object? Value(JobRecord j, string column) => column switch
    {
        "key" => j.Key,
        "version" => j.Version,
        "cmd" => j.Cmd,
        "cwd" => j.Cwd,
        "rep_group" => j.RepGroup,
        "req_group" => j.ReqGroup,
        "ram_mb" => (long)j.RamMb,
        "time_ms" => (long)j.Time.TotalMilliseconds,
        "cores" => (long)j.Cores,
        "user_ram_mb" => (long)j.UserRamMb,
        "user_time_ms" => (long)j.UserTime.TotalMilliseconds,
        "override" => (long)j.Override,
        "priority" => (long)j.Priority,
        "retries" => (long)j.Retries,
        "env_key" => j.EnvKey,
        "queue" => j.Queue,
        "state" => (long)j.State,
        "attempts" => (long)j.Attempts,
        "until_buried" => (long)j.UntilBuried,
        "exited" => j.Exited ? 1L : 0L,
        "exit_code" => (long)(j.Exited ? j.ExitCode : CountKey.NotExited),
        "fail_reason" => j.FailReason,
        "peak_ram_mb" => (long)j.PeakRamMb,
        "pid" => (long)j.Pid,
        "host" => j.Host,
        "walltime_ms" => (long)j.Walltime.TotalMilliseconds,
        "cputime_ms" => (long)j.CpuTime.TotalMilliseconds,
        "stdout" => j.StdOut,
        "stderr" => j.StdErr,
        "reserved_by" => j.ReservedBy,
        "kill_requested" => j.KillRequested ? 1L : 0L,
        "due_at" => Millis(j.DueAt),
        "added_at" => j.AddedAt.ToUnixTimeMilliseconds(),
        "started_at" => Millis(j.StartedAt),
        "ended_at" => Millis(j.EndedAt),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, "unknown job column"),
    };

    /// <summary>Unix milliseconds of an optional time.</summary>
    public static long? Millis(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    private static DateTimeOffset? ReadTime(DbDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(ordinal));
}
