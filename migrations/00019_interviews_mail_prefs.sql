-- +goose Up
-- The interview an employer gives when it moves an application to
-- `interview` (contract, second round): when, where or on which link. The
-- sequence is the calendar entry's revision (RFC 5545 SEQUENCE), raised when
-- the invitation is changed or cancelled, so calendar clients replace the
-- entry they hold instead of adding a second one.
ALTER TABLE applications
    ADD COLUMN interview_starts_at timestamptz,
    ADD COLUMN interview_ends_at timestamptz,
    ADD COLUMN interview_location text NOT NULL DEFAULT '' CHECK (length(interview_location) <= 200),
    ADD COLUMN interview_online_url text NOT NULL DEFAULT '' CHECK (length(interview_online_url) <= 500),
    ADD COLUMN interview_sequence integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT applications_interview_times
        CHECK ((interview_starts_at IS NULL) = (interview_ends_at IS NULL) AND
               (interview_starts_at IS NULL OR interview_ends_at > interview_starts_at));

-- A saved search's alerts may be mailed; the one-click unsubscribe link in
-- an alert mail (RFC 8058) turns this off for that saved search only. The
-- in-site alert list is unaffected.
ALTER TABLE saved_searches ADD COLUMN mail_alerts boolean NOT NULL DEFAULT true;

-- What the user wants by mail, per kind (the account page's switches).
-- Address verification and password reset are always sent.
ALTER TABLE users
    ADD COLUMN mail_status_updates boolean NOT NULL DEFAULT true,
    ADD COLUMN mail_alerts boolean NOT NULL DEFAULT true;

-- +goose Down
ALTER TABLE users DROP COLUMN mail_alerts, DROP COLUMN mail_status_updates;
ALTER TABLE saved_searches DROP COLUMN mail_alerts;
ALTER TABLE applications
    DROP CONSTRAINT applications_interview_times,
    DROP COLUMN interview_sequence,
    DROP COLUMN interview_online_url,
    DROP COLUMN interview_location,
    DROP COLUMN interview_ends_at,
    DROP COLUMN interview_starts_at;
