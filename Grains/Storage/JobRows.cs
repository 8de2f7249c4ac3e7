using System.Data.Common;

namespace JobQueue.Grains.Storage;

/// <summary>The column layout of the jobs and history tables, shared by the SQL stores.</summary>
internal static class JobRows
{
    /// <summary>
    /// Every column of a job row but seq (which the database assigns), in table order: the one list that the insert,
    /// update and select statements are built from (the DDL is in Storage/Sql/*-Jobs.sql).
    /// </summary>
    public static readonly string[] InsertColumns =
    [
        "key", "version", "cmd", "cwd", "rep_group", "req_group", "ram_mb", "time_ms", "cores", "user_ram_mb",
        "user_time_ms", "override", "priority", "retries", "env_key", "queue", "state", "attempts", "until_buried",
        "exited", "exit_code", "fail_reason", "peak_ram_mb", "pid", "host", "walltime_ms", "cputime_ms", "stdout",
        "stderr", "reserved_by", "kill_requested", "due_at", "added_at", "started_at", "ended_at",
    ];

    /// <summary>Columns an update may change: all but the job's identity, its add time and its output (its rep group may change: jobqueue mod).</summary>
    public static readonly string[] UpdateColumns =
        [.. InsertColumns.Where(c => c is not ("key" or "cmd" or "cwd" or "req_group" or "env_key" or "stdout" or "stderr" or "added_at"))];

    /// <summary>The columns that store text; with <see cref="ByteColumns"/> the only ones that do not store a number.</summary>
    public static readonly IReadOnlySet<string> TextColumns = new HashSet<string>(StringComparer.Ordinal)
    {
        "key", "cmd", "cwd", "rep_group", "req_group", "env_key", "queue", "fail_reason", "host", "reserved_by",
    };

    /// <summary>The columns that store bytes.</summary>
    public static readonly IReadOnlySet<string> ByteColumns = new HashSet<string>(StringComparer.Ordinal) { "stdout", "stderr" };

    private static readonly string[] UpdateColumnsWithOutput = [.. UpdateColumns, "stdout", "stderr"];

    private static readonly string[] Selected = ["seq", .. InsertColumns];

    private static readonly Dictionary<string, int> Ordinals = Selected.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);

    /// <summary>How many columns <see cref="SelectList"/> selects: a column selected after them is at this ordinal.</summary>
    public static int Count => Selected.Length;

    /// <summary>The select list read by <see cref="Read"/>; output columns are NULL unless asked for.</summary>
    public static string SelectList(bool withOutput) =>
        string.Join(", ", Selected.Select(c => !withOutput && c is "stdout" or "stderr" ? $"NULL AS {c}" : c));

    /// <summary>Reads one row selected with <see cref="SelectList"/>, column by name.</summary>
    public static JobRecord Read(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        long Long(string column) => r.GetInt64(Ordinals[column]);
        int Int(string column) => checked((int)Long(column));
        string Text(string column) => r.GetString(Ordinals[column]);
        bool IsNull(string column) => r.IsDBNull(Ordinals[column]);
        byte[]? Bytes(string column) => IsNull(column) ? null : (byte[])r.GetValue(Ordinals[column]);
        DateTimeOffset? Time(string column) => IsNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Long(column));
        var exited = Long("exited") != 0;
        return new JobRecord
        {
            Seq = Long("seq"),
            Key = Text("key"),
            Version = Long("version"),
            Cmd = Text("cmd"),
            Cwd = Text("cwd"),
            RepGroup = Text("rep_group"),
            ReqGroup = Text("req_group"),
            RamMb = Int("ram_mb"),
            Time = TimeSpan.FromMilliseconds(Long("time_ms")),
            Cores = Int("cores"),
            UserRamMb = Int("user_ram_mb"),
            UserTime = TimeSpan.FromMilliseconds(Long("user_time_ms")),
            Override = Int("override"),
            Priority = Int("priority"),
            Retries = Int("retries"),
            EnvKey = Text("env_key"),
            Queue = Text("queue"),
            State = (JobState)Long("state"),
            Attempts = Int("attempts"),
            UntilBuried = Int("until_buried"),
            Exited = exited,
            ExitCode = exited ? Int("exit_code") : 0,
            FailReason = Text("fail_reason"),
            PeakRamMb = Int("peak_ram_mb"),
            Pid = Int("pid"),
            Host = Text("host"),
            Walltime = TimeSpan.FromMilliseconds(Long("walltime_ms")),
            CpuTime = TimeSpan.FromMilliseconds(Long("cputime_ms")),
            StdOut = Bytes("stdout"),
            StdErr = Bytes("stderr"),
            ReservedBy = IsNull("reserved_by") ? null : Text("reserved_by"),
            KillRequested = Long("kill_requested") != 0,
            DueAt = Time("due_at"),
            AddedAt = Time("added_at") ?? DateTimeOffset.UnixEpoch,
            StartedAt = Time("started_at"),
            EndedAt = Time("ended_at"),
        };
    }

    /// <summary>
    /// What an update of <paramref name="change"/> must set: each column whose value differs between the old and new
    /// row, with its new value, in <see cref="UpdateColumns"/> order; the version always, and the output whenever the change
    /// says it changed.
    /// </summary>
    public static List<(string Column, object? Value)> ChangedColumns(JobChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (before, after) = (change.Before, change.After ?? throw new ArgumentException("an update needs the new row", nameof(change)));
        var values = new List<(string Column, object? Value)>();
        foreach (var column in change.OutputChanged ? UpdateColumnsWithOutput : UpdateColumns)
        {
            // A grain's row may not hold the stored output (it is read without it): changed output is always written.
            if (column is "version" or "stdout" or "stderr" || !Same(before, after, column))
            {
                values.Add((column, Value(after, column)));
            }
        }

        return values;
    }

    /// <summary>The value a record stores in a column, as the database takes it.</summary>
    public static object? Value(JobRecord j, string column) => column switch
    {
        "key" => j.Key,
        "cmd" => j.Cmd,
        "cwd" => j.Cwd,
        "rep_group" => j.RepGroup,
        "req_group" => j.ReqGroup,
        "env_key" => j.EnvKey,
        "queue" => j.Queue,
        "fail_reason" => j.FailReason,
        "host" => j.Host,
        "stdout" => j.StdOut,
        "stderr" => j.StdErr,
        "reserved_by" => j.ReservedBy,
        _ => Number(j, column),
    };

    // Whether two records store the same in a column; numbers are compared without boxing them (an update compares
    // every column of two records, and a bulk retry makes a hundred thousand updates).
    private static bool Same(JobRecord a, JobRecord b, string column) =>
        TextColumns.Contains(column) || ByteColumns.Contains(column)
            ? Equals(Value(a, column), Value(b, column))
            : Number(a, column) == Number(b, column);

    /// <summary>The value of a column that stores a number (null for a time not set).</summary>
    internal static long? Number(JobRecord j, string column) => column switch
    {
        "version" => j.Version,
        "ram_mb" => j.RamMb,
        "time_ms" => (long)j.Time.TotalMilliseconds,
        "cores" => j.Cores,
        "user_ram_mb" => j.UserRamMb,
        "user_time_ms" => (long)j.UserTime.TotalMilliseconds,
        "override" => j.Override,
        "priority" => j.Priority,
        "retries" => j.Retries,
        "state" => (long)j.State,
        "attempts" => j.Attempts,
        "until_buried" => j.UntilBuried,
        "exited" => j.Exited ? 1L : 0L,
        "exit_code" => j.Exited ? j.ExitCode : CountKey.NotExited,
        "peak_ram_mb" => j.PeakRamMb,
        "pid" => j.Pid,
        "walltime_ms" => (long)j.Walltime.TotalMilliseconds,
        "cputime_ms" => (long)j.CpuTime.TotalMilliseconds,
        "kill_requested" => j.KillRequested ? 1L : 0L,
        "due_at" => Millis(j.DueAt),
        "added_at" => j.AddedAt.ToUnixTimeMilliseconds(),
        "started_at" => Millis(j.StartedAt),
        "ended_at" => Millis(j.EndedAt),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, "unknown job column"),
    };

    /// <summary>Unix milliseconds of an optional time.</summary>
    public static long? Millis(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();
}
