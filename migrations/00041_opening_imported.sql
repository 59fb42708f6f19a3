-- +goose Up
-- An opening zone staff imported for its employer says so on the
-- employer's desk: an employer walk found published openings there it
-- never wrote, with nothing to say where they came from.
ALTER TABLE openings
    ADD COLUMN imported_at timestamptz;

-- Earlier imports are found by their audit entry: opening.imported, or,
-- before that kind existed, an opening.approved written in the very
-- transaction that created and submitted the opening (now() is the
-- transaction's time). A reviewer's approval always comes in a later one.
UPDATE openings o
SET imported_at = a.created_at
FROM audit_log a
WHERE a.entity_type = 'opening'
    AND a.entity_id = o.id::text
    AND (a.kind = 'opening.imported'
        OR (a.kind = 'opening.approved'
            AND a.created_at = o.created_at
            AND o.submitted_at = o.created_at));

-- +goose Down
ALTER TABLE openings
    DROP COLUMN imported_at;
