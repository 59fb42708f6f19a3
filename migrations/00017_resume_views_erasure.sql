-- +goose Up
-- Every read of a graduate's résumé by an employer's user: which employer,
-- which of its users, when. The graduate sees the list (GET /me/resume/views)
-- and it is part of the graduate's data export; it is erased with the account.
CREATE TABLE resume_views (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    graduate_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    employer_id uuid NOT NULL REFERENCES employers(id),
    viewer_id   uuid NOT NULL REFERENCES users(id),
    viewed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resume_views_graduate_idx ON resume_views(graduate_id, viewed_at DESC, id);

-- An erased account (DELETE /me) keeps its row, pseudonymised, because
-- placements, applications and the audit trail point at it and must stay
-- counted; deleted_at marks it so no token of it is accepted again.
ALTER TABLE users ADD COLUMN deleted_at timestamptz;

-- +goose Down
ALTER TABLE users DROP COLUMN deleted_at;
DROP TABLE resume_views;
