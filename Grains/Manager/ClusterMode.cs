using System.Globalization;
using JobQueue.Grains.Storage;

namespace JobQueue.Grains.Manager;

/// <summary>
/// The cluster's mode (started, paused, draining, shutdown asked for) kept in the store, not in any one grain: every manager
/// reads it at start and once a second, applies it to its <see cref="ModeView"/> and acknowledges each new version, so
/// a change returns once every live manager applies it, and no manager's death hides it from the others.
/// </summary>
public sealed class ClusterMode(IJobStore store, ModeView view, ILocalSiloDetails silo, IGrainFactory grains, TimeProvider time)
{
    private const string Setting = "manager_mode";
    private const string SeenPrefix = "manager_mode_seen:";
    private static readonly TimeSpan AckPatience = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private long _applied = -1;

    /// <summary>
    /// At start-up, before this manager serves: a drain in the store holds from the start. A shutdown asked for is
    /// left to <see cref="StartedAsync"/>, which knows whether it belongs to a cluster that is stopping or to the last run.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var (_, mode) = Parse(await store.GetSettingAsync(Setting, cancellationToken).ConfigureAwait(false));
        view.Set(mode with { ShutdownRequested = false });
    }

    /// <summary>
    /// Once this manager is active: if it is the cluster's only one, the cluster starts afresh (started, or still paused);
    /// otherwise it joins whatever the others are doing, a drain or a shutdown included.
    /// </summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var managers = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).ConfigureAwait(false);
        if (managers.Count <= 1)
        {
            // A pause outlives a restart (someone is fixing something); a drain or a shutdown was of the last run.
            await ChangeAsync(m => new ManagerMode(m.Mode == ModeNames.Paused ? ModeNames.Paused : ModeNames.Started, false), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the stored mode and applies it here; acknowledges a version not seen before.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (version, mode) = Parse(await store.GetSettingAsync(Setting, cancellationToken).ConfigureAwait(false));
            if (version == _applied)
            {
                return;
            }

            view.Set(mode);
            await store.SetSettingAsync(SeenPrefix + Key(silo.SiloAddress), version.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            _applied = version;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>
    /// Changes the mode for the whole cluster and returns once every live manager applied it (or after 10 s, when one
    /// does not answer: such a manager is about to be declared dead, and it reads the mode before serving again).
    /// </summary>
    public async Task<ManagerMode> ChangeAsync(Func<ManagerMode, ManagerMode> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (version, mode) = Parse(await store.GetSettingAsync(Setting, cancellationToken).ConfigureAwait(false));
        var next = change(mode);
        var nextVersion = version + 1;
        await store.SetSettingAsync(Setting, Format(nextVersion, next), cancellationToken).ConfigureAwait(false);
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        var deadline = time.GetUtcNow() + AckPatience;
        while (time.GetUtcNow() < deadline && await AnyBehindAsync(nextVersion, cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
        }

        return next;
    }

    private async Task<bool> AnyBehindAsync(long version, CancellationToken cancellationToken)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).ConfigureAwait(false);
        foreach (var host in hosts.Keys)
        {
            var seen = await store.GetSettingAsync(SeenPrefix + Key(host), cancellationToken).ConfigureAwait(false);
            if (!long.TryParse(seen, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < version)
            {
                return true;
            }
        }

        return false;
    }

    // By endpoint, not generation: a manager restarted on its port reuses its row instead of adding one.
    private static string Key(SiloAddress address) => address.Endpoint.ToString();

    private static string Format(long version, ManagerMode mode) =>
        string.Create(CultureInfo.InvariantCulture, $"{version}:{mode.Mode}:{(mode.ShutdownRequested ? 1 : 0)}");

    private static (long Version, ManagerMode Mode) Parse(string? stored)
    {
        var parts = stored?.Split(':') ?? [];
        return parts.Length == 3 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var version)
            ? (version, new ManagerMode(parts[1], parts[2] == "1"))
            : (0, new ManagerMode(ModeNames.Started, false));
    }
}
