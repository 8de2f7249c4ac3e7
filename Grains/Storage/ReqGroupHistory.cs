namespace JobQueue.Grains.Storage;

/// <summary>Past runs of a req group: memory buckets of 100 MB and time buckets of 30 minutes.</summary>
public sealed record ReqGroupHistory(IReadOnlyList<HistogramBucket> Ram, IReadOnlyList<HistogramBucket> Time)
{
    /// <summary>No runs yet.</summary>
    public static readonly ReqGroupHistory Empty = new([], []);
}
