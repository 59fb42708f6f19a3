-- +goose NO TRANSACTION
-- Indexes a speed probe asked for, at the programme's scale (1 M
-- applications, 100 K placements):
--   - the staff lists of applications and placements sort the whole scope
--     for each page (national page 1: 1.8 s); these give their order;
--   - an event's funnel counts its applications and placements, by full
--     scans (130 ms an event, seconds for a list of events).
-- Built CONCURRENTLY (hence no transaction): a deploy does not stop hiring
-- while they build. A build cut short (a cancel, a killed pod) leaves an
-- INVALID index under its name, and the migration is not recorded: each
-- index is dropped before it is built, so the run that follows (the migrate
-- Job retries) builds it anew instead of taking the broken one for done.

-- +goose Up
DROP INDEX CONCURRENTLY IF EXISTS applications_created_idx;
CREATE INDEX CONCURRENTLY applications_created_idx ON applications (created_at DESC, id);
DROP INDEX CONCURRENTLY IF EXISTS placements_hired_order_idx;
CREATE INDEX CONCURRENTLY placements_hired_order_idx ON placements (hired_on DESC, id);
DROP INDEX CONCURRENTLY IF EXISTS applications_event_idx;
CREATE INDEX CONCURRENTLY applications_event_idx ON applications (event_id) WHERE event_id IS NOT NULL;
DROP INDEX CONCURRENTLY IF EXISTS placements_event_idx;
CREATE INDEX CONCURRENTLY placements_event_idx ON placements (event_id) WHERE event_id IS NOT NULL;

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS placements_event_idx;
DROP INDEX CONCURRENTLY IF EXISTS applications_event_idx;
DROP INDEX CONCURRENTLY IF EXISTS placements_hired_order_idx;
DROP INDEX CONCURRENTLY IF EXISTS applications_created_idx;
