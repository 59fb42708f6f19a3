-- +goose Up
-- Notifying an employer's users on every application looks them up by
-- employer: without this index each apply scanned every user.
CREATE INDEX users_employer_idx ON users(employer_id) WHERE employer_id IS NOT NULL;
CREATE INDEX users_zone_admin_idx ON users(zone_code) WHERE role = 'zone_admin';

-- +goose Down
DROP INDEX users_zone_admin_idx;
DROP INDEX users_employer_idx;
