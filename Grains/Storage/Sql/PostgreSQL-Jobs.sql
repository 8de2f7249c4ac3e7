-- The JobQueue job store (PostgreSQL): jobs, their history, environments, counters, queues and
-- learning histograms. Every statement is idempotent; it runs at each start.

CREATE TABLE IF NOT EXISTS jq_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS jq_jobs (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- job columns (jq_history has the same ones: the loader puts these at its marker)
    key TEXT NOT NULL,
    version BIGINT NOT NULL,
    cmd TEXT NOT NULL,
    cwd TEXT NOT NULL,
    rep_group TEXT NOT NULL,
    req_group TEXT NOT NULL,
    ram_mb BIGINT NOT NULL,
    time_ms BIGINT NOT NULL,
    cores BIGINT NOT NULL,
    user_ram_mb BIGINT NOT NULL,
    user_time_ms BIGINT NOT NULL,
    override BIGINT NOT NULL,
    priority BIGINT NOT NULL,
    retries BIGINT NOT NULL,
    env_key TEXT NOT NULL,
    queue TEXT NOT NULL,
    state BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    until_buried BIGINT NOT NULL,
    exited BIGINT NOT NULL,
    exit_code BIGINT NOT NULL,
    fail_reason TEXT NOT NULL,
    peak_ram_mb BIGINT NOT NULL,
    pid BIGINT NOT NULL,
    host TEXT NOT NULL,
    walltime_ms BIGINT NOT NULL,
    cputime_ms BIGINT NOT NULL,
    stdout BYTEA,
    stderr BYTEA,
    reserved_by TEXT,
    kill_requested BIGINT NOT NULL,
    due_at BIGINT,
    added_at BIGINT NOT NULL,
    started_at BIGINT,
    ended_at BIGINT,
    -- end of job columns
    UNIQUE (key)
);
CREATE INDEX IF NOT EXISTS jq_jobs_ready ON jq_jobs (queue, priority DESC, seq) WHERE state = 1;
-- The due sweep pages through this index with a cursor (due time, then add order).
CREATE INDEX IF NOT EXISTS jq_jobs_due_seq ON jq_jobs (due_at, seq) WHERE due_at IS NOT NULL;
DROP INDEX IF EXISTS jq_jobs_due;
CREATE INDEX IF NOT EXISTS jq_jobs_rep_group ON jq_jobs (rep_group, state, exit_code, fail_reason, seq);
CREATE INDEX IF NOT EXISTS jq_jobs_state ON jq_jobs (state, exit_code, fail_reason, seq);

CREATE TABLE IF NOT EXISTS jq_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq BIGINT NOT NULL,
    -- the job columns of jq_jobs
    archived_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS jq_history_key ON jq_history (key, id);
CREATE INDEX IF NOT EXISTS jq_history_rep_group ON jq_history (rep_group, exit_code, fail_reason, id);

CREATE TABLE IF NOT EXISTS jq_envs (env_key TEXT PRIMARY KEY, data BYTEA NOT NULL);

CREATE TABLE IF NOT EXISTS jq_counts (
    rep_group TEXT NOT NULL,
    state BIGINT NOT NULL,
    exit_code BIGINT NOT NULL,
    fail_reason TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (rep_group, state, exit_code, fail_reason)
);

CREATE TABLE IF NOT EXISTS jq_queues (name TEXT PRIMARY KEY);

CREATE TABLE IF NOT EXISTS jq_req_hist (
    req_group TEXT NOT NULL,
    kind BIGINT NOT NULL,
    bucket BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (req_group, kind, bucket)
);

INSERT INTO jq_meta (name, value) VALUES ('schema_version', '1') ON CONFLICT (name) DO NOTHING;

-- The fence of a cluster's writes: a manager the others declared dead (status 6 in Orleans' membership table) may
-- still run for a while (frozen, then resumed); every batch it commits asks first, and is refused.
CREATE OR REPLACE FUNCTION jq_fence(p_cluster TEXT, p_address TEXT, p_port INTEGER, p_generation INTEGER) RETURNS VOID AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM orleansmembershiptable
               WHERE deploymentid = p_cluster AND address = p_address AND port = p_port AND generation = p_generation AND status = 6) THEN
        RAISE EXCEPTION 'this manager (%:%) was declared dead by the cluster; its writes are refused', p_address, p_port
            USING ERRCODE = 'P0001';
    END IF;
END
$$ LANGUAGE plpgsql;

-- A job change sent in one round trip with the rest of its batch states that it changed exactly one row (the row
-- at the version its grain last saw). Anything else rolls the whole batch back, and the store replays it the slow
-- way, which reports the conflict to that one grain.
CREATE OR REPLACE FUNCTION jq_expect_one(n BIGINT) RETURNS VOID AS $$
BEGIN
    IF n <> 1 THEN
        RAISE EXCEPTION 'a job changed concurrently' USING ERRCODE = 'JQ409';
    END IF;
END
$$ LANGUAGE plpgsql;
