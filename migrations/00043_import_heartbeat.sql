-- +goose Up
-- An import runs in the replica that took the upload; that replica beats
-- for it (app.Imports) while it runs. One no replica has beaten for in a
-- minute was stopped with its replica (a deploy, a crash): it reads failed,
-- and can no longer finish (a replica probe found one "running" for ever).
ALTER TABLE import_jobs
    ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now();

-- +goose Down
ALTER TABLE import_jobs
    DROP COLUMN heartbeat_at;
