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

-- Limit groups: the limit (-1: none) and the slots held, i.e. the group's jobs that are reserved or running. A slot is
-- taken in the commit that leases a job and given back in the commit that ends its lease.
-- Dependencies: a group's incomplete members (counted) and members, each job's groups, targets ("g:group", "k:key")
-- and unmet count, and who waits on what. Finishing a job reads only its own rows and its direct waiters.
CREATE TABLE IF NOT EXISTS jq_dep_groups (grp TEXT PRIMARY KEY, incomplete BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS jq_dep_members (grp TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (grp, key));
CREATE TABLE IF NOT EXISTS jq_job_deps (key TEXT PRIMARY KEY, dep_grps TEXT NOT NULL, targets TEXT NOT NULL, unmet BIGINT NOT NULL, note TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS jq_dep_waits (target TEXT NOT NULL, dependent TEXT NOT NULL, PRIMARY KEY (target, dependent));
CREATE INDEX IF NOT EXISTS jq_dep_waits_dependent ON jq_dep_waits (dependent);

CREATE TABLE IF NOT EXISTS jq_limits (name TEXT PRIMARY KEY, lim BIGINT NOT NULL, used BIGINT NOT NULL);

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

-- Gives each of p_names a row (no limit, no slot held) if it has none, and locks them in name order, so managers
-- moving slots at once cannot deadlock.
CREATE OR REPLACE FUNCTION jq_lock_limits(p_names TEXT[]) RETURNS VOID AS $$
BEGIN
    INSERT INTO jq_limits (name, lim, used) SELECT n, -1, 0 FROM unnest(p_names) AS n ORDER BY n ON CONFLICT (name) DO NOTHING;
    PERFORM 1 FROM jq_limits WHERE name = ANY(p_names) ORDER BY name FOR UPDATE;
END
$$ LANGUAGE plpgsql;

-- Takes one slot of each of p_names, all or none, for one job being leased: returns the name of a full group (taking
-- nothing), or NULL once taken.
CREATE OR REPLACE FUNCTION jq_take_slots(p_names TEXT[]) RETURNS TEXT AS $$
DECLARE
    full_group TEXT;
BEGIN
    PERFORM jq_lock_limits(p_names);
    SELECT name INTO full_group FROM jq_limits WHERE name = ANY(p_names) AND lim >= 0 AND used >= lim ORDER BY name LIMIT 1;
    IF full_group IS NULL THEN
        UPDATE jq_limits SET used = used + 1 WHERE name = ANY(p_names);
    END IF;
    RETURN full_group;
END
$$ LANGUAGE plpgsql;

-- Moves a batch's slots at once (p_deltas: + taken, - given back). A group that gained slots and ends above its
-- limit fails the batch (JQ429); the store then replays it change by change, which refuses just the lease that did not fit.
CREATE OR REPLACE FUNCTION jq_move_slots(p_names TEXT[], p_deltas BIGINT[]) RETURNS VOID AS $$
BEGIN
    PERFORM jq_lock_limits(p_names);
    UPDATE jq_limits AS l SET used = GREATEST(l.used + d.delta, 0) FROM unnest(p_names, p_deltas) AS d(name, delta) WHERE l.name = d.name;
    IF EXISTS (SELECT 1 FROM jq_limits AS l JOIN unnest(p_names, p_deltas) AS d(name, delta) ON l.name = d.name
               WHERE d.delta > 0 AND l.lim >= 0 AND l.used > l.lim) THEN
        RAISE EXCEPTION 'a limit group is full' USING ERRCODE = 'JQ429';
    END IF;
END
$$ LANGUAGE plpgsql;

-- A batch sent in one round trip that completes or removes jobs asks first whether any of them has dependencies,
-- belongs to a dependency group or is waited on; if so (JQ428), the store replays the batch in a transaction of its
-- own, which settles the dependents. Two index probes per job, in the same round trip.
CREATE OR REPLACE FUNCTION jq_expect_no_dependents(p_keys TEXT[]) RETURNS VOID AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM jq_job_deps WHERE key = ANY(p_keys))
       OR EXISTS (SELECT 1 FROM unnest(p_keys) AS k WHERE EXISTS (SELECT 1 FROM jq_dep_waits WHERE target = 'k:' || k)) THEN
        RAISE EXCEPTION 'jobs with dependents finish the slow way' USING ERRCODE = 'JQ428';
    END IF;
END
$$ LANGUAGE plpgsql;
