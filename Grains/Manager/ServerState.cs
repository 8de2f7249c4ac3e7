namespace JobQueue.Grains.Manager;

/// <summary>The manager's durable mode (kept in Orleans grain storage): normal, draining, or asked to shut down.</summary>
// The alias predates the folder's rename: stored state of existing installations must still read.
[GenerateSerializer, Alias("JobQueue.Grains.Server.ServerState")]
public sealed class ServerState
{
    /// <summary>"started" or "draining".</summary>
    [Id(0)] public string Mode { get; set; } = ModeNames.Started;

    /// <summary>True once a shutdown was asked for.</summary>
    [Id(1)] public bool ShutdownRequested { get; set; }

    /// <summary>When a manager process last started.</summary>
    [Id(2)] public DateTimeOffset LastStartedAt { get; set; }
}
