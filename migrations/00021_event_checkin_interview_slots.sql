-- +goose Up
-- Where an event takes place (a job fair's hall; empty for a livestream):
-- shown on 我的活动 and in the registration and reminder mails.
ALTER TABLE events ADD COLUMN location text NOT NULL DEFAULT '' CHECK (length(location) <= 200);

-- When the day-before reminder of a registration was queued: the hourly
-- sweep queues each reminder once, and a registration made within the last
-- day before the event gets none (its confirmation was just sent).
ALTER TABLE event_registrations ADD COLUMN reminded_at timestamptz;
CREATE INDEX event_registrations_unreminded ON event_registrations (event_id) WHERE reminded_at IS NULL;

-- The slots an employer offers with a move to `interview` (the graduate
-- picks one). A slot belongs to one application; the opening is copied in
-- so that one time of one opening is picked by one application only: the
-- employer may offer the same times to several applicants, and the first
-- to pick a time takes it.
CREATE TABLE interview_slots (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    application_id uuid NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    opening_id     uuid NOT NULL REFERENCES openings(id),
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    location       text NOT NULL DEFAULT '' CHECK (length(location) <= 200),
    online_url     text NOT NULL DEFAULT '' CHECK (length(online_url) <= 500),
    picked_at      timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX interview_slots_application ON interview_slots (application_id, starts_at);
CREATE UNIQUE INDEX interview_slots_picked_once ON interview_slots (opening_id, starts_at) WHERE picked_at IS NOT NULL;

-- +goose Down
DROP TABLE interview_slots;
DROP INDEX event_registrations_unreminded;
ALTER TABLE event_registrations DROP COLUMN reminded_at;
ALTER TABLE events DROP COLUMN location;
