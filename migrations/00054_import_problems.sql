-- +goose Up
-- How many rows of an import had problems, counted once when it ends: the
-- imports page counted each listed job's stored reasons on every view (a
-- walk: 0.3–1.7 s for a zone whose imports refused thousands of rows). The
-- template's example row and hidden rows are notes, not problems
-- (domain.ImportProblemCount). A default needs no table rewrite.
ALTER TABLE import_jobs ADD COLUMN problems integer NOT NULL DEFAULT 0;
UPDATE import_jobs j SET problems = (
	SELECT count(*) FROM jsonb_array_elements(j.errors) e
	WHERE coalesce(e->>'reason', '') NOT IN (
		'the template''s example row (【示例】) has valid values and is never imported',
		'the row is hidden in the sheet (filtered out) and is not imported: show it and upload again to import it'))
WHERE jsonb_typeof(j.errors) = 'array' AND j.errors <> '[]';

-- +goose Down
ALTER TABLE import_jobs DROP COLUMN problems;
