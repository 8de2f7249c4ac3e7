using System.Collections.Concurrent;
using JobQueue.Grains.Storage;
using Microsoft.Extensions.Options;

namespace JobQueue.Grains.Learning;

/// <summary>Serves learned requirements per req group from the store's histograms, cached briefly per silo.</summary>
public sealed class ResourceAdvisor(IJobStore store, IOptions<JobQueueOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (Recommendation? Value, DateTimeOffset FetchedAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>The recommendation for a req group, or null if it has too few runs.</summary>
    public async Task<Recommendation?> RecommendAsync(string reqGroup, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(reqGroup, out var cached) && now - cached.FetchedAt < options.Value.LearningCacheTime)
        {
            return cached.Value;
        }

        var history = await store.GetReqGroupHistoryAsync(reqGroup, cancellationToken).ConfigureAwait(false);
        var recommendation = Requirements.Recommend(history, options.Value.LearningMinimumRuns);
        _cache[reqGroup] = (recommendation, now);
        return recommendation;
    }

    /// <summary>Forgets the cached recommendation after a new run of the group was stored.</summary>
    public void Invalidate(string reqGroup) => _cache.TryRemove(reqGroup, out _);
}
