-- +goose Up
-- An opening zone staff imported for its employer says so on the
-- employer's desk: an employer walk found published openings there it
-- never wrote, with nothing to say where they came from. Openings
-- imported before this column are found by their audit entry.
ALTER TABLE openings
    ADD COLUMN imported_at timestamptz;

UPDATE openings o
SET imported_at = a.created_at
FROM audit_log a
WHERE a.kind = 'opening.imported'
    AND a.entity_type = 'opening'
    AND a.entity_id = o.id::text;

-- +goose Down
ALTER TABLE openings
    DROP COLUMN imported_at;
