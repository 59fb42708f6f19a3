-- +goose Up
-- closed_published: the opening was published when it closed, so an old
-- link may still say it ended, with its title. One closed while back under
-- review (edited after publishing) holds a title staff never approved.
-- Openings closed before this column existed are read from the audit
-- trail, which records the status each closed from.
ALTER TABLE openings
    ADD COLUMN closed_published boolean NOT NULL DEFAULT false;

UPDATE openings o
    SET closed_published = true
    WHERE o.status = 'closed' AND EXISTS (
        SELECT 1
        FROM audit_log a
        WHERE a.kind = 'opening.closed' AND a.entity_type = 'opening' AND a.entity_id = o.id::text
            AND a.before ->> 'status' = 'published');

-- +goose Down
ALTER TABLE openings DROP COLUMN closed_published;
