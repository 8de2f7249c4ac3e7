namespace JobQueue.Grains.Storage;

/// <summary>The outcome of one write.</summary>
public abstract record WriteOutcome;
