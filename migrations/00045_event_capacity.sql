-- +goose Up
-- capacity: how many may register for an event (a hall's seats, a fair's
-- booths); NULL is no limit. Registrations are refused once it is reached
-- (409 event_full) and a withdrawal frees a place.
ALTER TABLE events ADD COLUMN capacity int CHECK (capacity BETWEEN 1 AND 100000);

-- +goose Down
ALTER TABLE events DROP COLUMN capacity;
