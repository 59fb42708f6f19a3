-- +goose Up
-- An employer's page lists its own audit entries (its history).
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id DESC);

-- +goose Down
DROP INDEX audit_log_entity_idx;
