namespace JobQueue;

/// <summary>Defaults and limits shared by clients, runners and the server; values follow the model.</summary>
public static class JobQueueDefaults
{
    /// <summary>The name of the queue a manager serves, as in the model's runner command line.</summary>
    public const string QueueName = "cmds";

    /// <summary>How long a reservation lasts without a touch. Default: 60 seconds.</summary>
    public static readonly TimeSpan TimeToRelease = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest one reserve call is held at the manager waiting for a job; a client wanting to wait longer calls again.
    /// Short, so that a call held by a manager that dies costs little (see <see cref="ReserveResponseTimeoutText"/>).
    /// </summary>
    public static readonly TimeSpan ReserveCallWait = TimeSpan.FromSeconds(2);

    /// <summary>How long a client waits for a reserve call's answer: <see cref="ReserveCallWait"/> and time to take the job.</summary>
    public const string ReserveResponseTimeoutText = "00:00:04";

    /// <summary>
    /// How long the holder of a lease waits for the answer to a touch or a report before it tries again (each is safe
    /// to repeat): a call caught by a dying manager fails in seconds, not Orleans' default 30 s.
    /// </summary>
    public const string LeaseCallTimeoutText = "00:00:10";

    /// <summary>How long a failed job waits before it is ready again. Default: 30 seconds.</summary>
    public static readonly TimeSpan ReleaseDelay = TimeSpan.FromSeconds(30);

    /// <summary>Memory a job reserves when neither the user nor learning says otherwise.</summary>
    public const int RamMb = 1000;

    /// <summary>Time a job reserves when neither the user nor learning says otherwise.</summary>
    public static readonly TimeSpan Time = TimeSpan.FromHours(1);

    /// <summary>Cores a job reserves unless told otherwise.</summary>
    public const int Cores = 1;

    /// <summary>How many times a failing job is retried before it is buried, unless told otherwise.</summary>
    public const int Retries = 3;

    /// <summary>The rep group of jobs added without one.</summary>
    public const string RepGroup = "manually_added";

    /// <summary>The longest command accepted, in UTF-8 bytes (128 KiB).</summary>
    public const int MaxCmdBytes = 128 * 1024;

    /// <summary>The longest rep group, req group or environment entry accepted, in characters.</summary>
    public const int MaxNameLength = 4096;

    /// <summary>How much of the start and of the end of stdout and stderr is kept (4 KiB each).</summary>
    public const int OutputKeepBytes = 4096;

    /// <summary>The most output bytes of one stream a report may carry: head, omission marker and tail.</summary>
    public const int MaxReportedOutputBytes = (2 * OutputKeepBytes) + 64;

    /// <summary>The most jobs one page of a listing holds.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>The most jobs one step of a bulk action changes; the caller goes on from the cursor it returns.</summary>
    public const int BulkStepSize = 5000;

    /// <summary>The largest priority and retry count.</summary>
    public const int MaxByteValue = 255;

    /// <summary>The most ready jobs ahead of a job that "why" counts (the count is bounded work).</summary>
    public const int MaxAheadCount = 10_000;

    /// <summary>Learned memory is rounded up to this many MB.</summary>
    public const int RecommendedRamRoundMb = 100;

    /// <summary>Learned time is rounded up to this many seconds (30 minutes).</summary>
    public const int RecommendedTimeRoundSeconds = 1800;

    /// <summary>After a RAM failure memory grows at least by this many MB.</summary>
    public const int RamIncreaseMinMb = 1000;

    /// <summary>Multiplier of peak memory after a RAM failure when the peak is at most <see cref="RamIncreaseBreakpointMb"/>.</summary>
    public const double RamIncreaseMultLow = 2.0;

    /// <summary>Multiplier of peak memory after a RAM failure above <see cref="RamIncreaseBreakpointMb"/>.</summary>
    public const double RamIncreaseMultHigh = 1.3;

    /// <summary>The peak memory (MB) where the RAM increase multiplier changes.</summary>
    public const int RamIncreaseBreakpointMb = 8192;

    /// <summary>How much time is added after a time failure.</summary>
    public static readonly TimeSpan TimeIncrease = TimeSpan.FromHours(1);
}
