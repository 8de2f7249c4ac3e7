namespace JobQueue.Grains;

/// <summary>Behaviour of the queue on the server side.</summary>
public sealed class JobQueueOptions
{
    /// <summary>How long a lease lasts without a touch. Default: 60 seconds.</summary>
    public TimeSpan TimeToRelease { get; set; } = JobQueueDefaults.TimeToRelease;

    /// <summary>
    /// The delay of a release that names none, after a job's first failure; it doubles with each further failure up to
    /// <see cref="MaxReleaseDelay"/>, give or take a tenth. Default: 30 seconds.
    /// </summary>
    public TimeSpan ReleaseDelay { get; set; } = JobQueueDefaults.ReleaseDelay;

    /// <summary>The longest a failed job waits before it runs again. Default: 1 hour.</summary>
    public TimeSpan MaxReleaseDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many of a queue's best ready jobs its grain keeps in memory. Default: 1000.</summary>
    public int ReadyBufferSize { get; set; } = 1000;

    /// <summary>The longest one reserve call waits inside a grain, well below Orleans' response timeout. Default: 10 seconds.</summary>
    public TimeSpan MaxReserveWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an empty queue looks in the store for ready jobs it was not told about. Default: 1 second.</summary>
    public TimeSpan StoreRecheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often due delays and leases are checked. Default: 250 milliseconds.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How many due jobs one page of the sweep reads. Default: 500.</summary>
    public int DueSweepPageSize { get; set; } = 500;

    /// <summary>
    /// How many pages one sweep reads at most; the next sweep goes on from where it stopped, so jobs that stay due
    /// (their wake failed) cannot keep later ones from being read. Default: 20.
    /// </summary>
    public int DueSweepPages { get; set; } = 20;

    /// <summary>
    /// How often scheduler groups without ready jobs are forgotten (they come back with their next job). Default: 1 minute.
    /// </summary>
    public TimeSpan QueuePruneInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Completed runs a req group needs before its learned requirements are used. Default: 1.</summary>
    public int LearningMinimumRuns { get; set; } = 1;

    /// <summary>How long learned requirements are cached per silo. Default: 5 seconds.</summary>
    public TimeSpan LearningCacheTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many jobs one add call commits in one transaction. Default: 10,000.</summary>
    public int MaxAddBatch { get; set; } = 10_000;
}
