namespace JobQueue.Grains.Storage;

/// <summary>One row of the counters table.</summary>
public sealed record CountRow(CountKey Key, long Count);
