namespace JobQueue.Client.Execution;

/// <summary>How <see cref="JobQueueClient.ExecuteAsync"/> watches a command.</summary>
public sealed class ExecuteOptions
{
    /// <summary>How often the lease is touched while the command runs. Default: null, a quarter of the lease.</summary>
    public TimeSpan? TouchInterval { get; set; }

    /// <summary>How often memory and time are checked. Default: 1 second.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long past its reserved time a command may run before it is killed. Default: 5 minutes.</summary>
    public TimeSpan TimeMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Kill commands whose memory exceeds their reservation. Default: true.</summary>
    public bool EnforceMemory { get; set; } = true;

    /// <summary>The host name recorded on started jobs. Default: this machine's name.</summary>
    public string Host { get; set; } = Environment.MachineName;
}
