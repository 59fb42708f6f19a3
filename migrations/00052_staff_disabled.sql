-- +goose Up
-- A staff account an operator disabled (`gradzone user disable`: an
-- official who left): it cannot sign in (403 account_disabled with the
-- right password), its sessions were signed out, and no token of it is
-- accepted; `gradzone user enable` clears it. A password reset does not.
ALTER TABLE users ADD COLUMN disabled_at timestamptz;

-- +goose Down
ALTER TABLE users DROP COLUMN disabled_at;
