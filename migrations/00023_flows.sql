-- +goose Up
-- Saved jobs (收藏): a graduate keeps openings to come back to. Only the
-- graduate reads its own list; a closed opening stays in it, shown closed.
CREATE TABLE saved_openings (
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    opening_id uuid NOT NULL REFERENCES openings(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, opening_id)
);
CREATE INDEX saved_openings_user_created ON saved_openings (user_id, created_at DESC);

-- An employer's private assessment of an applicant: a rating and a note that
-- only that employer's users read. Kept apart from applications so that no
-- query serving the graduate, or an export, can select them by accident.
CREATE TABLE application_assessments (
    application_id uuid PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
    rating         smallint CHECK (rating BETWEEN 1 AND 5),
    note           text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    updated_by     uuid REFERENCES users(id) ON DELETE SET NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- The content of an opening as it was last approved, so a reviewer of a later
-- edit sees what changed since (old → new per field). NULL: never approved
-- since this column exists.
ALTER TABLE openings ADD COLUMN approved_content jsonb;

-- +goose Down
ALTER TABLE openings DROP COLUMN approved_content;
DROP TABLE application_assessments;
DROP TABLE saved_openings;
