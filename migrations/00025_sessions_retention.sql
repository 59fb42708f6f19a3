-- +goose Up
-- The user's list of sessions (issue 12 item 5): next to the browser and
-- system kept in client since 00022, each refresh token keeps the address
-- it was issued to with its last part hidden ("203.0.113.*"); the full
-- address is never stored.
ALTER TABLE refresh_tokens ADD COLUMN ip text NOT NULL DEFAULT '' CHECK (length(ip) <= 64);

-- The résumé retention job (item 10) looks for graduates inactive since a
-- cut-off; most are active, so it reads only the old end of this index.
CREATE INDEX users_last_active_idx ON users(last_active_at) WHERE deleted_at IS NULL;

-- sign_in_failures now also counts registrations ('reg:ip:…') and
-- password-reset requests ('reset:ip:…', 'reset:a:…') per client address
-- and per target address: the same shared store, keys of their own.

-- +goose Down
DROP INDEX users_last_active_idx;
ALTER TABLE refresh_tokens DROP COLUMN ip;
