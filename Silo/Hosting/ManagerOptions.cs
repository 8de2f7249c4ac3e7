using JobQueue.Grains.Storage;
using JobQueue.Home;

namespace JobQueue.Silo.Hosting;

/// <summary>How the manager runs (configuration section "Manager").</summary>
public sealed class ManagerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Manager";

    /// <summary>Where this installation keeps its database, logs and manager file. Default: $JOBQUEUE_HOME, else ~/.jobqueue.</summary>
    public string Home { get; set; } = JobQueueHome.Default;

    /// <summary>"production" keeps the database; "development" starts from an empty one. Default: production.</summary>
    public string Deployment { get; set; } = Deployments.Production;

    /// <summary>The port clients connect to; 0 picks a free one. Default: 0.</summary>
    public int Port { get; set; }

    /// <summary>The port silos talk to each other on; 0 picks a free one. Default: 0.</summary>
    public int SiloPort { get; set; }

    /// <summary>The port of the web interface; 0 picks a free one, -1 turns it off. Default: 0.</summary>
    public int WebPort { get; set; }

    /// <summary>
    /// The address the web interface binds to. Default: 127.0.0.1 (this machine only); the metrics endpoint needs the
    /// token once it binds elsewhere.
    /// </summary>
    public string WebHost { get; set; } = "127.0.0.1";

    /// <summary>
    /// The web interface's access token. Default: none, so a random one is made at the first start and kept in the
    /// database (every manager of a cluster shares it) and in $JOBQUEUE_HOME/web.token.
    /// </summary>
    public string? WebToken { get; set; }

    /// <summary>
    /// Mutual TLS on every silo and client connection, with a certificate authority created in $JOBQUEUE_HOME/tls at the
    /// first start (a cluster shares it: jobqueue manager cert export/import). Default: true. Turn it off only on a
    /// network where everyone who can reach the ports may run commands as this user.
    /// </summary>
    public bool Tls { get; set; } = true;

    /// <summary>Where runners are started: "local" (this machine), "slurm" (submitted to Slurm) or "none" (start runners yourself). Default: local.</summary>
    public string Scheduler { get; set; } = "local";

    /// <summary>Cores the local scheduler may use; 0 means all of this machine's. Default: 0.</summary>
    public int MaxCores { get; set; }

    /// <summary>Memory (MB) the local scheduler may use; 0 means the machine's total memory. Default: 0.</summary>
    public int MaxRamMb { get; set; }

    /// <summary>
    /// The command that starts a runner, with the placeholders {queue}, {group}, {deployment}, {server},
    /// {reserve_timeout} and {max_mins}. Default: the built jobqueue-runner next to this program.
    /// </summary>
    public string? RunnerCmd { get; set; }

    /// <summary>How long a runner waits for a job before it exits, in seconds. Default: 10.</summary>
    public int RunnerReserveTimeout { get; set; } = 10;

    /// <summary>The Orleans cluster id shared with clients. Default: "jobqueue".</summary>
    public string ClusterId { get; set; } = "jobqueue";

    /// <summary>The Orleans service id shared with clients. Default: "jobqueue".</summary>
    public string ServiceId { get; set; } = "jobqueue";

    /// <summary>The address other silos and clients reach this one at (cluster mode). Default: 127.0.0.1.</summary>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>Also log to the console (a foreground manager); the log file $JOBQUEUE_HOME/logs/manager.log is always written. Default: true.</summary>
    public bool LogToConsole { get; set; } = true;

    /// <summary>
    /// Serve the Orleans Dashboard at /dashboard (with a web port). Default: true. False leaves it out: it holds its web
    /// assets in memory (an idle manager took 199 MB with it, 133 without) and times every grain call for its charts.
    /// </summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>The problem with these options, or null if they are usable.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Home))
        {
            return "Manager:Home is empty; set JOBQUEUE_HOME or Manager:Home";
        }

        if (Deployment is not (Deployments.Production or Deployments.Development))
        {
            return $"deployment is \"{Deployment}\"; it must be \"production\" or \"development\"";
        }

        foreach (var (name, port, min) in new[] { ("Port", Port, 0), ("SiloPort", SiloPort, 0), ("WebPort", WebPort, -1) })
        {
            if (port < min || port > 65535)
            {
                return $"Manager:{name} is {port}; it must be between {min} and 65535";
            }
        }

        if (WebToken is { Length: < 16 })
        {
            return "Manager:WebToken is too short; use at least 16 characters (or leave it unset for a random one)";
        }

        if (Scheduler is not ("local" or "slurm" or "none"))
        {
            return $"scheduler is \"{Scheduler}\"; it must be \"local\", \"slurm\" or \"none\"";
        }

        if (MaxCores < 0 || MaxRamMb < 0)
        {
            return "Manager:MaxCores and Manager:MaxRamMb must not be negative";
        }

        if (RunnerReserveTimeout <= 0)
        {
            return "Manager:RunnerReserveTimeout must be at least 1 second";
        }

        return null;
    }
}
