namespace JobQueue.Grains.Manager;

/// <summary>How many runners this manager's scheduler has alive (reported in the server stats).</summary>
public sealed class RunnerTracker
{
    private int _count;

    /// <summary>Runners alive now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Updates the count.</summary>
    public void Set(int count) => Volatile.Write(ref _count, count);
}
