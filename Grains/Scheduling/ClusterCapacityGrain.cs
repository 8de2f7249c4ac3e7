namespace JobQueue.Grains.Scheduling;

/// <summary>
/// Holds, in memory, what each manager's scheduler offered lately. Managers report every scheduler tick; the view is
/// settled once as many managers have reported as the cluster has live members (after this grain moved, or while a
/// manager is still starting, it is not, and nothing is called impossible).
/// </summary>
public sealed class ClusterCapacityGrain(TimeProvider time) : Grain, IClusterCapacityGrain
{
    /// <summary>How long an offer counts: a manager gone for longer no longer offers its machine.</summary>
    public static readonly TimeSpan OfferLifetime = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (MachineSize Size, DateTimeOffset At)> _offers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _pending = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<CapacityView> Offer(string manager, MachineSize size)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(size);
        var now = time.GetUtcNow();
        _offers[manager] = (size, now);
        foreach (var stale in _offers.Where(o => now - o.Value.At > OfferLifetime).Select(o => o.Key).ToList())
        {
            _offers.Remove(stale);
        }

        var members = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).ConfigureAwait(true);
        return new CapacityView([.. _offers.Values.Select(o => o.Size)], _offers.Count >= members.Count, [.. _offers.Keys]);
    }

    /// <inheritdoc />
    public Task<CapacityView> View()
    {
        var now = time.GetUtcNow();
        var fresh = _offers.Where(o => now - o.Value.At <= OfferLifetime).ToList();
        return Task.FromResult(new CapacityView([.. fresh.Select(o => o.Value.Size)], false, [.. fresh.Select(o => o.Key)]));
    }

    /// <inheritdoc />
    public Task Explain(string manager, IReadOnlyDictionary<string, string> pendingByGroup)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _pending[manager] = pendingByGroup ?? new Dictionary<string, string>();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> Explanations()
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (manager, notes) in _pending.Where(p => _offers.ContainsKey(p.Key)))
        {
            foreach (var (group, note) in notes)
            {
                merged[group] = merged.TryGetValue(group, out var other) ? $"{other}; {note}" : note;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, string>>(merged);
    }
}
