-- +goose Up
-- The Postgres search fallback matches substrings (ILIKE '%…%'), which a
-- trigram GIN index answers without scanning every published opening.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE openings ADD COLUMN search_text text GENERATED ALWAYS AS (title || ' ' || description || ' ' || city) STORED;
CREATE INDEX openings_search_text_trgm ON openings USING gin (search_text gin_trgm_ops) WHERE status = 'published';
CREATE INDEX employers_name_trgm ON employers USING gin (name gin_trgm_ops);

-- +goose Down
DROP INDEX employers_name_trgm;
DROP INDEX openings_search_text_trgm;
ALTER TABLE openings DROP COLUMN search_text;
