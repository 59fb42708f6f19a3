-- +goose Up
-- A placement keeps its value of each report dimension as it was at the
-- hire (domain.Dimensions): a graduate may correct the degree and an
-- employer edit an opening's industry afterwards, and a revoke took the
-- placement off the breakdowns under the new values, leaving them adding up
-- to more than the placements, or refused (a numbers probe). Placements
-- hired before get today's values, the ones a rebuild of the counters read.
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

-- +goose Down
ALTER TABLE placements
    DROP COLUMN dimensions;
