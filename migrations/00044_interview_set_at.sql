-- +goose Up
-- When an interview's current time was set (arranged, moved or picked):
-- one set within a day of its start is not reminded, its mail of the
-- moment says the same. updated_at told it until now, a general column
-- any later write would have moved (a review).
ALTER TABLE applications
    ADD COLUMN interview_set_at timestamptz;

UPDATE applications
SET interview_set_at = updated_at
WHERE interview_starts_at IS NOT NULL;

-- +goose Down
ALTER TABLE applications
    DROP COLUMN interview_set_at;
