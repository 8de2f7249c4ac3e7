namespace JobQueue;

/// <summary>Which job to act on: by command and working directory, or by key.</summary>
[GenerateSerializer, Immutable, Alias("JobQueue.JobRef")]
public sealed record JobRef([property: Id(0)] string Key)
{
    /// <summary>The job that runs <paramref name="cmd"/> in <paramref name="cwd"/>.</summary>
    public static JobRef For(string cmd, string cwd) => new(JobKey.For(cwd, cmd));
}
