namespace JobQueue.Cli;

/// <summary>Where <c>status</c> reads jobs from: the manager, or the embedded database read-only when no manager answers.</summary>
public interface IJobReader : IAsyncDisposable
{
    /// <summary>The job running <paramref name="cmd"/> in <paramref name="cwd"/>, or null.</summary>
    Task<Job?> GetByCmdAsync(string cmd, string cwd, bool getStd, bool getEnv, CancellationToken cancellationToken);

    /// <summary>Jobs of a rep group, as <see cref="JobQueueClient.GetByRepGroupAsync"/>.</summary>
    Task<IReadOnlyList<Job>> GetByRepGroupAsync(string repGroup, int limit, JobState? state, bool getStd, bool getEnv, CancellationToken cancellationToken);

    /// <summary>Every job <paramref name="filter"/> selects, read a page at a time as the caller goes on (flat memory at any size).</summary>
    IAsyncEnumerable<Job> ListAllAsync(JobFilter filter, bool getStd, bool getEnv, CancellationToken cancellationToken);

    /// <summary>What decides why jobs are not running beyond their own records; without a manager, its mode is null.</summary>
    Task<WhyContext> GetWhyContextAsync(CancellationToken cancellationToken);

    /// <summary>What each of the dependent jobs <paramref name="keys"/> still waits on, by key.</summary>
    Task<IReadOnlyDictionary<string, DependencyWait>> GetDependencyWaitsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Counts per rep group (or for one).</summary>
    Task<IReadOnlyList<RepGroupCounts>> GetRepGroupCountsAsync(string? repGroup, CancellationToken cancellationToken);
}
