namespace JobQueue.Grains.Storage;

/// <summary>A learned-resources histogram bucket: how many runs fell in (bucket-1, bucket] units.</summary>
public sealed record HistogramBucket(int Bucket, long Count);
