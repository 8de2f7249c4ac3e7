namespace JobQueue.Grains.Learning;

/// <summary>What a req group's past runs suggest a job reserves.</summary>
/// <param name="RamMb">About the 95th percentile of peak memory, rounded up to 100 MB.</param>
/// <param name="Time">About the 95th percentile of wall time, rounded up to 30 minutes.</param>
/// <param name="Runs">How many runs the suggestion rests on.</param>
public sealed record Recommendation(int RamMb, TimeSpan Time, long Runs);
