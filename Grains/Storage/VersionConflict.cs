namespace JobQueue.Grains.Storage;

/// <summary>The row was changed by someone else since it was read: the write did nothing.</summary>
public sealed record VersionConflict : WriteOutcome
{
    /// <summary>The shared instance.</summary>
    public static readonly VersionConflict Instance = new();
}
