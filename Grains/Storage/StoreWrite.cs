namespace JobQueue.Grains.Storage;

/// <summary>A write that the group-commit writer gathers with others into one transaction.</summary>
public abstract record StoreWrite;

/// <summary>Inserts new jobs unless a job with the same key is already incomplete.</summary>
public sealed record InsertJobs(IReadOnlyList<JobRecord> Jobs, IReadOnlyDictionary<string, byte[]> Envs) : StoreWrite;

/// <summary>What a job change does to the job's row.</summary>
public enum JobChangeKind
{
    /// <summary>The row is updated in place.</summary>
    Update,

    /// <summary>The row moves to the history table as a completed run.</summary>
    Archive,

    /// <summary>The row is removed.</summary>
    Delete,
}

/// <summary>A change to one job, fenced by the version the changing grain last saw.</summary>
/// <param name="Before">The row as last read or written (its version is checked).</param>
/// <param name="After">The new row (for Update and Archive).</param>
/// <param name="Kind">What happens to the row.</param>
/// <param name="OutputChanged">True if stdout/stderr changed and must be written.</param>
public sealed record JobChange(JobRecord Before, JobRecord? After, JobChangeKind Kind, bool OutputChanged = false) : StoreWrite;

/// <summary>The outcome of one write.</summary>
public abstract record WriteOutcome;

/// <summary>The write committed.</summary>
public sealed record Committed : WriteOutcome
{
    /// <summary>The shared instance.</summary>
    public static readonly Committed Instance = new();
}

/// <summary>The row was changed by someone else since it was read: the write did nothing.</summary>
public sealed record VersionConflict : WriteOutcome
{
    /// <summary>The shared instance.</summary>
    public static readonly VersionConflict Instance = new();
}

/// <summary>Inserted jobs, with their sequence numbers; the rest existed.</summary>
public sealed record Inserted(IReadOnlyList<JobRecord> Jobs, int Existed) : WriteOutcome;
