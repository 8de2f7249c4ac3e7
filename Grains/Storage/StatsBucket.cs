namespace JobQueue.Grains.Storage;

/// <summary>One row of the statistics histograms: measured runs of a count group in one bucket of one kind.</summary>
/// <param name="Key">The count group.</param>
/// <param name="Kind"><see cref="BatchEffects.RamKind"/> or <see cref="BatchEffects.TimeKind"/>.</param>
/// <param name="Bucket">The bucket of <see cref="RunBuckets"/>.</param>
/// <param name="N">How many runs.</param>
public sealed record StatsBucket(CountKey Key, int Kind, int Bucket, long N);
