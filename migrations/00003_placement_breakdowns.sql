-- +goose Up
-- Placements per zone, month and breakdown value (employer type and size,
-- opening industry, graduate degree): the programme's "规模稳、产业聚、企业微、
-- 人员优" views, kept in the hire and revoke transactions so dashboards and
-- monthly reports never scan raw placements.
CREATE TABLE placement_breakdowns (
    province_code char(2) NOT NULL REFERENCES provinces(code),
    zone_code     text NOT NULL DEFAULT '',
    year          int NOT NULL,
    month         int NOT NULL CHECK (month BETWEEN 1 AND 12),
    dimension     text NOT NULL CHECK (dimension IN ('employer_type','employer_size','industry','degree')),
    value         text NOT NULL,
    placements    int NOT NULL DEFAULT 0 CHECK (placements >= 0),
    PRIMARY KEY (province_code, zone_code, year, month, dimension, value)
);
CREATE INDEX placement_breakdowns_zone_idx ON placement_breakdowns(zone_code, year);
CREATE INDEX placement_breakdowns_year_idx ON placement_breakdowns(year, dimension);

-- Like-for-like year-on-year and the sprint's 7-day pace count by day.
CREATE INDEX placements_hired_on_idx ON placements(hired_on, zone_code, province_code) WHERE status = 'active';

-- +goose Down
DROP INDEX placements_hired_on_idx;
DROP TABLE placement_breakdowns;
