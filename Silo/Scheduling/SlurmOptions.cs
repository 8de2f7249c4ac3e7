namespace JobQueue.Silo.Scheduling;

/// <summary>How runners are submitted to Slurm (configuration section "Slurm"; used with Manager:Scheduler=slurm).</summary>
public sealed class SlurmOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Slurm";

    /// <summary>The partition; empty: per group, the partition with the shortest time limit that fits. Default: empty.</summary>
    public string Partition { get; set; } = "";

    /// <summary>The account to charge (sbatch --account), if any.</summary>
    public string Account { get; set; } = "";

    /// <summary>The quality of service (sbatch --qos), if any.</summary>
    public string Qos { get; set; } = "";

    /// <summary>Further sbatch arguments, passed verbatim (split on spaces).</summary>
    public string ExtraArgs { get; set; } = "";

    /// <summary>The most runner jobs, pending and running together, across all groups. Default: 100.</summary>
    public int MaxRunners { get; set; } = 100;

    /// <summary>Seconds a runner waits for another job of its group before it exits and frees its allocation. Default: 30.</summary>
    public int RunnerIdleTimeout { get; set; } = 30;

    /// <summary>Minutes each runner job asks for (at least its group's time); it runs jobs until it could not finish another. Default: 720.</summary>
    public int RunnerMinutes { get; set; } = 720;

    /// <summary>Where Slurm writes each runner job's output (sbatch --output). Default: /dev/null.</summary>
    public string Output { get; set; } = "/dev/null";

    /// <summary>Seconds between looks at the queue (one squeue call for all groups). Default: 3.</summary>
    public int PollSeconds { get; set; } = 3;

    /// <summary>The problem with these options, or null.</summary>
    public string? Validate()
    {
        if (MaxRunners < 1)
        {
            return $"Slurm:MaxRunners is {MaxRunners}; it must be at least 1";
        }

        if (RunnerIdleTimeout < 1 || RunnerMinutes < 1 || PollSeconds < 1)
        {
            return "Slurm:RunnerIdleTimeout, Slurm:RunnerMinutes and Slurm:PollSeconds must be at least 1";
        }

        return null;
    }
}
