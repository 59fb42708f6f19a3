-- +goose Up
-- Outgoing mail counted per fixed window, shared by every replica (issue
-- 13): key is 'to:' and the SHA-256 (hex) of the lower-cased recipient
-- address (no address is kept), or 'domain:' and its domain; window_start is the start of the key's current window. The
-- send path increments a row only while it is under the limit, in one
-- statement, so two replicas never both take the last slot. When a key
-- starts a new window its older rows are deleted, so a key keeps one row.
CREATE TABLE mail_rate (
    key          text NOT NULL CHECK (length(key) BETWEEN 3 AND 400),
    window_start timestamptz NOT NULL,
    count        integer NOT NULL CHECK (count >= 0),
    PRIMARY KEY (key, window_start)
);

-- +goose Down
DROP TABLE mail_rate;
