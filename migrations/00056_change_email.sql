-- +goose Up
-- A change of address (POST /me/email): its one-time token is mailed to
-- the new address (account_tokens.email holds it) and switches the account
-- to it when followed.
ALTER TABLE account_tokens DROP CONSTRAINT account_tokens_purpose_check,
    ADD CONSTRAINT account_tokens_purpose_check CHECK (purpose IN ('verify_email', 'password_reset', 'change_email'));

-- +goose Down
DELETE FROM account_tokens WHERE purpose = 'change_email';
ALTER TABLE account_tokens DROP CONSTRAINT account_tokens_purpose_check,
    ADD CONSTRAINT account_tokens_purpose_check CHECK (purpose IN ('verify_email', 'password_reset'));
