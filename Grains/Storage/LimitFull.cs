namespace JobQueue.Grains.Storage;

/// <summary>The change would have taken a slot of <paramref name="Group"/>, which has none free: the write did nothing.</summary>
public sealed record LimitFull(string Group) : WriteOutcome;
