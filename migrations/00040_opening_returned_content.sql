-- +goose Up
-- An opening returned to its employer remembers why and what it said
-- then, until it is approved: when it comes back for review, its reviewer
-- reads the earlier reason and what the employer changed (an employer walk
-- found the second review identical to a first).
ALTER TABLE openings
    ADD COLUMN returned_content jsonb,
    ADD COLUMN returned_reason text;

-- +goose Down
ALTER TABLE openings
    DROP COLUMN returned_content,
    DROP COLUMN returned_reason;
