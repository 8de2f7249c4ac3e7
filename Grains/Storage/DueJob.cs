namespace JobQueue.Grains.Storage;

/// <summary>A job whose delay or lease has run out, and its place in the due index (due time, then add order).</summary>
public sealed record DueJob(string Key, long DueAt, long Seq);
