namespace JobQueue.Grains.Storage;

/// <summary>
/// The side effects of a batch of writes on the counters and the learning histograms, summed so that each touched
/// row is written once per transaction, in a fixed order (which also keeps concurrent PostgreSQL writers deadlock-free).
/// </summary>
internal sealed class BatchEffects
{
    /// <summary>Histogram kind of peak memory (buckets of 100 MB).</summary>
    public const int RamKind = 0;

    /// <summary>Histogram kind of wall time (buckets of 30 minutes).</summary>
    public const int TimeKind = 1;

    private readonly Dictionary<CountKey, long> _counts = [];
    private readonly Dictionary<(string ReqGroup, int Kind, int Bucket), long> _histogram = [];
    private readonly HashSet<string> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<CountKey, RunTotals> _stats = [];
    private readonly Dictionary<(CountKey Key, int Kind, int Bucket), long> _statsHistogram = [];

    /// <summary>Count deltas, sorted.</summary>
    public IEnumerable<KeyValuePair<CountKey, long>> Counts =>
        _counts.Where(c => c.Value != 0).OrderBy(c => c.Key, CountKeyOrder.Instance);

    /// <summary>Histogram deltas, sorted.</summary>
    public IEnumerable<KeyValuePair<(string ReqGroup, int Kind, int Bucket), long>> Histogram =>
        _histogram.OrderBy(h => h.Key.ReqGroup, StringComparer.Ordinal).ThenBy(h => h.Key.Kind).ThenBy(h => h.Key.Bucket);

    /// <summary>Statistics deltas, sorted.</summary>
    public IEnumerable<KeyValuePair<CountKey, RunTotals>> Stats =>
        _stats.Where(s => s.Value.N != 0).OrderBy(s => s.Key, CountKeyOrder.Instance);

    /// <summary>Statistics histogram deltas, sorted.</summary>
    public IEnumerable<KeyValuePair<(CountKey Key, int Kind, int Bucket), long>> StatsHistogram =>
        _statsHistogram.Where(h => h.Value != 0)
            .OrderBy(h => h.Key.Key, CountKeyOrder.Instance)
            .ThenBy(h => h.Key.Kind)
            .ThenBy(h => h.Key.Bucket);

    /// <summary>Scheduler groups seen, sorted.</summary>
    public IEnumerable<string> Queues => _queues.Order(StringComparer.Ordinal);

    /// <summary>Records a new job.</summary>
    public void Added(JobRecord job)
    {
        Count(job, 1);
        _queues.Add(job.Queue);
    }

    /// <summary>Records a committed change.</summary>
    public void Changed(JobChange change)
    {
        Count(change.Before, -1);
        if (change.After is { } after)
        {
            Count(after, 1);
            _queues.Add(after.Queue);
        }

        if (change is { Kind: JobChangeKind.Archive, After: { } run })
        {
            Learn(run);
        }
    }

    /// <summary>The memory histogram bucket of a peak (MB): runs in (100(b-1), 100b] fall in bucket b.</summary>
    public static int RamBucket(int peakRamMb) =>
        Math.Max(1, (int)Math.Ceiling(peakRamMb / (double)JobQueueDefaults.RecommendedRamRoundMb));

    /// <summary>The time histogram bucket of a wall time: runs in (30(b-1), 30b] minutes fall in bucket b.</summary>
    public static int TimeBucket(TimeSpan walltime) =>
        Math.Max(1, (int)Math.Ceiling(walltime.TotalSeconds / JobQueueDefaults.RecommendedTimeRoundSeconds));

    private void Learn(JobRecord run)
    {
        CountRun(run.ReqGroup, RamKind, RamBucket(run.PeakRamMb));
        CountRun(run.ReqGroup, TimeKind, TimeBucket(run.Walltime));
    }

    private void CountRun(string reqGroup, int kind, int bucket)
    {
        var key = (reqGroup, kind, bucket);
        _histogram[key] = _histogram.GetValueOrDefault(key) + 1;
    }

    private void Count(JobRecord job, int delta)
    {
        var key = job.CountKey;
        _counts[key] = _counts.GetValueOrDefault(key) + delta;
        if (RunTotals.Of(job) is not { } run)
        {
            return;
        }

        _stats[key] = _stats.GetValueOrDefault(key) + (delta > 0 ? run : -run);
        var ram = (key, RamKind, RunBuckets.Of(RunBuckets.RamMb, run.RamSum));
        var wall = (key, TimeKind, RunBuckets.Of(RunBuckets.WallSeconds, run.WallSum));
        _statsHistogram[ram] = _statsHistogram.GetValueOrDefault(ram) + delta;
        _statsHistogram[wall] = _statsHistogram.GetValueOrDefault(wall) + delta;
    }
}
