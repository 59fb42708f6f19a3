-- +goose Up
-- Staff may return a pending employer's registration for correction: the
-- reason stays on the employer until it corrects its details.
ALTER TABLE employers ADD COLUMN return_reason text, ADD COLUMN returned_at timestamptz;

-- +goose Down
ALTER TABLE employers DROP COLUMN return_reason, DROP COLUMN returned_at;
