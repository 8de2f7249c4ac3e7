-- Statistics of measured runs per count group (rep group, state, exit code, fail reason), kept with the counters
-- as jobs change: the web page's means, deviations and histograms read these rows, never the jobs.
-- Shared by SQLite and PostgreSQL; {ram_bucket} and {wall_bucket} are the bucket expressions of RunBuckets.

CREATE TABLE IF NOT EXISTS jq_stats (
    rep_group TEXT NOT NULL,
    state BIGINT NOT NULL,
    exit_code BIGINT NOT NULL,
    fail_reason TEXT NOT NULL,
    n BIGINT NOT NULL,
    ram_sum DOUBLE PRECISION NOT NULL,
    ram_sq DOUBLE PRECISION NOT NULL,
    wall_sum DOUBLE PRECISION NOT NULL,
    wall_sq DOUBLE PRECISION NOT NULL,
    cpu_sum DOUBLE PRECISION NOT NULL,
    cpu_sq DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (rep_group, state, exit_code, fail_reason)
);

CREATE TABLE IF NOT EXISTS jq_stats_hist (
    rep_group TEXT NOT NULL,
    state BIGINT NOT NULL,
    exit_code BIGINT NOT NULL,
    fail_reason TEXT NOT NULL,
    kind BIGINT NOT NULL,
    bucket BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (rep_group, state, exit_code, fail_reason, kind, bucket)
);
