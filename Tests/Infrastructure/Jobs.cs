namespace JobQueue.Tests.Infrastructure;

/// <summary>Builders for test jobs.</summary>
public static class Jobs
{
    /// <summary>A unique name, so tests sharing a cluster never see each other's jobs.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A job running <paramref name="cmd"/> in /tmp; its req group is its rep group, so learning from other tests never moves it.</summary>
    public static JobSpec Spec(string cmd, string repGroup, int priority = 0, int retries = 3, int ramMb = 0, string cwd = "/tmp") => new()
    {
        Cmd = cmd,
        Cwd = cwd,
        RepGroup = repGroup,
        ReqGroup = repGroup,
        Priority = priority,
        Retries = retries,
        RamMb = ramMb,
    };

    /// <summary>A scheduler group of its own (a memory size nobody else uses) for isolated reservations.</summary>
    public static int UniqueRam() => 200_000 + Random.Shared.Next(1_000_000);

    /// <summary>The scheduler group of jobs with default time and cores and this memory.</summary>
    public static string GroupFor(int ramMb) => SchedulerGroup.For(ramMb, JobQueueDefaults.Time, JobQueueDefaults.Cores);
}
