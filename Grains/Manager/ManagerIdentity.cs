namespace JobQueue.Grains.Manager;

/// <summary>How this manager process presents itself to clients (filled in by the host).</summary>
public sealed class ManagerIdentity
{
    /// <summary>The host name clients use.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The gateway port clients connect to.</summary>
    public int GatewayPort { get; set; }

    /// <summary>The web interface port, or 0.</summary>
    public int WebPort { get; set; }

    /// <summary>"production" or "development".</summary>
    public string Deployment { get; set; } = "production";

    /// <summary>The scheduler runners are submitted to ("local" or "none").</summary>
    public string Scheduler { get; set; } = "none";

    /// <summary>When this process started.</summary>
    public DateTimeOffset StartedAt { get; set; } = DateTimeOffset.UtcNow;
}
