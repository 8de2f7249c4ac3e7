namespace JobQueue.Grains.Storage.Postgres;

/// <summary>The PostgreSQL schema of the job store; every statement is idempotent.</summary>
internal static class PostgresSchema
{
    /// <summary>Serialises schema changes of silos starting together.</summary>
    public const long SchemaLockKey = 0x4A6F6251_75657565;

    public const string Tables = "jq_meta, jq_jobs, jq_history, jq_envs, jq_counts, jq_queues, jq_req_hist, jq_stats, jq_stats_hist, jq_limits, jq_dep_groups, jq_dep_members, jq_job_deps, jq_dep_waits";

    /// <summary>The script that creates what is missing (Storage/Sql/PostgreSQL-Jobs.sql).</summary>
    public static readonly string Create = JobQueueStorage.JobSchema("PostgreSQL-Jobs.sql");

    /// <summary>Splits the counters and statistics into per-manager shards (Storage/Sql/PostgreSQL-Shards.sql); idempotent.</summary>
    public static readonly string Shards = JobQueueStorage.Script("PostgreSQL-Shards.sql");
}
