-- +goose Up
-- Address verification, password reset and the mail pipeline.
--
-- email_verified_at: when the account proved it reads its mailbox. Accounts
-- made before this migration (demo, staff, imports) are taken as verified:
-- they were made by people vouching for the address.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
UPDATE users SET email_verified_at = created_at;

-- One-time tokens sent by mail. Only the SHA-256 of a token is stored; the
-- token is single-use (used_at) and expires. email is the address the token
-- was sent to: a verification only counts for that address.
CREATE TABLE account_tokens (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     text NOT NULL CHECK (purpose IN ('verify_email', 'password_reset')),
    email       text NOT NULL,
    token_hash  char(64) NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_tokens_user_idx ON account_tokens(user_id, purpose);

-- Every mail handed to the SMTP server, by its send key (the job that sent
-- it, or a key the change chose): a mail job run again after a crash finds
-- its key here and sends nothing.
CREATE TABLE mail_sends (
    send_key    text PRIMARY KEY,
    kind        text NOT NULL,
    user_id     uuid REFERENCES users(id) ON DELETE SET NULL,
    message_id  text NOT NULL,
    sent_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_sends_user_idx ON mail_sends(user_id, sent_at);

-- +goose Down
DROP TABLE mail_sends;
DROP TABLE account_tokens;
ALTER TABLE users DROP COLUMN email_verified_at;
