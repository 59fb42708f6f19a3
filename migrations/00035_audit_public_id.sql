-- +goose Up
-- The API shows an audit entry by an opaque ID (the contract: IDs are not
-- guessable sequential numbers); the row number stays the order.
ALTER TABLE audit_log ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX audit_log_public_id_idx ON audit_log (public_id);

-- +goose Down
DROP INDEX audit_log_public_id_idx;
ALTER TABLE audit_log DROP COLUMN public_id;
