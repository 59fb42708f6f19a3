-- +goose Up
-- Sign-in failures, shared by every replica (the throttle used to live in
-- one process's memory, so N replicas allowed N times the guesses). One row
-- per failed (or in-flight) attempt: key is 'a:' and the SHA-256 of the
-- normalised e-mail (typed addresses of people without an account are not
-- kept in clear) or 'ip:' and the client address. A success deletes the
-- account's rows. Rows older than the longest window are deleted on write.
CREATE TABLE sign_in_failures (
    id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key text NOT NULL CHECK (length(key) BETWEEN 3 AND 100),
    at  timestamptz NOT NULL
);
CREATE INDEX sign_in_failures_key_at ON sign_in_failures (key, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);

-- +goose Down
DROP TABLE sign_in_failures;
