-- +goose Up
-- An event's page views (through its tracked link) and its openings'
-- clicks are counted once per visitor a day: anyone could raise them with a
-- loop of requests (probe16). A visitor is a keyed hash of the client's
-- address and browser, the address a keyed hash of the address alone (no
-- address is stored); opening_id is the nil UUID for a page view.
CREATE TABLE event_hits (
    event_id   uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    opening_id uuid NOT NULL,
    day        date NOT NULL,
    visitor    text NOT NULL,
    address    text NOT NULL,
    PRIMARY KEY (event_id, opening_id, day, visitor)
);
-- The cap on what one address counts for an event in a day.
CREATE INDEX event_hits_address_idx ON event_hits (event_id, day, address);

-- +goose Down
DROP TABLE event_hits;
