-- The JobQueue job store (SQLite): jobs, their history, environments, counters, queues and
-- learning histograms. Every statement is idempotent; it runs at each start.

CREATE TABLE IF NOT EXISTS jq_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS jq_jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    -- job columns (jq_history has the same ones: the loader puts these at its marker)
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    cmd TEXT NOT NULL,
    cwd TEXT NOT NULL,
    rep_group TEXT NOT NULL,
    req_group TEXT NOT NULL,
    ram_mb INTEGER NOT NULL,
    time_ms INTEGER NOT NULL,
    cores INTEGER NOT NULL,
    user_ram_mb INTEGER NOT NULL,
    user_time_ms INTEGER NOT NULL,
    override INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    retries INTEGER NOT NULL,
    env_key TEXT NOT NULL,
    queue TEXT NOT NULL,
    state INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    until_buried INTEGER NOT NULL,
    exited INTEGER NOT NULL,
    exit_code INTEGER NOT NULL,
    fail_reason TEXT NOT NULL,
    peak_ram_mb INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    walltime_ms INTEGER NOT NULL,
    cputime_ms INTEGER NOT NULL,
    stdout BLOB,
    stderr BLOB,
    reserved_by TEXT,
    kill_requested INTEGER NOT NULL,
    due_at INTEGER,
    added_at INTEGER NOT NULL,
    started_at INTEGER,
    ended_at INTEGER,
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
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seq INTEGER NOT NULL,
    -- the job columns of jq_jobs
    archived_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jq_history_key ON jq_history (key, id);
CREATE INDEX IF NOT EXISTS jq_history_rep_group ON jq_history (rep_group, exit_code, fail_reason, id);

CREATE TABLE IF NOT EXISTS jq_envs (env_key TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS jq_counts (
    rep_group TEXT NOT NULL,
    state INTEGER NOT NULL,
    exit_code INTEGER NOT NULL,
    fail_reason TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (rep_group, state, exit_code, fail_reason)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS jq_queues (name TEXT PRIMARY KEY) WITHOUT ROWID;

-- Limit groups: the limit (-1: none) and the slots held, i.e. the group's jobs that are reserved or running. A slot is
-- taken in the commit that leases a job and given back in the commit that ends its lease.
-- Dependencies: a group's incomplete members (counted) and members, each job's groups, targets ("g:group", "k:key")
-- and unmet count, and who waits on what. Finishing a job reads only its own rows and its direct waiters.
CREATE TABLE IF NOT EXISTS jq_dep_groups (grp TEXT PRIMARY KEY, incomplete INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS jq_dep_members (grp TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (grp, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS jq_job_deps (key TEXT PRIMARY KEY, dep_grps TEXT NOT NULL, targets TEXT NOT NULL, unmet INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '') WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS jq_dep_waits (target TEXT NOT NULL, dependent TEXT NOT NULL, PRIMARY KEY (target, dependent)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS jq_dep_waits_dependent ON jq_dep_waits (dependent);

CREATE TABLE IF NOT EXISTS jq_limits (name TEXT PRIMARY KEY, lim INTEGER NOT NULL, used INTEGER NOT NULL) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS jq_req_hist (
    req_group TEXT NOT NULL,
    kind INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (req_group, kind, bucket)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS jq_reminders (
    service_id TEXT NOT NULL,
    grain_id TEXT NOT NULL,
    reminder_name TEXT NOT NULL,
    grain_hash INTEGER NOT NULL,
    start_at INTEGER NOT NULL,
    period_ms INTEGER NOT NULL,
    etag INTEGER NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS jq_reminders_hash ON jq_reminders (service_id, grain_hash);

INSERT INTO jq_meta (name, value) VALUES ('schema_version', '1') ON CONFLICT (name) DO NOTHING;
