namespace JobQueue.Grains.Storage;

/// <summary>A running (or reserved) job's timing, for the estimated time to completion.</summary>
public sealed record RunningJob(string Key, string Queue, DateTimeOffset? StartedAt, TimeSpan Time);
