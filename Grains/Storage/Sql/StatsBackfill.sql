-- Run once, when jq_meta has no stats_version yet (see JobQueueStorage.StatsBackfill).
-- A database made before these tables existed gets them computed once from its rows (the same rule as RunTotals.Of:
-- runs that exited or ran for a while, of jobs not leased now).
INSERT INTO jq_stats (rep_group, state, exit_code, fail_reason, n, ram_sum, ram_sq, wall_sum, wall_sq, cpu_sum, cpu_sq)
SELECT rep_group, state, exit_code, fail_reason, COUNT(*), SUM(ram), SUM(ram * ram), SUM(wall), SUM(wall * wall), SUM(cpu), SUM(cpu * cpu)
FROM (
    SELECT rep_group, state, CASE WHEN exited <> 0 THEN exit_code ELSE -1 END AS exit_code, fail_reason,
           CAST(peak_ram_mb AS DOUBLE PRECISION) AS ram, walltime_ms / 1000.0 AS wall, cputime_ms / 1000.0 AS cpu
    FROM jq_jobs WHERE state NOT IN (2, 3) AND (exited <> 0 OR walltime_ms > 0)
    UNION ALL
    SELECT rep_group, 5, CASE WHEN exited <> 0 THEN exit_code ELSE -1 END, fail_reason,
           CAST(peak_ram_mb AS DOUBLE PRECISION), walltime_ms / 1000.0, cputime_ms / 1000.0
    FROM jq_history WHERE exited <> 0 OR walltime_ms > 0
) AS runs
GROUP BY rep_group, state, exit_code, fail_reason;

INSERT INTO jq_stats_hist (rep_group, state, exit_code, fail_reason, kind, bucket, n)
SELECT rep_group, state, exit_code, fail_reason, kind, bucket, COUNT(*)
FROM (
    SELECT rep_group, state, exit_code, fail_reason, 0 AS kind, {ram_bucket} AS bucket FROM (
        SELECT rep_group, state, CASE WHEN exited <> 0 THEN exit_code ELSE -1 END AS exit_code, fail_reason, peak_ram_mb, walltime_ms
        FROM jq_jobs WHERE state NOT IN (2, 3) AND (exited <> 0 OR walltime_ms > 0)
        UNION ALL
        SELECT rep_group, 5, CASE WHEN exited <> 0 THEN exit_code ELSE -1 END, fail_reason, peak_ram_mb, walltime_ms
        FROM jq_history WHERE exited <> 0 OR walltime_ms > 0) AS r1
    UNION ALL
    SELECT rep_group, state, exit_code, fail_reason, 1, {wall_bucket} FROM (
        SELECT rep_group, state, CASE WHEN exited <> 0 THEN exit_code ELSE -1 END AS exit_code, fail_reason, peak_ram_mb, walltime_ms
        FROM jq_jobs WHERE state NOT IN (2, 3) AND (exited <> 0 OR walltime_ms > 0)
        UNION ALL
        SELECT rep_group, 5, CASE WHEN exited <> 0 THEN exit_code ELSE -1 END, fail_reason, peak_ram_mb, walltime_ms
        FROM jq_history WHERE exited <> 0 OR walltime_ms > 0) AS r2
) AS runs
GROUP BY rep_group, state, exit_code, fail_reason, kind, bucket;

INSERT INTO jq_meta (name, value) VALUES ('stats_version', '1') ON CONFLICT (name) DO NOTHING;
