-- Counters and run statistics per manager (a shard column), summed on read: the managers of a cluster update rows of
-- their own, so their transactions never wait on each other's row locks. Databases from before get the column (0).
DO $$
DECLARE
    t TEXT;
    k TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['jq_counts', 'jq_stats', 'jq_stats_hist'] LOOP
        IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_schema = current_schema() AND table_name = t AND column_name = 'shard') THEN
            k := CASE t WHEN 'jq_stats_hist' THEN 'rep_group, state, exit_code, fail_reason, kind, bucket'
                        ELSE 'rep_group, state, exit_code, fail_reason' END;
            EXECUTE format('ALTER TABLE %I ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0', t);
            EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', t, t || '_pkey');
            EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (%s, shard)', t, k);
        END IF;
    END LOOP;
END
$$;
