using System.Collections.Concurrent;
using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Jobs;

/// <summary>Decoded environments by key; environments never change once stored, so entries never go stale.</summary>
public sealed class EnvironmentCache(IJobStore store)
{
    private const int Capacity = 1024;
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _entries = new(StringComparer.Ordinal);

    /// <summary>The environment with this key, or null if it is missing or cannot be decoded.</summary>
    public async Task<IReadOnlyList<string>?> GetAsync(string envKey, CancellationToken cancellationToken = default)
    {
        if (_entries.TryGetValue(envKey, out var env))
        {
            return env;
        }

        var blob = await store.GetEnvAsync(envKey, cancellationToken).ConfigureAwait(false);
        if (blob is null || !EnvironmentBlob.TryDecode(envKey, blob, out env))
        {
            // Missing or unreadable: the job must not silently run under someone else's environment.
            return null;
        }

        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[envKey] = env;
        return env;
    }
}
