-- +goose Up
-- Yearly breakdowns per province: the province and national views read ~550
-- rows here instead of every zone's monthly rows. Kept in the same
-- transactions as placement_breakdowns.
CREATE TABLE placement_breakdowns_year (
    province_code char(2) NOT NULL REFERENCES provinces(code),
    year          int NOT NULL,
    dimension     text NOT NULL,
    value         text NOT NULL,
    placements    int NOT NULL DEFAULT 0 CHECK (placements >= 0),
    PRIMARY KEY (year, province_code, dimension, value)
);
INSERT INTO placement_breakdowns_year (province_code, year, dimension, value, placements)
SELECT province_code, year, dimension, value, sum(placements) FROM placement_breakdowns GROUP BY 1, 2, 3, 4;

-- +goose Down
DROP TABLE placement_breakdowns_year;
