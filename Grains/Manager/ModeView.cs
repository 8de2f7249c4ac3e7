namespace JobQueue.Grains.Manager;

/// <summary>This silo's view of the manager's mode; the queue grains consult it before every reservation.</summary>
public sealed class ModeView
{
    private volatile bool _draining;
    private volatile bool _paused;
    private volatile bool _shutdownRequested;

    /// <summary>Raised when the mode changes.</summary>
    public event Action? Changed;

    /// <summary>True once a drain was asked for: no new reservations.</summary>
    public bool IsDraining => _draining;

    /// <summary>True while paused: no new reservations until resumed.</summary>
    public bool IsPaused => _paused;

    /// <summary>True when reservations are handed out: neither draining nor paused.</summary>
    public bool HandsOutJobs => !_draining && !_paused;

    /// <summary>True once a shutdown was asked for.</summary>
    public bool ShutdownRequested => _shutdownRequested;

    /// <summary>The mode's name.</summary>
    public string Name => _draining ? ModeNames.Draining : _paused ? ModeNames.Paused : ModeNames.Started;

    /// <summary>Sets the mode.</summary>
    public void Set(ManagerMode mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        var draining = mode.Mode == ModeNames.Draining || mode.ShutdownRequested;
        var paused = mode.Mode == ModeNames.Paused && !draining;
        var changed = draining != _draining || paused != _paused || mode.ShutdownRequested != _shutdownRequested;
        _draining = draining;
        _paused = paused;
        _shutdownRequested = mode.ShutdownRequested;
        if (changed)
        {
            Changed?.Invoke();
        }
    }
}
