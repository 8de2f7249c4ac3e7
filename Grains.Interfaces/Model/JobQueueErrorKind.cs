namespace JobQueue;

/// <summary>The kinds of error the queue reports; they mirror the model's Err* values.</summary>
[GenerateSerializer, Alias("JobQueue.JobQueueErrorKind")]
public enum JobQueueErrorKind
{
    /// <summary>The request itself was malformed (missing or out-of-range arguments).</summary>
    BadRequest = 0,

    /// <summary>The job is not in a state that allows the operation, or its fields are invalid.</summary>
    BadJob = 1,

    /// <summary>No such job.</summary>
    MissingJob = 2,

    /// <summary>The caller does not hold the job's current lease.</summary>
    MustReserve = 3,

    /// <summary>The queue is closed (draining or shutting down).</summary>
    QueueClosed = 4,

    /// <summary>The server could not be reached.</summary>
    NoServer = 5,

    /// <summary>The database failed.</summary>
    DbError = 6,

    /// <summary>An unexpected internal error.</summary>
    Internal = 7,

    /// <summary>The manager refused this client's credentials, or the client has none it can read.</summary>
    NotAuthorised = 8,
}
