-- +goose Up
-- A placement keeps its value of each report dimension as it was at the
-- hire (domain.Dimensions): a graduate may correct the degree and an
-- employer edit an opening's industry afterwards, and a revoke took the
-- placement off the breakdowns under the new values, leaving them adding up
-- to more than the placements, or refused (a numbers probe). Placements
-- hired before get today's values, the ones a rebuild of the counters read,
-- and the breakdowns are recounted from them: a placement corrected before
-- moves once, to its value of today, and its revoke then takes off what it
-- added.
ALTER TABLE placements
    ADD COLUMN dimensions jsonb;

UPDATE placements p
SET dimensions = jsonb_build_object(
        'employer_type', e.type,
        'employer_size', e.size,
        'industry', o.industry,
        'degree', g.degree,
        'discipline', o.discipline)
FROM employers e, openings o, graduates g
WHERE e.id = p.employer_id
    AND o.id = p.opening_id
    AND g.user_id = p.graduate_id;

DELETE FROM placement_breakdowns;

INSERT INTO placement_breakdowns (province_code, zone_code, year, month, dimension, value, placements)
SELECT p.province_code, coalesce(p.zone_code, ''), p.year, p.month, d.dimension, d.value, count(*)
FROM placements p
CROSS JOIN LATERAL jsonb_each_text(p.dimensions) d(dimension, value)
WHERE p.status = 'active'
GROUP BY 1, 2, 3, 4, 5, 6;

DELETE FROM placement_breakdowns_year;

INSERT INTO placement_breakdowns_year (province_code, year, dimension, value, placements)
SELECT province_code, year, dimension, value, sum(placements)
FROM placement_breakdowns
GROUP BY 1, 2, 3, 4;

-- +goose Down
ALTER TABLE placements
    DROP COLUMN dimensions;
