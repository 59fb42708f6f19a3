-- +goose Up
-- The fallback search matched each word against three expressions with
-- ILIKE: the opening's text, the employer's name through the join and the
-- majors joined at query time. No index serves that OR, so every search
-- with a word read and lower-cased every published opening (0.3 s at
-- 100,000, docs/benchmarks.md). Now the opening's own text and majors are
-- one lower-cased column under the trigram index, and the employers whose
-- name matches are found first through their own trigram index: an OR of
-- two indexed conditions.
-- array_to_string is only STABLE (it calls element output functions); on
-- text[] its result depends on nothing but its input, so the wrapper may
-- say IMMUTABLE, as a generated column requires.
CREATE FUNCTION opening_search_text(title text, description text, city text, majors text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN lower(title || ' ' || description || ' ' || city || ' ' || array_to_string(majors, ' '));
ALTER TABLE openings DROP COLUMN search_text; -- its index goes with it
ALTER TABLE openings ADD COLUMN search_text text
    GENERATED ALWAYS AS (opening_search_text(title, description, city, majors)) STORED;
CREATE INDEX openings_search_text_trgm ON openings USING gin (search_text gin_trgm_ops) WHERE status = 'published';

-- +goose Down
ALTER TABLE openings DROP COLUMN search_text;
DROP FUNCTION opening_search_text;
ALTER TABLE openings ADD COLUMN search_text text GENERATED ALWAYS AS (title || ' ' || description || ' ' || city) STORED;
CREATE INDEX openings_search_text_trgm ON openings USING gin (search_text gin_trgm_ops) WHERE status = 'published';
