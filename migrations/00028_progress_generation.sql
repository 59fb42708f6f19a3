-- +goose Up
-- The generation of the progress figures (issue 14): a number that changes
-- with every committed change to what progress is computed from (counters,
-- breakdowns, placements, targets). Each replica caches progress answers
-- under it and reads it first on every request, so a hire through one
-- replica shows in the next progress read through any other.
--
-- The row triggers are deferred to the commit and bump once per
-- transaction, so the one row is the last lock a transaction takes: it is
-- never held while waiting for another lock, and cannot deadlock.
CREATE TABLE progress_generation (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    n  bigint NOT NULL
);
INSERT INTO progress_generation (id, n) VALUES (true, 0);

-- +goose StatementBegin
CREATE FUNCTION bump_progress_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('gradzone.progress_bumped', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('gradzone.progress_bumped', 'yes', true);
        UPDATE progress_generation SET n = n + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['progress_counters', 'placement_breakdowns', 'placement_breakdowns_year',
                             'placements', 'zone_quotas', 'province_quotas'] LOOP
        EXECUTE format('CREATE CONSTRAINT TRIGGER progress_changed AFTER INSERT OR UPDATE OR DELETE ON %I
                        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_progress_generation()', t);
        EXECUTE format('CREATE TRIGGER progress_truncated AFTER TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION bump_progress_generation()', t);
    END LOOP;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['progress_counters', 'placement_breakdowns', 'placement_breakdowns_year',
                             'placements', 'zone_quotas', 'province_quotas'] LOOP
        EXECUTE format('DROP TRIGGER progress_changed ON %I', t);
        EXECUTE format('DROP TRIGGER progress_truncated ON %I', t);
    END LOOP;
END
$$;
-- +goose StatementEnd
DROP FUNCTION bump_progress_generation();
DROP TABLE progress_generation;
