-- +goose Up
-- Zone staff change an event's time or place, or cancel it. sequence
-- counts the changes of time or place: the SEQUENCE of the event's
-- calendar entry, so a graduate's calendar replaces the entry it holds.
ALTER TABLE events
    ADD COLUMN sequence int NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    ADD COLUMN cancelled_at timestamptz,
    ADD COLUMN cancel_reason text NOT NULL DEFAULT '' CHECK (length(cancel_reason) <= 500);

-- +goose Down
ALTER TABLE events DROP COLUMN cancel_reason, DROP COLUMN cancelled_at, DROP COLUMN sequence;
