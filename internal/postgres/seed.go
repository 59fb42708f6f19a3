package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// HistoryYear describes one past year of one employer, loaded as raw rows:
// closed openings approved in the year (positions developed) and graduates
// hired into them (placements).
type HistoryYear struct {
	EmployerID   string
	Year         int
	Positions    int // headcount developed in the year
	Placements   int // placements with hired_on in the year, ≤ Positions
	Title        string
	Industry     string
	Discipline   string
	City         string
	Tag          string // makes generated emails unique and the load idempotent
	PasswordHash string
	Names        func(i int) string
}

const countUsersWithEmail = `SELECT count(*)
	FROM users
	WHERE email = ?`

const insertHistoryOpenings = `INSERT INTO openings (id, employer_id, title, description, discipline, industry, degree_min, majors,
	headcount, city, salary_min, salary_max, deadline, status, placements, developed_on, developed_headcount,
	submitted_at, approved_at, published_at, closed_at, created_at, updated_at)
	SELECT id::uuid, ?, title, '往年科研助理岗位（历史数据）', ?, ?, 'bachelor', '{}', hc, ?, 5000, 9000,
	make_date(?, 8, 31), 'closed', placed, dev::date, hc, dev::timestamptz, dev::timestamptz, dev::timestamptz,
	make_date(?, 12, 31)::timestamptz, dev::timestamptz, now()
	FROM unnest(?::text[], ?::text[], ?::int[], ?::int[], ?::text[]) AS t(id, title, hc, placed, dev)`

const insertHistoryGraduateUsers = `INSERT INTO users (id, role, email, password_hash, name, created_at)
	SELECT id::uuid, 'graduate', email, ?, name, make_date(?, 3, 1)
	FROM unnest(?::text[], ?::text[], ?::text[]) AS t(id, email, name)`

const insertHistoryGraduates = `INSERT INTO graduates (user_id, university, degree, major, graduation_year)
	SELECT id::uuid, '示例大学', degree, '示例专业', ?
	FROM unnest(?::text[], ?::text[]) AS t(id, degree)`

// insertHistoryPlacements hires each (graduate, opening, day) row: a hired
// application and its placement at the employer.
const insertHistoryPlacements = `WITH rows AS (
		SELECT gen_random_uuid() AS app_id, g::uuid AS graduate_id, o::uuid AS opening_id, d::date AS hired_on
		FROM unnest(?::text[], ?::text[], ?::text[]) AS t(g, o, d)),
	apps AS (
		INSERT INTO applications (id, opening_id, graduate_id, status, first_employer_move_at, created_at, updated_at)
		SELECT app_id, opening_id, graduate_id, 'hired', hired_on - 10, hired_on - 20, hired_on FROM rows
		RETURNING id)
	INSERT INTO placements (application_id, opening_id, employer_id, graduate_id,
	zone_code, province_code, hired_on, year, month, created_at)
	SELECT r.app_id, r.opening_id, e.id, r.graduate_id, e.zone_code, e.province_code, r.hired_on,
	extract(year FROM r.hired_on)::int, extract(month FROM r.hired_on)::int, r.hired_on
	FROM rows r JOIN apps a ON a.id = r.app_id JOIN employers e ON e.id = ?`

// LoadHistory inserts a past year as raw rows in one transaction: openings of
// up to 100 seats, one new graduate, application and placement per
// placement. Counters are not touched: call RebuildCounters afterwards. It
// returns false when the tag was already loaded.
func (s *Store) LoadHistory(ctx context.Context, h HistoryYear) (bool, error) {
	if h.Placements > h.Positions {
		return false, fmt.Errorf("history %s: %d placements exceed %d positions", h.Tag, h.Placements, h.Positions)
	}
	loaded := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Raw(countUsersWithEmail, h.email(1)).Scan(&n).Error; err != nil {
			return err
		}
		if n > 0 || (h.Placements == 0 && h.Positions == 0) {
			return nil
		}
		loaded = true
		// Openings: 100 seats each, the last takes the remainder; seats are
		// filled in order.
		var oIDs, oTitles, oDeveloped []string
		var oHeadcount, oPlaced []int64
		left := h.Placements
		for i := 0; i*100 < h.Positions; i++ {
			hc := min(100, h.Positions-i*100)
			placed := min(hc, left)
			left -= placed
			oIDs = append(oIDs, uuid.NewString())
			oTitles = append(oTitles, fmt.Sprintf("%s（%d年第%d批）", h.Title, h.Year, i+1))
			oHeadcount = append(oHeadcount, int64(hc))
			oPlaced = append(oPlaced, int64(placed))
			oDeveloped = append(oDeveloped, domain.Date{Year: h.Year, Month: 3 + i%5, Day: 1 + (i*3)%27}.String())
		}
		if err := tx.Exec(insertHistoryOpenings, h.EmployerID, h.Discipline, h.Industry, h.City, h.Year, h.Year,
			pq.StringArray(oIDs), pq.StringArray(oTitles), pq.Int64Array(oHeadcount), pq.Int64Array(oPlaced), pq.StringArray(oDeveloped)).Error; err != nil {
			return err
		}
		// One graduate, application and placement per placement.
		var gIDs, emails, names, degrees, openingIDs, hiredOn []string
		i := 0
		for k, id := range oIDs {
			for j := 0; j < int(oPlaced[k]); j++ {
				i++
				gIDs = append(gIDs, uuid.NewString())
				emails = append(emails, h.email(i))
				names = append(names, h.Names(i))
				degrees = append(degrees, domain.Degrees[[]int{1, 1, 2, 2, 2, 3, 0, 1, 2, 1}[i%10]])
				openingIDs = append(openingIDs, id)
				// Hires cluster in the May–August sprint, as the programme's do.
				month := []int{5, 6, 6, 7, 7, 7, 8, 8, 9, 4, 10, 11}[i%12]
				hiredOn = append(hiredOn, domain.Date{Year: h.Year, Month: month, Day: 1 + (i*7)%28}.String())
			}
		}
		if len(gIDs) == 0 {
			return nil
		}
		if err := tx.Exec(insertHistoryGraduateUsers,
			h.PasswordHash, h.Year, pq.StringArray(gIDs), pq.StringArray(emails), pq.StringArray(names)).Error; err != nil {
			return err
		}
		if err := tx.Exec(insertHistoryGraduates, h.Year, pq.StringArray(gIDs), pq.StringArray(degrees)).Error; err != nil {
			return err
		}
		return tx.Exec(insertHistoryPlacements,
			pq.StringArray(gIDs), pq.StringArray(openingIDs), pq.StringArray(hiredOn), h.EmployerID).Error
	})
	return loaded, translate(err)
}

func (h HistoryYear) email(i int) string {
	return fmt.Sprintf("hist.%s.%d.%d@demo.gradzone.cn", h.Tag, h.Year, i)
}

// recountedCounters is what progress_counters must hold, recounted from the
// raw rows: positions developed from openings, placements from active
// placements, per province, zone (empty for none), year and month (a key may
// come twice: sum them).
const recountedCounters = `SELECT e.province_code, coalesce(e.zone_code, '') AS zone_code,
		extract(year FROM o.developed_on)::int AS year, extract(month FROM o.developed_on)::int AS month,
		sum(o.developed_headcount) AS positions, 0 AS placements
	FROM openings o JOIN employers e ON e.id = o.employer_id
	WHERE o.developed_on IS NOT NULL
	GROUP BY 1, 2, 3, 4
	UNION ALL
	SELECT province_code, coalesce(zone_code, ''), year, month, 0, count(*)
	FROM placements
	WHERE status = 'active'
	GROUP BY 1, 2, 3, 4`

const recountProgressCounters = `INSERT INTO progress_counters (province_code, zone_code, year, month, positions_developed, placements)
	SELECT province_code, zone_code, year, month, sum(positions), sum(placements)
	FROM (` + recountedCounters + `) x
	GROUP BY 1, 2, 3, 4`

var recountMonthBreakdowns = `INSERT INTO placement_breakdowns (province_code, zone_code, year, month, dimension, value, placements)
	` + recountBreakdowns

// rollUpYearBreakdowns fills the yearly rollup from the monthly breakdowns.
const rollUpYearBreakdowns = `INSERT INTO placement_breakdowns_year (province_code, year, dimension, value, placements)
	SELECT province_code, year, dimension, value, sum(placements)
	FROM placement_breakdowns
	GROUP BY 1, 2, 3, 4`

// RebuildCounters recomputes the progress counters and breakdowns from the
// raw rows; placements a bulk load inserted get their dimension values
// first, and the others keep those of their hire. The tables are locked
// for the duration, so hires wait and then add to the rebuilt numbers: the
// result stays exact under traffic.
func (s *Store) RebuildCounters(ctx context.Context) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		stmts := []string{
			`LOCK TABLE progress_counters, placement_breakdowns, placement_breakdowns_year IN EXCLUSIVE MODE`,
			keepDimensions,
			`DELETE FROM progress_counters`,
			recountProgressCounters,
			`DELETE FROM placement_breakdowns`,
			recountMonthBreakdowns,
			`DELETE FROM placement_breakdowns_year`,
			rollUpYearBreakdowns,
		}
		for _, q := range stmts {
			if err := tx.Exec(q).Error; err != nil {
				return err
			}
		}
		return nil
	}))
}

// EmployerByCreditCode finds an employer by its credit code (seed, import).
func (s *Store) EmployerByCreditCode(ctx context.Context, code string) (domain.Employer, error) {
	var e employerRow
	err := s.db.WithContext(ctx).Where("credit_code = ?", code).Take(&e).Error
	return e.toDomain(), translate(err)
}

// UserByEmail finds a user by email (seed).
func (s *Store) UserByEmail(ctx context.Context, email string) (domain.User, domain.Caller, error) {
	var u userRow
	if err := s.db.WithContext(ctx).Where("email = ?", email).Take(&u).Error; err != nil {
		return domain.User{}, domain.Caller{}, translate(err)
	}
	c := domain.Caller{UserID: u.ID, Role: domain.Role(u.Role), EmployerID: deref(u.EmployerID), ZoneCode: deref(u.ZoneCode), ProvinceCode: deref(u.ProvinceCode)}
	return u.toDomain(), c, nil
}

// demoEmails matches the addresses of demo accounts: every one is under
// demo.gradzone.cn (hr@zhisuan.demo.gradzone.cn included).
const demoEmails = `(email LIKE '%@demo.gradzone.cn' OR email LIKE '%.demo.gradzone.cn')`

const countNonDemoAccounts = `SELECT count(*)
	FROM users
	WHERE NOT ` + demoEmails

const setDemoPasswords = `UPDATE users
	SET password_hash = ?
	WHERE ` + demoEmails

// NonDemoAccounts counts accounts that the demo did not make: seeding over
// them would mix a known demo password into a real database.
func (s *Store) NonDemoAccounts(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(countNonDemoAccounts).Scan(&n).Error
	return n, err
}

// SetDemoPasswords gives every demo account the password hash, so the
// password a seed run prints signs in to accounts an earlier run made.
func (s *Store) SetDemoPasswords(ctx context.Context, hash string) error {
	return s.db.WithContext(ctx).Exec(setDemoPasswords, hash).Error
}
