-- +goose Up
-- One-time recovery codes of TOTP two-factor sign-in (issue 12 item 5):
-- made when a code confirms the secret, shown once, kept only as SHA-256
-- hashes (50 random bits each, so a fast hash is enough under the sign-in
-- throttle). A used code keeps its row with used_at, so it is refused.
-- The secret itself is users.totp_secret (migration 00022), sealed with
-- AES-GCM by the application.
CREATE TABLE totp_recovery_codes (
    user_id   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash text NOT NULL CHECK (length(code_hash) = 64),
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- +goose Down
DROP TABLE totp_recovery_codes;
