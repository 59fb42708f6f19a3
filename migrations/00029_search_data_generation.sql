-- +goose Up
-- The generation of what public search shows (issue 14 item 7): a number
-- that changes with every committed change to openings, employers or
-- zones. While Meilisearch is out, each replica caches the Postgres
-- fallback's answers under it and reads it first on every search, so a
-- fallback answer is never older than the last change committed before it
-- (the same rule as progress_generation, migration 00028).
CREATE TABLE search_data_generation (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    n  bigint NOT NULL
);
INSERT INTO search_data_generation (id, n) VALUES (true, 0);

-- +goose StatementBegin
CREATE FUNCTION bump_search_data_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('gradzone.search_data_bumped', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('gradzone.search_data_bumped', 'yes', true);
        UPDATE search_data_generation SET n = n + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE CONSTRAINT TRIGGER search_data_changed AFTER INSERT OR UPDATE OR DELETE ON openings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_search_data_generation();
CREATE CONSTRAINT TRIGGER search_data_changed AFTER INSERT OR UPDATE OR DELETE ON employers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_search_data_generation();
CREATE CONSTRAINT TRIGGER search_data_changed AFTER INSERT OR UPDATE OR DELETE ON zones
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_search_data_generation();
CREATE TRIGGER search_data_truncated AFTER TRUNCATE ON openings
    FOR EACH STATEMENT EXECUTE FUNCTION bump_search_data_generation();
CREATE TRIGGER search_data_truncated AFTER TRUNCATE ON employers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_search_data_generation();
CREATE TRIGGER search_data_truncated AFTER TRUNCATE ON zones
    FOR EACH STATEMENT EXECUTE FUNCTION bump_search_data_generation();

-- +goose Down
DROP TRIGGER search_data_changed ON openings;
DROP TRIGGER search_data_changed ON employers;
DROP TRIGGER search_data_changed ON zones;
DROP TRIGGER search_data_truncated ON openings;
DROP TRIGGER search_data_truncated ON employers;
DROP TRIGGER search_data_truncated ON zones;
DROP FUNCTION bump_search_data_generation();
DROP TABLE search_data_generation;
