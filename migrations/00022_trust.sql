-- +goose Up
-- The résumé submitted with each application (issue 12 item 4): an employer
-- reads this version, not whatever the graduate uploaded later. A file stays
-- in the object store while a graduate's profile or any application names it.
-- Applications made before this migration keep the current résumé of a
-- graduate they are still open for (the best there is).
ALTER TABLE applications ADD COLUMN resume_file text;
UPDATE applications a SET resume_file = g.resume_file FROM graduates g
    WHERE g.user_id = a.graduate_id AND a.status <> 'withdrawn' AND g.resume_file IS NOT NULL;
CREATE INDEX applications_resume_file_idx ON applications(resume_file) WHERE resume_file IS NOT NULL;

-- Sessions (item 5): a session is a refresh-token family. Each token of it
-- keeps a short summary of the client that made it (browser and system, the
-- address with its last part hidden) for the user's list of sessions.
ALTER TABLE refresh_tokens ADD COLUMN client text NOT NULL DEFAULT '' CHECK (length(client) <= 200);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens(user_id, created_at DESC);

-- When the account last signed in or refreshed a session: the résumé
-- retention job deletes the résumés of accounts inactive for longer than
-- GRADZONE_RESUME_RETENTION. Existing accounts start from their newest
-- session or, without one, their creation.
ALTER TABLE users ADD COLUMN last_active_at timestamptz;
UPDATE users u SET last_active_at = GREATEST(u.created_at,
    (SELECT max(created_at) FROM refresh_tokens r WHERE r.user_id = u.id));
ALTER TABLE users ALTER COLUMN last_active_at SET DEFAULT now();
ALTER TABLE users ALTER COLUMN last_active_at SET NOT NULL;

-- TOTP two-factor sign-in for staff: the secret (base32) while enrolling
-- and after; enabled once a code confirmed it. totp_last_step is the time
-- step of the last accepted code, so a code is accepted once.
ALTER TABLE users ADD COLUMN totp_secret text;
ALTER TABLE users ADD COLUMN totp_enabled_at timestamptz;
ALTER TABLE users ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0;
ALTER TABLE users ADD CONSTRAINT users_totp_enabled_has_secret CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL);

-- +goose Down
ALTER TABLE users DROP CONSTRAINT users_totp_enabled_has_secret;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_secret;
ALTER TABLE users DROP COLUMN last_active_at;
DROP INDEX refresh_tokens_user_idx;
ALTER TABLE refresh_tokens DROP COLUMN client;
DROP INDEX applications_resume_file_idx;
ALTER TABLE applications DROP COLUMN resume_file;
