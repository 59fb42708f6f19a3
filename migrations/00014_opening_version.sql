-- +goose Up
-- version grows with every change of an opening's content, so a reviewer's
-- approval can name the text it saw (POST /openings/{id}/approve {version}).
ALTER TABLE openings ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);

-- +goose Down
ALTER TABLE openings DROP COLUMN version;
