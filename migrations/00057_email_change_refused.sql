-- +goose Up
-- A change of address whose confirmation mail the new address's server
-- refused for good (SMTP 5xx at RCPT TO) ends: its token is spent, and
-- when and what that server replied are kept on it, so the account's page
-- says so until the user asks again. The account's own address is not
-- marked: it was not the one refused. Nullable columns without a default:
-- no table rewrite.
ALTER TABLE account_tokens ADD COLUMN mail_refused_at timestamptz, ADD COLUMN mail_refused_reply text;

-- +goose Down
ALTER TABLE account_tokens DROP COLUMN mail_refused_at, DROP COLUMN mail_refused_reply;
