-- +goose Up
-- Spreadsheet imports run in the background; their progress and per-row
-- errors live here so any replica can answer "how far along is it".
CREATE TABLE import_jobs (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind       text NOT NULL CHECK (kind IN ('employers','openings')),
    zone_code  text NOT NULL REFERENCES zones(code),
    created_by uuid NOT NULL REFERENCES users(id),
    status     text NOT NULL DEFAULT 'running' CHECK (status IN ('running','done','failed')),
    total      int NOT NULL DEFAULT 0,
    done       int NOT NULL DEFAULT 0,
    created    int NOT NULL DEFAULT 0,
    errors     jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);

-- Opening clicks per event and opening, for the livestream funnel.
ALTER TABLE event_openings ADD COLUMN clicks int NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE event_openings DROP COLUMN clicks;
DROP TABLE import_jobs;
