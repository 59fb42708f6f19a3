package postgres

import (
	"cmp"
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

type placementRow struct {
	ID            string
	ApplicationID string
	OpeningID     string
	OpeningTitle  string
	EmployerID    string
	EmployerName  string
	GraduateID    string
	GraduateName  string
	ZoneCode      *string
	ProvinceCode  string
	HiredOn       time.Time
	Year          int
	Month         int
	Status        string
	EventID       *string
	RevokedAt     *time.Time
	RevokeReason  *string
	CreatedAt     time.Time
	Phone         *string
}

const placementSelect = `SELECT p.id, p.application_id, p.opening_id, o.title AS opening_title, p.employer_id, e.name AS employer_name,
	p.graduate_id, u.name AS graduate_name, p.zone_code, p.province_code, p.hired_on, p.year, p.month, p.status, p.event_id,
	p.revoked_at, p.revoke_reason, p.created_at, g.phone
	FROM placements p JOIN openings o ON o.id = p.opening_id JOIN employers e ON e.id = p.employer_id
	JOIN users u ON u.id = p.graduate_id JOIN graduates g ON g.user_id = p.graduate_id`

const placementByID = placementSelect + `
	WHERE p.id = ?`

const placementForUpdate = placementByID + `
	FOR UPDATE OF p`

func (r placementRow) toDomain() domain.Placement {
	return domain.Placement{ID: r.ID, ApplicationID: r.ApplicationID, OpeningID: r.OpeningID, OpeningTitle: r.OpeningTitle,
		EmployerID: r.EmployerID, EmployerName: r.EmployerName, GraduateID: r.GraduateID, GraduateName: r.GraduateName,
		ZoneCode: r.ZoneCode, ProvinceCode: r.ProvinceCode, HiredOn: r.HiredOn.Format(domain.DateLayout), Year: r.Year, Month: r.Month,
		Status: r.Status, EventID: r.EventID, RevokedAt: r.RevokedAt, RevokeReason: r.RevokeReason, CreatedAt: r.CreatedAt, GraduatePhone: deref(r.Phone)}
}

// placementsOrder is the placements' order: the newest hire first.
const placementsOrder = `p.hired_on DESC, p.id`

// Placements lists placements in scope: an employer its own, a graduate its
// own, staff their zone or province, the ministry all.
func (s *Store) Placements(ctx context.Context, c domain.Caller, f domain.PlacementFilter, p domain.Page) ([]domain.Placement, int64, error) {
	rows, total, err := listPage[placementRow](s.db.WithContext(ctx), `placements p`, placementSelect, placementsOrder, placementsWhere(c, f), p)
	if err != nil {
		return nil, 0, err
	}
	return toDomains[domain.Placement](rows), total, nil
}

// defaultExportBatch is how many placements EachPlacement reads a
// statement.
const defaultExportBatch = 1000

// SetExportBatch sets how many rows an export reads a statement (tests
// read small batches to cross their edges).
func (s *Store) SetExportBatch(n int) { s.exportBatch = n }

// EachPlacement calls fn with each placement Placements lists, in its
// order, neither counted nor paged by offset: the CSV export read pages of
// 500, each counting, joining and sorting the whole scope again (45 s for
// the country at the programme's scale; a speed probe). It reads batches
// after the last row read (hired_on DESC, id: the order's index), each a
// short statement, so a slow download holds no connection and meets no
// statement_timeout (a review), and a hire or a revocation during the
// export neither repeats nor drops a row read later. fn's error ends the
// reading and is returned.
func (s *Store) EachPlacement(ctx context.Context, c domain.Caller, f domain.PlacementFilter, fn func(domain.Placement) error) error {
	db := s.db.WithContext(ctx)
	batch := cmp.Or(s.exportBatch, defaultExportBatch)
	var after *placementRow
	for {
		w := placementsWhere(c, f)
		if after != nil {
			day := after.HiredOn.Format(domain.DateLayout)
			w.and("(p.hired_on < ?::date OR p.hired_on = ?::date AND p.id > ?::uuid)", day, day, after.ID)
		}
		var rows []placementRow
		if err := db.Raw(placementSelect+` WHERE `+w.where+` ORDER BY `+placementsOrder+` LIMIT ?`, append(w.args, batch)...).Scan(&rows).Error; err != nil {
			return translate(err)
		}
		for _, r := range rows {
			if err := fn(r.toDomain()); err != nil {
				return err
			}
		}
		if len(rows) < batch {
			return nil
		}
		after = &rows[len(rows)-1]
	}
}

// placementsWhere is the filter of the placements in c's scope that f
// names.
func placementsWhere(c domain.Caller, f domain.PlacementFilter) *filter {
	w := newFilter(scopeWhere(c, scopeColumns{Graduate: "p.graduate_id", Employer: "p.employer_id", Zone: "p.zone_code", Province: "p.province_code"}))
	add := func(cond string, v any) { w.and(cond, v) }
	if f.Zone != "" {
		add("p.zone_code = ?", f.Zone)
	}
	if f.Province != "" {
		add("p.province_code = ?", f.Province)
	}
	if f.Year != 0 {
		add("p.year = ?", f.Year)
	}
	if f.Month != 0 {
		add("p.month = ?", f.Month)
	}
	if f.Status != "" {
		add("p.status = ?", f.Status)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		// Subqueries, not the select's joins: the count reads placements
		// alone.
		like := "%" + escapeLike(q) + "%"
		w.and(`(EXISTS (SELECT 1 FROM users qu WHERE qu.id = p.graduate_id AND qu.name ILIKE ?)
			OR EXISTS (SELECT 1 FROM openings qo WHERE qo.id = p.opening_id AND qo.title ILIKE ?)
			OR EXISTS (SELECT 1 FROM employers qe WHERE qe.id = p.employer_id AND qe.name ILIKE ?))`, like, like, like)
	}
	return w
}

const revokePlacement = `UPDATE placements
	SET status = 'revoked', revoked_at = now(), revoked_by = ?, revoke_reason = ?
	WHERE id = ?`

// touchRevokedApplication moves the application's updated_at to the
// revoke's time (now(), as revoked_at): a revoke changes the record, though
// not its status (a walk read 更新于 at the hire after a revoke). Nothing
// reads updated_at as the time of a move of status: the stale flag and the
// employer's response time read created_at and first_employer_move_at.
const touchRevokedApplication = `UPDATE applications
	SET updated_at = now()
	WHERE id = ?`

const uncountOpeningPlacement = `UPDATE openings
	SET placements = placements - 1, updated_at = now()
	WHERE id = ?`

// RevokePlacement stops a placement counting: the zone admin of its zone or
// any staff above it. The row and its history stay. Errors: forbidden,
// not_found, invalid_state, validation_failed.
func (s *Store) RevokePlacement(ctx context.Context, c domain.Caller, id, reason string) (domain.Placement, error) {
	if !c.Role.IsStaff() {
		return domain.Placement{}, domain.ErrForbidden
	}
	if err := domain.CheckReason(&reason, domain.ReasonTwoTo500); err != nil {
		return domain.Placement{}, err
	}
	if !validUUID(id) {
		return domain.Placement{}, domain.ErrNotFound
	}
	var out domain.Placement
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var rows []placementRow
		if err := tx.Raw(placementForUpdate, id).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return domain.ErrNotFound
		}
		r := rows[0]
		if !c.MayRevoke(r.toDomain()) {
			return domain.ErrNotFound
		}
		if r.Status != "active" {
			return domain.Errorf(domain.CodeInvalidState, "the placement is already revoked")
		}
		if err := tx.Exec(revokePlacement,
			c.UserID, reason, id).Error; err != nil {
			return err
		}
		if err := tx.Exec(uncountOpeningPlacement, r.OpeningID).Error; err != nil {
			return err
		}
		if err := tx.Exec(touchRevokedApplication, r.ApplicationID).Error; err != nil {
			return err
		}
		d := domain.Date{Year: r.HiredOn.Year(), Month: int(r.HiredOn.Month()), Day: r.HiredOn.Day()}
		if err := countPlacement(tx, id, r.ProvinceCode, deref(r.ZoneCode), d, -1); err != nil {
			return err
		}
		// A seat is free again: the opening may return to search.
		if err := s.enqueue(tx, indexJob(r.OpeningID)); err != nil {
			return err
		}
		if err := audit(ctx, tx, auditEntry{Kind: "placement.revoked", ActorID: c.UserID, EntityType: "placement", EntityID: id,
			ZoneCode: deref(r.ZoneCode), ProvinceCode: r.ProvinceCode,
			Before: map[string]any{"status": "active"}, After: map[string]any{"status": "revoked", "reason": reason}}); err != nil {
			return err
		}
		if err := s.tellOfRevoke(tx, c, r, reason); err != nil {
			return err
		}
		var again []placementRow
		if err := tx.Raw(placementByID, id).Scan(&again).Error; err != nil {
			return err
		}
		out = again[0].toDomain()
		return nil
	})
	return out, translate(err)
}

// tellOfRevoke tells, in the revoke's transaction, the graduate (a
// notification and a mail, without the reason) and the employer's users
// (a notification with it) that staff c revoked placement r, naming c's
// office (a walk found both sides told nothing).
func (s *Store) tellOfRevoke(tx *gorm.DB, c domain.Caller, r placementRow, reason string) error {
	d := map[string]string{"application_id": r.ApplicationID, "opening_title": r.OpeningTitle, "employer_name": r.EmployerName}
	if err := nameReviewer(tx, c, d); err != nil {
		return err
	}
	byZh, byEn := d["reviewer_zh"], d["reviewer_en"]
	if err := notify(tx, domain.PlacementRevokedNotice(r.GraduateID, r.ApplicationID, r.OpeningTitle, r.EmployerName, byZh, byEn), ""); err != nil {
		return err
	}
	if err := notifyEmployer(tx, r.EmployerID, domain.HireRevokedNotice(r.ApplicationID, r.GraduateName, r.OpeningTitle, reason, byZh, byEn)); err != nil {
		return err
	}
	return s.enqueue(tx, MailJob(domain.MailPlacementRevoked, r.GraduateID, d, "placement_revoked:"+r.ID))
}
