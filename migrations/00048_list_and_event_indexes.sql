-- +goose NO TRANSACTION
-- Indexes a speed probe asked for, at the programme's scale (1 M
-- applications, 100 K placements):
--   - the staff lists of applications and placements sort the whole scope
--     for each page (national page 1: 1.8 s); these give their order;
--   - an event's funnel counts its applications and placements, by full
--     scans (130 ms an event, seconds for a list of events).
-- Built CONCURRENTLY (hence no transaction): a deploy does not stop hiring
-- while they build. IF NOT EXISTS lets a build cut short be run again after
-- its invalid index is dropped.

-- +goose Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS applications_created_idx ON applications (created_at DESC, id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS placements_hired_idx ON placements (hired_on DESC, id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS applications_event_idx ON applications (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS placements_event_idx ON placements (event_id) WHERE event_id IS NOT NULL;

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS placements_event_idx;
DROP INDEX CONCURRENTLY IF EXISTS applications_event_idx;
DROP INDEX CONCURRENTLY IF EXISTS placements_hired_idx;
DROP INDEX CONCURRENTLY IF EXISTS applications_created_idx;
