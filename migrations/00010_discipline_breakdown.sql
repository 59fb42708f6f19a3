-- +goose Up
-- Placements by the opening's discipline (学科门类), a fifth report dimension
-- (domain.Dimensions): allow it and count the placements made before it.
ALTER TABLE placement_breakdowns DROP CONSTRAINT placement_breakdowns_dimension_check;
ALTER TABLE placement_breakdowns ADD CONSTRAINT placement_breakdowns_dimension_check
    CHECK (dimension IN ('employer_type','employer_size','industry','degree','discipline'));

INSERT INTO placement_breakdowns (province_code, zone_code, year, month, dimension, value, placements)
SELECT p.province_code, coalesce(p.zone_code, ''), p.year, p.month, 'discipline', o.discipline, count(*)
FROM placements p
JOIN openings o ON o.id = p.opening_id
WHERE p.status = 'active'
GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO placement_breakdowns_year (province_code, year, dimension, value, placements)
SELECT province_code, year, dimension, value, sum(placements)
FROM placement_breakdowns
WHERE dimension = 'discipline'
GROUP BY 1, 2, 3, 4;

-- +goose Down
DELETE FROM placement_breakdowns_year WHERE dimension = 'discipline';
DELETE FROM placement_breakdowns WHERE dimension = 'discipline';
ALTER TABLE placement_breakdowns DROP CONSTRAINT placement_breakdowns_dimension_check;
ALTER TABLE placement_breakdowns ADD CONSTRAINT placement_breakdowns_dimension_check
    CHECK (dimension IN ('employer_type','employer_size','industry','degree'));
