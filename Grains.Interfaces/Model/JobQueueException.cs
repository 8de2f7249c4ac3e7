namespace JobQueue;

/// <summary>The one exception type of the job queue; <see cref="Kind"/> says what went wrong.</summary>
[GenerateSerializer, Alias("JobQueue.JobQueueException")]
public sealed class JobQueueException : Exception
{
    /// <summary>Creates an error of <paramref name="kind"/> raised by <paramref name="operation"/>.</summary>
    public JobQueueException(JobQueueErrorKind kind, string operation, string? jobKey = null, string? detail = null, Exception? inner = null)
        : base(Format(kind, operation, jobKey, detail), inner)
    {
        Kind = kind;
        Operation = operation;
        JobKey = jobKey;
        Detail = detail;
    }

    /// <summary>Creates a BadJob error listing every problem of a rejected batch.</summary>
    public JobQueueException(string operation, IReadOnlyList<JobProblem> problems)
        : this(JobQueueErrorKind.BadJob, operation, problems.Count == 1 ? problems[0].Key : null, string.Join("; ", problems))
    {
        Problems = problems;
    }

    /// <summary>Creates an internal error; present for serialization frameworks.</summary>
    public JobQueueException()
        : this(JobQueueErrorKind.Internal, "unknown")
    {
    }

    /// <summary>Creates an internal error with a message.</summary>
    public JobQueueException(string message)
        : base(message)
    {
        Operation = "unknown";
    }

    /// <summary>Creates an internal error with a message and a cause.</summary>
    public JobQueueException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = "unknown";
    }

    /// <summary>What went wrong.</summary>
    [Id(0)] public JobQueueErrorKind Kind { get; private set; } = JobQueueErrorKind.Internal;

    /// <summary>The operation that failed, e.g. "Touch".</summary>
    [Id(1)] public string Operation { get; private set; }

    /// <summary>The key of the job concerned, if one.</summary>
    [Id(2)] public string? JobKey { get; private set; }

    /// <summary>Further detail, naming the field where one is at fault.</summary>
    [Id(3)] public string? Detail { get; private set; }

    /// <summary>For a rejected batch: each offending job and field.</summary>
    [Id(4)] public IReadOnlyList<JobProblem> Problems { get; private set; } = [];

    /// <summary>The model's text for an error kind.</summary>
    public static string Describe(JobQueueErrorKind kind) => kind switch
    {
        JobQueueErrorKind.BadRequest => "bad request (missing arguments?)",
        JobQueueErrorKind.BadJob => "bad job (not in queue or correct sub-queue)",
        JobQueueErrorKind.MissingJob => "corresponding job not found",
        JobQueueErrorKind.MustReserve => "you must Reserve() a Job before passing it to other methods",
        JobQueueErrorKind.QueueClosed => "queue closed",
        JobQueueErrorKind.NoServer => "could not reach the server",
        JobQueueErrorKind.DbError => "failed to use database",
        JobQueueErrorKind.NotAuthorised => "not authorised",
        _ => "internal error",
    };

    private static string Format(JobQueueErrorKind kind, string operation, string? jobKey, string? detail)
    {
        var where = jobKey is null ? operation : $"{operation}({jobKey})";
        return detail is null ? $"jobqueue {where}: {Describe(kind)}" : $"jobqueue {where}: {Describe(kind)}: {detail}";
    }
}
