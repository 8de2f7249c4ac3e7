using JobQueue.Grains.Storage;

namespace JobQueue.Tests.Storage;

/// <summary>Job rows for the store's tests.</summary>
public static class Records
{
    /// <summary>A ready job running <paramref name="cmd"/> in /tmp, of rep group "rep", added at <paramref name="addedAt"/>.</summary>
    public static JobRecord Ready(string cmd, DateTimeOffset addedAt, int priority = 0, string queue = "q1") => new()
    {
        Key = JobKey.For("/tmp", cmd),
        Version = 1,
        Cmd = cmd,
        Cwd = "/tmp",
        RepGroup = "rep",
        ReqGroup = "req",
        RamMb = 100,
        Time = TimeSpan.FromHours(1),
        Cores = 1,
        Priority = priority,
        EnvKey = "env",
        Queue = queue,
        State = JobState.Ready,
        UntilBuried = 4,
        AddedAt = addedAt,
    };

    /// <summary>A write that adds a ready job running <paramref name="cmd"/>.</summary>
    public static InsertJobs Insert(string cmd) => new([Ready(cmd, DateTimeOffset.UtcNow)], new Dictionary<string, byte[]>());
}
