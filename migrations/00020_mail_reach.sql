-- +goose Up
-- Mail preferences per kind, alert digests, reminders and report chasing
-- (issue 13, second part).
--
-- mail_off: the mail kinds the user turned off (domain.MailKinds keys).
-- Storing what is off, not what is on, means a kind added later is on for
-- everyone until they turn it off. It replaces the two switches of 00019.
-- alert_frequency: the default for a new saved search's alert mail.
-- mail_language: which language a mail puts first.
ALTER TABLE users
    ADD COLUMN mail_off text[] NOT NULL DEFAULT '{}',
    ADD COLUMN alert_frequency text NOT NULL DEFAULT 'immediate' CHECK (alert_frequency IN ('immediate', 'daily', 'weekly')),
    ADD COLUMN mail_language text NOT NULL DEFAULT 'zh' CHECK (mail_language IN ('zh', 'en'));
UPDATE users SET mail_off = array_remove(ARRAY[
    CASE WHEN NOT mail_status_updates THEN 'application_status' END,
    CASE WHEN NOT mail_alerts THEN 'saved_search_alert' END], NULL);
ALTER TABLE users DROP COLUMN mail_status_updates, DROP COLUMN mail_alerts;

-- A saved search's alerts are mailed at once or gathered into a daily or
-- weekly digest. digest_sent_at: when its last digest was queued (the next
-- one is due a period later).
ALTER TABLE saved_searches
    ADD COLUMN alert_frequency text NOT NULL DEFAULT 'immediate' CHECK (alert_frequency IN ('immediate', 'daily', 'weekly')),
    ADD COLUMN digest_sent_at timestamptz;

-- The openings waiting for a saved search's next digest. digest_key is set
-- when a digest mail carrying the row is queued (in the same transaction),
-- so a row is mailed once.
CREATE TABLE alert_digest_items (
    saved_search_id uuid NOT NULL REFERENCES saved_searches(id) ON DELETE CASCADE,
    opening_id      uuid NOT NULL REFERENCES openings(id) ON DELETE CASCADE,
    opening_title   text NOT NULL,
    employer_name   text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    digest_key      text,
    PRIMARY KEY (saved_search_id, opening_id)
);
CREATE INDEX alert_digest_items_pending_idx ON alert_digest_items(saved_search_id) WHERE digest_key IS NULL;

-- Things done once per key: a reminder per interview and sequence, a report
-- reminder per zone, month and kind, a province's 催报 per zone and day, an
-- employer's applicant digest per day. Inserting the key and queueing its
-- mail happen in one transaction, so a sweep run twice queues once.
CREATE TABLE mail_once (
    once_key   text PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE mail_once;
DROP TABLE alert_digest_items;
ALTER TABLE saved_searches DROP COLUMN digest_sent_at, DROP COLUMN alert_frequency;
ALTER TABLE users
    ADD COLUMN mail_status_updates boolean NOT NULL DEFAULT true,
    ADD COLUMN mail_alerts boolean NOT NULL DEFAULT true;
UPDATE users SET mail_status_updates = NOT ('application_status' = ANY(mail_off)),
                 mail_alerts = NOT ('saved_search_alert' = ANY(mail_off));
ALTER TABLE users DROP COLUMN mail_language, DROP COLUMN alert_frequency, DROP COLUMN mail_off;
