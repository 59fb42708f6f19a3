-- +goose Up
-- Registration records the graduate's or employer's acceptance of the
-- privacy notice (PIPL): which version of the notice, and when. Staff
-- accounts and accounts made before this migration have none.
ALTER TABLE users
    ADD COLUMN privacy_notice_version text,
    ADD COLUMN privacy_consent_at timestamptz,
    ADD CONSTRAINT users_privacy_consent_pair
        CHECK ((privacy_notice_version IS NULL) = (privacy_consent_at IS NULL));

-- +goose Down
ALTER TABLE users
    DROP CONSTRAINT users_privacy_consent_pair,
    DROP COLUMN privacy_consent_at,
    DROP COLUMN privacy_notice_version;
