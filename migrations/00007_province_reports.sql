-- +goose Up
-- A province's own monthly report: its zones' reports and its zone-less
-- employers, frozen when the province submits it to the ministry.
CREATE TABLE province_reports (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    province_code char(2) NOT NULL REFERENCES provinces(code),
    year          int NOT NULL,
    month         int NOT NULL CHECK (month BETWEEN 1 AND 12),
    snapshot      jsonb NOT NULL,
    submitted_at  timestamptz NOT NULL DEFAULT now(),
    submitted_by  uuid NOT NULL REFERENCES users(id),
    UNIQUE (province_code, year, month)
);

-- +goose Down
DROP TABLE province_reports;
