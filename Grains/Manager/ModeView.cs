namespace JobQueue.Grains.Manager;

/// <summary>This silo's view of the manager's mode; the queue grains consult it before every reservation.</summary>
public sealed class ModeView
{
    private volatile bool _draining;
    private volatile bool _shutdownRequested;

    /// <summary>Raised when the mode changes.</summary>
    public event Action? Changed;

    /// <summary>True once a drain was asked for: no new reservations.</summary>
    public bool IsDraining => _draining;

    /// <summary>True once a shutdown was asked for.</summary>
    public bool ShutdownRequested => _shutdownRequested;

    /// <summary>The mode's name.</summary>
    public string Name => _draining ? ModeNames.Draining : ModeNames.Started;

    /// <summary>Sets the mode.</summary>
    public void Set(ManagerMode mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        var draining = mode.Mode == ModeNames.Draining || mode.ShutdownRequested;
        var changed = draining != _draining || mode.ShutdownRequested != _shutdownRequested;
        _draining = draining;
        _shutdownRequested = mode.ShutdownRequested;
        if (changed)
        {
            Changed?.Invoke();
        }
    }
}
