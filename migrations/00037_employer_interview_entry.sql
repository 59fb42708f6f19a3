-- +goose Up
-- interview_employer_entry: the employer's users were mailed the interview
-- as an entry of their own calendar (the graduate picked its time), so the
-- employer's own later changes update or cancel that entry. Interviews
-- picked before this column existed hold their picked time still.
ALTER TABLE applications
    ADD COLUMN interview_employer_entry boolean NOT NULL DEFAULT false;

UPDATE applications a
    SET interview_employer_entry = true
    WHERE EXISTS (
        SELECT 1
        FROM interview_slots s
        WHERE s.application_id = a.id AND s.picked_at IS NOT NULL);

-- +goose Down
ALTER TABLE applications DROP COLUMN interview_employer_entry;
