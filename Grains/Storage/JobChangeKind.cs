namespace JobQueue.Grains.Storage;

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
