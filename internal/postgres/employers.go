package postgres

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gradzone/gradzone/internal/domain"
)

// Employer returns an employer the caller may see. Errors: not_found.
func (s *Store) Employer(ctx context.Context, c domain.Caller, id string) (domain.Employer, error) {
	if !validUUID(id) {
		return domain.Employer{}, domain.ErrNotFound
	}
	e, err := s.employer(s.db.WithContext(ctx), id)
	if err != nil {
		return e, err
	}
	if !c.Sees(e.Scope()) {
		return domain.Employer{}, domain.ErrNotFound
	}
	return e, nil
}

const employerAccounts = `SELECT id, name, email, email_verified_at IS NOT NULL AS email_verified, mail_refused_at IS NOT NULL AS mail_refused, created_at
	FROM users
	WHERE employer_id = ? AND deleted_at IS NULL
	ORDER BY created_at, id`

const employerOpeningsByStatus = `SELECT status, count(*) AS n
	FROM openings
	WHERE employer_id = ?
	GROUP BY status`

const employerVerifierName = `SELECT coalesce(u.name, '') AS name
	FROM employers e
	LEFT JOIN users u ON u.id = e.verified_by
	WHERE e.id = ?`

const employerLatestOpenings = `SELECT id::text, title, status, reject_reason, updated_at
	FROM openings
	WHERE employer_id = ?
	ORDER BY updated_at DESC, id
	LIMIT ?`

// EmployerDetails returns an employer with its accounts, its openings (by
// status, and the latest ones) and who verified it, for staff who see it.
// Errors: forbidden (not staff), not_found (unknown, or outside the
// caller's scope).
func (s *Store) EmployerDetails(ctx context.Context, c domain.Caller, id string) (domain.EmployerDetails, error) {
	if !c.Role.IsStaff() {
		return domain.EmployerDetails{}, domain.ErrForbidden
	}
	e, err := s.Employer(ctx, c, id)
	if err != nil {
		return domain.EmployerDetails{}, err
	}
	d := domain.EmployerDetails{Employer: e, Accounts: []domain.EmployerAccount{}, OpeningsByStatus: map[string]int64{}}
	db := s.db.WithContext(ctx)
	if err := db.Raw(employerAccounts, id).Scan(&d.Accounts).Error; err != nil {
		return d, translate(err)
	}
	var counts []struct {
		Status string
		N      int64
	}
	if err := db.Raw(employerOpeningsByStatus, id).Scan(&counts).Error; err != nil {
		return d, translate(err)
	}
	for _, n := range counts {
		d.OpeningsByStatus[n.Status] = n.N
	}
	d.Openings = []domain.StaffOpening{}
	if err := db.Raw(employerLatestOpenings, id, domain.MaxListedEmployerOpenings).Scan(&d.Openings).Error; err != nil {
		return d, translate(err)
	}
	err = db.Raw(employerVerifierName, id).Row().Scan(&d.VerifiedByName)
	return d, translate(err)
}

// VerifiedEmployer returns a verified employer for its public page; any
// other (pending, unknown) is not_found, to everyone.
func (s *Store) VerifiedEmployer(ctx context.Context, id string) (domain.Employer, error) {
	if !validUUID(id) {
		return domain.Employer{}, domain.ErrNotFound
	}
	e, err := s.employer(s.db.WithContext(ctx), id)
	if err != nil {
		return e, err
	}
	if e.Status != domain.EmployerVerified {
		return domain.Employer{}, domain.ErrNotFound
	}
	return e, nil
}

const liveUsersOfEmployer = `SELECT count(*)
	FROM users
	WHERE employer_id = ? AND deleted_at IS NULL`

// checkSomeoneActs refuses to verify or return a registration whose every
// account was erased: nobody is left to act for it, and verifying it would
// take its credit code for good (a review; abandonedRegistration lets the
// company register again instead). Errors: invalid_state.
func checkSomeoneActs(tx *gorm.DB, employerID string) error {
	var n int64
	if err := tx.Raw(liveUsersOfEmployer, employerID).Scan(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return domain.Errorf(domain.CodeInvalidState, "every account of this registration was erased: nobody is left to act for it, and the organisation may register again")
	}
	return nil
}

// VerifyEmployer marks an employer verified. Only its reviewers may
// (domain.Caller.CheckReview). Verifying again is a no-op.
// Errors: forbidden, not_found.
func (s *Store) VerifyEmployer(ctx context.Context, c domain.Caller, id string) (domain.Employer, error) {
	if c.ReviewScope(domain.VerifyEmployer).None {
		return domain.Employer{}, domain.ErrForbidden
	}
	var out domain.Employer
	err := s.tx(ctx, func(tx *gorm.DB) error {
		e, err := employerToReview(tx, c, id)
		if err != nil {
			return err
		}
		if e.Status == domain.EmployerVerified {
			out = e.toDomain()
			return nil
		}
		if err := checkSomeoneActs(tx, id); err != nil {
			return err
		}
		now := s.now()
		// A return's reason is settled by the verification (staff who
		// returned it may verify it as it stands).
		if err := tx.Model(&e).Updates(map[string]any{"status": domain.EmployerVerified, "verified_at": now, "verified_by": c.UserID, "updated_at": now,
			"return_reason": nil, "returned_at": nil}).Error; err != nil {
			return err
		}
		e.ReturnReason, e.ReturnedAt = nil, nil
		out = e.toDomain()
		out.Status, out.VerifiedAt = domain.EmployerVerified, &now
		// The employer learns the result in the site and by mail (issue 13), once.
		if err := notifyEmployer(tx, id, domain.EmployerReviewedNotice(true, "")); err != nil {
			return err
		}
		if err := s.mailReviewed(tx, c, id, domain.MailEmployerVerified, map[string]string{"employer_name": e.Name}, "employer_verified:"+id); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Kind: "employer.verified", ActorID: c.UserID, EntityType: "employer", EntityID: id,
			ZoneCode: deref(e.ZoneCode), ProvinceCode: e.ProvinceCode,
			Before: map[string]string{"status": domain.EmployerPending}, After: map[string]string{"status": domain.EmployerVerified}})
	})
	return out, translate(err)
}

// employerToReview locks employer id for a review by c (a verification, a
// return). Errors: not_found (unknown), and CheckReview's: not_found
// outside c's sight, forbidden in sight but not c's to review.
func employerToReview(tx *gorm.DB, c domain.Caller, id string) (employerRow, error) {
	var e employerRow
	if !validUUID(id) {
		return e, domain.ErrNotFound
	}
	if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&e).Error; err != nil {
		return e, err
	}
	return e, c.CheckReview(domain.VerifyEmployer, e.toDomain().Scope())
}

// ReturnEmployer returns a pending employer's registration to it for
// correction, with the reason (mailed to its users): staff who may verify
// it. Errors: forbidden, not_found, invalid_state (not pending),
// validation_failed (the reason).
func (s *Store) ReturnEmployer(ctx context.Context, c domain.Caller, id, reason string) (domain.Employer, error) {
	if c.ReviewScope(domain.VerifyEmployer).None {
		return domain.Employer{}, domain.ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	if err := domain.CheckReason(&reason, domain.ReasonTwoTo500); err != nil {
		return domain.Employer{}, err
	}
	var out domain.Employer
	err := s.tx(ctx, func(tx *gorm.DB) error {
		e, err := employerToReview(tx, c, id)
		if err != nil {
			return err
		}
		if e.Status != domain.EmployerPending {
			return domain.Errorf(domain.CodeInvalidState, "only a pending employer can be returned for correction")
		}
		if err := checkSomeoneActs(tx, id); err != nil {
			return err
		}
		before := deref(e.ReturnReason) // read now: Updates sets e's fields
		now := s.now()
		if err := tx.Model(&e).Updates(map[string]any{"return_reason": reason, "returned_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		e.ReturnReason, e.ReturnedAt = &reason, &now
		out = e.toDomain()
		if err := notifyEmployer(tx, id, domain.EmployerReviewedNotice(false, reason)); err != nil {
			return err
		}
		if err := s.mailReviewed(tx, c, id, domain.MailEmployerReturned, map[string]string{"employer_name": e.Name, "reason": reason},
			"employer_returned:"+id+":"+now.Format(time.RFC3339Nano)); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Kind: "employer.returned", ActorID: c.UserID, EntityType: "employer", EntityID: id,
			ZoneCode: deref(e.ZoneCode), ProvinceCode: e.ProvinceCode,
			Before: map[string]string{"reason": before}, After: map[string]string{"reason": reason}})
	})
	return out, translate(err)
}

// CorrectEmployer sets the caller's own pending employer's details (after
// staff returned it, or a mistake seen at once) and clears a return's
// reason: the registration waits for verification again. A verified
// employer's details are fixed (staff vouched for them). Errors: forbidden,
// invalid_state (verified), credit_code_taken, validation_failed.
func (s *Store) CorrectEmployer(ctx context.Context, c domain.Caller, id string, o domain.Organisation) (domain.Employer, error) {
	if c.Role != domain.RoleEmployer || c.EmployerID != id {
		return domain.Employer{}, domain.ErrForbidden
	}
	if err := o.Validate(); err != nil {
		return domain.Employer{}, err
	}
	var out domain.Employer
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var e employerRow
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&e).Error; err != nil {
			return err
		}
		if e.Status != domain.EmployerPending {
			return domain.Errorf(domain.CodeInvalidState, "a verified employer's details are fixed")
		}
		if err := s.checkPlace(tx, o.ProvinceCode, o.ZoneCode, ""); err != nil {
			return err
		}
		var zone *string
		if o.ZoneCode != "" {
			zone = &o.ZoneCode
		}
		before := e.toDomain()
		if err := tx.Model(&e).Updates(map[string]any{"name": o.Name, "credit_code": o.CreditCode, "type": o.Type, "size": o.Size,
			"industry": o.Industry, "province_code": o.ProvinceCode, "zone_code": zone, "return_reason": nil, "returned_at": nil,
			"updated_at": s.now()}).Error; err != nil {
			return err
		}
		e.Name, e.CreditCode, e.Type, e.Size, e.Industry, e.ProvinceCode, e.ZoneCode = o.Name, o.CreditCode, o.Type, o.Size, o.Industry, o.ProvinceCode, zone
		e.ReturnReason, e.ReturnedAt = nil, nil
		out = e.toDomain()
		// The entry stands in the scope the employer left as well as the
		// one it joined: the staff who returned it see where it went.
		scopes := []domain.Scope{out.Scope()}
		if old := before.Scope(); old.ZoneCode != scopes[0].ZoneCode || old.ProvinceCode != scopes[0].ProvinceCode {
			scopes = append(scopes, old)
		}
		for _, sc := range scopes {
			if err := audit(ctx, tx, auditEntry{Kind: "employer.corrected", ActorID: c.UserID, EntityType: "employer", EntityID: id,
				ZoneCode: sc.ZoneCode, ProvinceCode: sc.ProvinceCode,
				Before: organisationFields(before), After: organisationFields(out)}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, translate(err)
}

// organisationFields are an employer's stated details, for the audit trail.
func organisationFields(e domain.Employer) map[string]string {
	return map[string]string{"name": e.Name, "credit_code": e.CreditCode, "type": e.Type, "size": e.Size,
		"industry": e.Industry, "province_code": e.ProvinceCode, "zone_code": deref(e.ZoneCode)}
}

// EmployersInScope lists employers the staff caller sees, optionally by
// status and by a part of the name or the start of the credit code.
func (s *Store) EmployersInScope(ctx context.Context, c domain.Caller, f domain.EmployerFilter, page domain.Page) ([]domain.Employer, int64, error) {
	if !c.Role.IsStaff() {
		return nil, 0, domain.ErrForbidden
	}
	where, args := scopeWhere(c, scopeColumns{Zone: "zone_code", Province: "province_code"})
	return s.listEmployers(ctx, where, args, f, page)
}

// hasLiveUser holds for an employer (of employers' columns) with an account
// not erased.
const hasLiveUser = `EXISTS (SELECT 1 FROM users u WHERE u.employer_id = employers.id AND u.deleted_at IS NULL)`

// EmployersToReview lists the employers the caller may verify
// (domain.Caller.CanReview), optionally by status: the staff review queue.
func (s *Store) EmployersToReview(ctx context.Context, c domain.Caller, status string, page domain.Page) ([]domain.Employer, int64, error) {
	where, args := reviewWhere(c.ReviewScope(domain.VerifyEmployer), "zone_code", "province_code")
	if status == domain.EmployerPending {
		// A registration returned for correction waits for the employer,
		// not for staff, until it is corrected; one whose every account was
		// erased waits for nobody (it may register again: abandonedRegistration).
		where += " AND return_reason IS NULL AND " + hasLiveUser
	}
	return s.listEmployers(ctx, where, args, domain.EmployerFilter{Status: status}, page)
}

// listEmployers pages through the employers matching where and f, newest first.
func (s *Store) listEmployers(ctx context.Context, where string, args []any, f domain.EmployerFilter, page domain.Page) ([]domain.Employer, int64, error) {
	q := s.db.WithContext(ctx).Model(&employerRow{}).Where(where, args...)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if words := strings.TrimSpace(f.Q); words != "" {
		// A code is matched from its start, or anywhere by six characters
		// or more (a licence's middle, read out on the phone): a shorter
		// digit string in the middle would match nearly every code.
		code := escapeLike(strings.ToUpper(words)) + "%"
		if len([]rune(words)) >= 6 {
			code = "%" + code
		}
		q = q.Where("(name ILIKE ? OR credit_code LIKE ?)", "%"+escapeLike(words)+"%", code)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	var rows []employerRow
	if err := q.Order("created_at DESC, id").Offset(page.Offset()).Limit(page.PerPage).Find(&rows).Error; err != nil {
		return nil, 0, translate(err)
	}
	return toDomains[domain.Employer](rows), total, nil
}
