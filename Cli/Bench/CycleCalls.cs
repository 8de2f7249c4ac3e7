namespace JobQueue.Cli.Bench;

/// <summary>How a benchmark client takes a job through its cycle.</summary>
public enum CycleCalls
{
    /// <summary>As runners do: reserve-and-start, then ended-and-archive (two calls, two commits).</summary>
    Runner,

    /// <summary>Reserve, started, then ended-and-archive (three calls).</summary>
    StartedApart,

    /// <summary>The model's four calls: reserve, started, ended, archive.</summary>
    Model,
}
