-- The benchmark data set, one statement per step, run in order in one
-- transaction by Generate. Every row it makes is marked (employers named
-- 压测单位…, openings described 压测岗位描述…, graduates load-N@bench.test).

-- name: employers
-- Verified employers across every zone, 30% outside any zone. $1 = how many.
INSERT INTO employers (name, credit_code, type, size, industry, province_code, zone_code, status, verified_at)
SELECT '压测单位' || i,
       '91' || lpad(i::text, 16, '0'),
       (ARRAY['enterprise','university','institute'])[1 + i % 3],
       (ARRAY['micro','small','medium','large'])[1 + i % 4],
       (ARRAY['ai','next_gen_it','biomedicine','new_materials','new_energy','high_end_equipment'])[1 + i % 6],
       z.province_code,
       CASE WHEN i % 10 < 3 THEN NULL ELSE z.code END,
       'verified',
       now()
FROM generate_series(1, $1::int) i
JOIN (SELECT code, province_code, row_number() OVER (ORDER BY code) - 1 AS n FROM zones) z ON z.n = i % 178;

-- name: openings
-- Published openings spread over the employers. $1 = openings, $2 = employers.
WITH e AS (
    SELECT id, row_number() OVER (ORDER BY credit_code) - 1 AS n
    FROM employers
    WHERE name LIKE '压测单位%'
)
INSERT INTO openings (employer_id, title, description, discipline, industry, degree_min, majors, headcount, city,
                      salary_min, salary_max, deadline, status, published_at, approved_at, developed_on,
                      developed_headcount, created_at)
SELECT e.id,
       (ARRAY['人工智能','机器学习','生物医药','新材料','Java开发','量子信息','芯片验证','智能制造','储能系统','2026届'])[1 + i % 10] ||
       (ARRAY['科研助理','研发助理','实验助理','数据分析助理'])[1 + (i / 10) % 4],
       '压测岗位描述：参与课题研究、实验与数据分析。编号' || i,
       'engineering',
       (ARRAY['ai','next_gen_it','biomedicine','new_materials','new_energy','high_end_equipment'])[1 + i % 6],
       (ARRAY['associate','bachelor','master','doctor'])[1 + i % 4],
       ARRAY['计算机科学与技术'],
       5 + i % 16,
       (ARRAY['成都','北京','深圳','杭州','武汉','西安','合肥','南京'])[1 + i % 8],
       4000 + (i % 20) * 500,
       8000 + (i % 20) * 500,
       current_date + 30 + i % 300,
       'published',
       now() - (i % 200) * interval '1 day',
       now() - (i % 200) * interval '1 day',
       current_date - (i % 200),
       5 + i % 16,
       now() - (i % 200) * interval '1 day'
FROM generate_series(0, $1::int - 1) i
JOIN e ON e.n = i % $2::int;

-- name: graduates (users)
-- $1 = password hash, $2 = how many.
INSERT INTO users (role, email, password_hash, name)
SELECT 'graduate', 'load-' || i || '@bench.test', $1::text, '压测毕业生' || i
FROM generate_series(1, $2::int) i;

-- name: graduates (profiles)
INSERT INTO graduates (user_id, university, degree, major, graduation_year)
SELECT id,
       '压测大学',
       (ARRAY['associate','bachelor','master','doctor'])[1 + (split_part(split_part(email, '-', 2), '@', 1))::int % 4],
       '计算机科学与技术',
       2026
FROM users
WHERE email LIKE 'load-%@bench.test';

-- name: numbering
CREATE TEMP TABLE load_o ON COMMIT DROP AS
SELECT id, row_number() OVER (ORDER BY id) - 1 AS n
FROM openings
WHERE description LIKE '压测岗位描述%';

-- name: numbering graduates
CREATE TEMP TABLE load_g ON COMMIT DROP AS
SELECT id, row_number() OVER (ORDER BY id) AS n
FROM users
WHERE email LIKE 'load-%@bench.test';

-- name: applications
-- Each graduate applies to distinct openings; graduates 1..$1 are hired on
-- their first. $1 = placements, $2 = applications per graduate, $3 = openings.
INSERT INTO applications (opening_id, graduate_id, status, created_at, updated_at)
SELECT o.id,
       g.id,
       CASE WHEN k = 0 AND g.n <= $1::int THEN 'hired' ELSE 'submitted' END,
       now() - interval '30 days',
       now()
FROM load_g g
CROSS JOIN generate_series(0, $2::int - 1) k
JOIN load_o o ON o.n = (g.n * 7 + k * 13001) % $3::int;

-- name: placements
INSERT INTO placements (application_id, opening_id, employer_id, graduate_id, zone_code, province_code, hired_on, year, month)
SELECT a.id, a.opening_id, o.employer_id, a.graduate_id, e.zone_code, e.province_code, d,
       extract(year FROM d)::int, extract(month FROM d)::int
FROM applications a
JOIN openings o ON o.id = a.opening_id
JOIN employers e ON e.id = o.employer_id
CROSS JOIN LATERAL (SELECT (date '2025-06-01' + (abs(hashtext(a.id::text)) % 540))::date AS d) h
WHERE a.status = 'hired'
  AND a.graduate_id IN (SELECT id FROM load_g)
  AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.application_id = a.id);

-- name: seat counts
UPDATE openings o
SET placements = c.n
FROM (SELECT opening_id, count(*) AS n FROM placements WHERE status = 'active' GROUP BY 1) c
WHERE o.id = c.opening_id;
