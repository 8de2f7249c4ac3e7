using System.Collections.Concurrent;
using JobQueue.Grains;

namespace JobQueue.Tests.Queue;

/// <summary>A fault for the test host: waking the chosen jobs fails, so they stay due.</summary>
public sealed class StuckWakes : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, int> _stuck = new(StringComparer.Ordinal);

    /// <summary>Makes every wake of the job with this key fail.</summary>
    public void Stick(string key) => _stuck[key] = 0;

    /// <summary>How often a wake of a stuck job was tried.</summary>
    public int Tries(string key) => _stuck.GetValueOrDefault(key);

    public Task Invoke(IIncomingGrainCallContext context)
    {
        var key = context.TargetId.Key.ToString();
        if (context.InterfaceMethod?.Name == nameof(IJobGrain.WakeIfDue) && key is not null && _stuck.ContainsKey(key))
        {
            _stuck.AddOrUpdate(key, 1, (_, tries) => tries + 1);
            throw new InvalidOperationException("this job cannot be woken (test fault)");
        }

        return context.Invoke();
    }
}
