namespace JobQueue;

/// <summary>What a bulk action does to each job it selects.</summary>
[GenerateSerializer, Alias("JobQueue.BulkAction")]
public enum BulkAction
{
    /// <summary>Buried jobs become ready again with their retries restored (the CLI's retry).</summary>
    Kick = 0,

    /// <summary>Jobs that are not reserved, running or complete are removed (the CLI's remove).</summary>
    Delete = 1,

    /// <summary>Reserved and running jobs are stopped and buried (the CLI's kill).</summary>
    Kill = 2,

    /// <summary>As <see cref="Delete"/>, and first every job that waits on a removed one, however indirectly (remove --with-dependents).</summary>
    DeleteWithDependents = 3,
}
