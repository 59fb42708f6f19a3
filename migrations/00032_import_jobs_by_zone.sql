-- +goose Up
-- The imports page lists a zone's imports, newest first.
CREATE INDEX import_jobs_zone_created ON import_jobs (zone_code, created_at DESC);

-- +goose Down
DROP INDEX import_jobs_zone_created;
