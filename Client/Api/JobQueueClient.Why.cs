using JobQueue.Grains;

namespace JobQueue.Client;

/// <summary>"Why is my job not running": the reasons that hold, from state the manager already has.</summary>
public sealed partial class JobQueueClient
{
    /// <summary>The incomplete job with this key, else its latest completed run; null if the key is unknown.</summary>
    public async Task<Job?> GetByKeyAsync(string key, bool getStd = false, bool getEnv = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var jobs = await Call("GetByKey", _cluster.GetGrain<IJobQueryGrain>(0).GetByKeys([key], getStd, getEnv), cancellationToken).ConfigureAwait(false);
        return jobs.Count == 0 ? null : jobs[0];
    }

    /// <summary>What decides why jobs are not running beyond their own records (mode, limit groups, runner sizes, scheduler notes): fetch once, explain many.</summary>
    public Task<WhyContext> GetWhyContextAsync(CancellationToken cancellationToken = default) =>
        Call("GetWhyContext", Server.GetWhyContext(), cancellationToken);

    /// <summary>What each of the dependent jobs <paramref name="keys"/> still waits on, by key (to explain many jobs at once with <see cref="JobReasons.Explain"/>).</summary>
    public Task<IReadOnlyDictionary<string, DependencyWait>> GetDependencyWaitsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return Call("GetDependencyWaits", _cluster.GetGrain<IJobQueryGrain>(0).DependencyWaits(keys), cancellationToken);
    }

    /// <summary>One line for each reason that <paramref name="job"/> is not running (or where it is), including how many jobs go before it.</summary>
    public Task<IReadOnlyList<string>> WhyAsync(Job job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Call("Why", _cluster.ExplainAsync(job), cancellationToken);
    }
}
