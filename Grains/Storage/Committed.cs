namespace JobQueue.Grains.Storage;

/// <summary>The write committed.</summary>
public sealed record Committed : WriteOutcome
{
    /// <summary>The shared instance.</summary>
    public static readonly Committed Instance = new();
}
