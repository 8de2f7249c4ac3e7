namespace JobQueue;

/// <summary>The manager's modes, as in the model.</summary>
public static class ModeNames
{
    /// <summary>Running normally.</summary>
    public const string Started = "started";

    /// <summary>No new reservations; waiting for running jobs to finish.</summary>
    public const string Draining = "draining";

    /// <summary>No new reservations until resumed; running jobs go on, and the manager stays.</summary>
    public const string Paused = "paused";
}
