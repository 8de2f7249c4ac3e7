using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Learning;

/// <summary>The rules that decide a job's memory and time from the user's values, learning and past failures.</summary>
public static class Requirements
{
    /// <summary>The default req group of a command: the base name of its first word.</summary>
    public static string DefaultReqGroup(string cmd)
    {
        var first = cmd.TrimStart().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? cmd;
        var name = Path.GetFileName(first);
        return string.IsNullOrEmpty(name) ? first : name;
    }

    /// <summary>The recommendation of a histogram, or null with fewer than <paramref name="minimumRuns"/> runs.</summary>
    public static Recommendation? Recommend(ReqGroupHistory history, int minimumRuns)
    {
        ArgumentNullException.ThrowIfNull(history);
        var runs = history.Ram.Sum(b => b.Count);
        if (runs == 0 || runs < minimumRuns)
        {
            return null;
        }

        var ramBucket = Percentile95(history.Ram);
        var timeBucket = Percentile95(history.Time);
        return new Recommendation(
            ramBucket * JobQueueDefaults.RecommendedRamRoundMb,
            TimeSpan.FromSeconds((long)timeBucket * JobQueueDefaults.RecommendedTimeRoundSeconds),
            runs);
    }

    /// <summary>
    /// Applies override and learning to a job's own values, and moves it to the matching scheduler group. The job's
    /// limit groups are those of its current <see cref="JobRecord.Queue"/>, and stay.
    /// </summary>
    public static JobRecord Apply(JobRecord job, Recommendation? recommendation)
    {
        ArgumentNullException.ThrowIfNull(job);
        var ram = Choose(job.UserRamMb, recommendation?.RamMb, job.Override, JobQueueDefaults.RamMb, (a, b) => Math.Max(a, b));
        var time = Choose(job.UserTime, recommendation?.Time, job.Override, JobQueueDefaults.Time, (a, b) => a > b ? a : b);
        return job with { RamMb = ram, Time = time, Queue = SchedulerGroup.For(ram, time, job.Cores, SchedulerGroup.LimitGroupsOf(job.Queue)) };
    }

    /// <summary>The memory to reserve after the command used too much: at least peak + 1000 MB, rounded up to 100 MB.</summary>
    public static int RaisedRam(int peakRamMb)
    {
        var multiplier = peakRamMb <= JobQueueDefaults.RamIncreaseBreakpointMb ? JobQueueDefaults.RamIncreaseMultLow : JobQueueDefaults.RamIncreaseMultHigh;
        var raised = Math.Max(peakRamMb * multiplier, peakRamMb + JobQueueDefaults.RamIncreaseMinMb);
        var round = JobQueueDefaults.RecommendedRamRoundMb;
        return (int)(Math.Ceiling(raised / round) * round);
    }

    private static T Choose<T>(T user, T? learned, int overrideMode, T fallback, Func<T, T, T> max)
        where T : struct, IComparable<T>
    {
        var given = user.CompareTo(default) > 0;
        return (overrideMode, given, learned) switch
        {
            (2, true, _) => user,
            (1, true, { } l) => max(user, l),
            (_, _, { } l) => l,
            (_, true, null) => user,
            _ => fallback,
        };
    }

    private static int Percentile95(IReadOnlyList<HistogramBucket> buckets)
    {
        var total = buckets.Sum(b => b.Count);
        var needed = (long)Math.Ceiling(total * 0.95);
        long seen = 0;
        foreach (var bucket in buckets.OrderBy(b => b.Bucket))
        {
            seen += bucket.Count;
            if (seen >= needed)
            {
                return bucket.Bucket;
            }
        }

        return buckets.Count == 0 ? 1 : buckets.Max(b => b.Bucket);
    }
}
