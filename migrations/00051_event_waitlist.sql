-- +goose Up
-- The waitlist of a full event: a place freed goes to the first on it, in
-- the transaction that frees it (Store.fillPlaces). The order is the time
-- joined, then the graduate's ID, so two who joined in the same
-- microsecond still have one order.
CREATE TABLE event_waitlist (
    event_id    uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    graduate_id uuid NOT NULL REFERENCES graduates(user_id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, graduate_id)
);
CREATE INDEX event_waitlist_order ON event_waitlist (event_id, created_at, graduate_id);

-- +goose Down
DROP TABLE event_waitlist;
