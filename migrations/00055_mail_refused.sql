-- +goose Up
-- A mailbox that refused the site's mail for good (SMTP 5xx at RCPT TO: no
-- such mailbox, a closed one): when, and the server's reply. The address is
-- unverified at the same moment, so it receives only the verification and
-- password-reset mails the user asks for; proving it again clears both.
-- Nullable columns without a default: no table rewrite.
ALTER TABLE users ADD COLUMN mail_refused_at timestamptz, ADD COLUMN mail_refused_reply text;

-- +goose Down
ALTER TABLE users DROP COLUMN mail_refused_at, DROP COLUMN mail_refused_reply;
