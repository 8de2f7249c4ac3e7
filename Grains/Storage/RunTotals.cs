namespace JobQueue.Grains.Storage;

/// <summary>
/// What the statistics table keeps per count group: how many measured runs, and the sums and sums of squares of their
/// peak memory (MB), wall time and CPU time (seconds), from which means and deviations follow without a scan.
/// </summary>
public readonly record struct RunTotals(long N, double RamSum, double RamSquares, double WallSum, double WallSquares, double CpuSum, double CpuSquares)
{
    /// <summary>
    /// A job's contribution: one run if it has been measured (it exited or ran for a while) and is not leased now
    /// (a leased job's row still holds its previous run, which would count twice); otherwise none.
    /// </summary>
    public static RunTotals? Of(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.State.IsLeased() || !(job.Exited || job.Walltime > TimeSpan.Zero))
        {
            return null;
        }

        double ram = job.PeakRamMb, wall = job.Walltime.TotalSeconds, cpu = job.CpuTime.TotalSeconds;
        return new RunTotals(1, ram, ram * ram, wall, wall * wall, cpu, cpu * cpu);
    }

    /// <summary>Sums two totals.</summary>
    public static RunTotals operator +(RunTotals a, RunTotals b) => new(
        a.N + b.N, a.RamSum + b.RamSum, a.RamSquares + b.RamSquares, a.WallSum + b.WallSum, a.WallSquares + b.WallSquares, a.CpuSum + b.CpuSum, a.CpuSquares + b.CpuSquares);

    /// <summary>Takes a run away.</summary>
    public static RunTotals operator -(RunTotals a) => new(-a.N, -a.RamSum, -a.RamSquares, -a.WallSum, -a.WallSquares, -a.CpuSum, -a.CpuSquares);

    /// <summary>Sums two totals.</summary>
    public static RunTotals Add(RunTotals a, RunTotals b) => a + b;

    /// <summary>Takes a run away.</summary>
    public static RunTotals Negate(RunTotals a) => -a;
}
