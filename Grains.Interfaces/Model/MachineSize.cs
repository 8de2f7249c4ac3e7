namespace JobQueue;

/// <summary>The most one runner of a scheduler can have.</summary>
/// <param name="RamMb">Memory, MB.</param>
/// <param name="Cores">Cores.</param>
[GenerateSerializer, Immutable, Alias("JobQueue.MachineSize")]
public sealed record MachineSize([property: Id(0)] int RamMb, [property: Id(1)] int Cores)
{
    /// <summary>True if a job needing <paramref name="ramMb"/> and <paramref name="cores"/> fits.</summary>
    public bool Fits(int ramMb, int cores) => ramMb <= RamMb && cores <= Cores;
}
