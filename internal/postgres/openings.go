package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// openingRow is an opening joined with what the API shows of its employer and zone.
type openingRow struct {
	ID                 string
	EmployerID         string
	Title              string
	Description        string
	Discipline         string
	Industry           string
	DegreeMin          string
	Majors             pq.StringArray `gorm:"type:text[]"`
	Headcount          int
	City               string
	SalaryMin          int
	SalaryMax          int
	Deadline           time.Time
	Status             string
	Version            int
	RejectReason       *string
	Placements         int
	DevelopedOn        *time.Time
	DevelopedHeadcount *int
	PublishedAt        *time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
	EmployerName       string
	EmployerType       string
	EmployerSize       string
	EmployerStatus     string
	ZoneCode           *string
	ZoneName           *string
	ProvinceCode       string
	// ApprovedContent is the content as last approved (JSON of
	// domain.OpeningInput; nil before the first approval).
	ApprovedContent []byte
	// ReturnedContent and ReturnedReason are the content and the reason of
	// its last return to the employer, until it is approved.
	ReturnedContent []byte
	ReturnedReason  *string
	ImportedAt      *time.Time
}

// openingColumns are what openingRow reads: the opening, its employer and
// zone (the joins openingJoins makes).
const openingColumns = `o.id, o.employer_id, o.title, o.description, o.discipline, o.industry, o.degree_min, o.majors,
	o.headcount, o.city, o.salary_min, o.salary_max, o.deadline, o.status, o.version, o.reject_reason, o.placements,
	o.developed_on, o.developed_headcount, o.published_at, o.created_at, o.updated_at,
	e.name AS employer_name, e.type AS employer_type, e.size AS employer_size, e.status AS employer_status,
	e.zone_code, z.name_zh AS zone_name, e.province_code, o.approved_content, o.returned_content, o.returned_reason,
	o.imported_at`

const openingJoins = `JOIN employers e ON e.id = o.employer_id LEFT JOIN zones z ON z.code = e.zone_code`

const openingSelect = `SELECT ` + openingColumns + `
	FROM openings o ` + openingJoins

func (r openingRow) toDomain() domain.Opening {
	o := domain.Opening{
		ID: r.ID, Title: r.Title, Description: r.Description,
		Employer:     domain.EmployerRef{ID: r.EmployerID, Name: r.EmployerName, Type: r.EmployerType, Size: r.EmployerSize},
		ProvinceCode: r.ProvinceCode, City: r.City, Industry: r.Industry, Discipline: r.Discipline,
		DegreeMin: r.DegreeMin, Majors: nonNil(r.Majors), Headcount: r.Headcount, Filled: r.Placements,
		SalaryMin: r.SalaryMin, SalaryMax: r.SalaryMax, Deadline: r.Deadline.Format(domain.DateLayout),
		Status: r.Status, Version: r.Version, RejectReason: r.RejectReason, PublishedAt: r.PublishedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		ImportedAt: r.ImportedAt,
	}
	if r.ZoneCode != nil {
		o.Zone = &domain.ZoneRef{Code: *r.ZoneCode, NameZh: deref(r.ZoneName)}
	}
	var approved, returned domain.OpeningInput
	if r.ApprovedContent != nil && json.Unmarshal(r.ApprovedContent, &approved) == nil {
		o.ChangedSinceApproval = r.input().ChangesFrom(approved)
	}
	if (r.Status == domain.OpeningPendingReview || r.Status == domain.OpeningRejected) && r.ReturnedContent != nil && json.Unmarshal(r.ReturnedContent, &returned) == nil {
		o.ReturnedFor, o.ChangedSinceReturn = r.ReturnedReason, r.input().ChangesFrom(returned)
	}
	return o
}

func (r openingRow) input() domain.OpeningInput {
	return domain.OpeningInput{Title: r.Title, Description: r.Description, Discipline: r.Discipline, Industry: r.Industry,
		DegreeMin: r.DegreeMin, Majors: nonNil(r.Majors), Headcount: r.Headcount, City: r.City,
		SalaryMin: r.SalaryMin, SalaryMax: r.SalaryMax, Deadline: r.Deadline.Format(domain.DateLayout)}
}

// loadOpening reads one opening; lock takes a row lock on it for the rest of tx.
func loadOpening(tx *gorm.DB, id string, lock bool) (openingRow, error) {
	q := openingSelect + ` WHERE o.id = ?`
	if lock {
		q += ` FOR UPDATE OF o`
	}
	return oneRow[openingRow](tx, id, q, id)
}

// openingInputColumns are the columns an opening's input fills, in the
// order of openingInputValues. The site's and the API's drafts and the
// staff's imports both write them, so a new column reaches both.
const openingInputColumns = `employer_id, title, description, discipline, industry, degree_min, majors,
	headcount, city, salary_min, salary_max, deadline`

// openingInputValues are the values of openingInputColumns for an opening
// of the employer.
func openingInputValues(employerID string, in domain.OpeningInput) []any {
	return []any{employerID, in.Title, in.Description, in.Discipline, in.Industry, in.DegreeMin, pq.StringArray(in.Majors),
		in.Headcount, in.City, in.SalaryMin, in.SalaryMax, in.Deadline}
}

const insertOpening = `INSERT INTO openings (` + openingInputColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	RETURNING id`

// CreateOpening creates a draft opening for the caller's employer; with an
// idempotency key, the request made with it before answers its draft again
// (replayed). Errors: forbidden (not an employer), validation_failed.
func (s *Store) CreateOpening(ctx context.Context, c domain.Caller, in domain.OpeningInput) (out domain.Opening, replayed bool, err error) {
	if c.Role != domain.RoleEmployer {
		return out, false, domain.ErrForbidden
	}
	if err := in.Validate(domain.DateOf(s.now())); err != nil {
		return out, false, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if replayed, err = replay(tx, c.UserID, in.Idempotency, &out); err != nil {
			return err
		}
		if replayed {
			// The draft it made may have been deleted since: then the
			// request makes one anew.
			if _, err := loadOpening(tx, out.ID, false); domain.CodeOf(err) != domain.CodeNotFound {
				return err
			}
			replayed = false
		}
		var id string
		if err := tx.Raw(insertOpening, openingInputValues(c.EmployerID, in)...).Scan(&id).Error; err != nil {
			return err
		}
		r, err := loadOpening(tx, id, false)
		if err != nil {
			return err
		}
		out = r.toDomain()
		return remember(tx, c.UserID, in.Idempotency, out)
	})
	return out, replayed, translate(err)
}

// Opening returns an opening: anyone may read a published one; otherwise only
// its employer and staff in scope. Errors: not_found.
func (s *Store) Opening(ctx context.Context, c domain.Caller, id string) (domain.Opening, error) {
	r, err := loadOpening(s.db.WithContext(ctx), id, false)
	if err != nil {
		return domain.Opening{}, translate(err)
	}
	o := r.toDomain()
	if o.Status != domain.OpeningPublished && !c.Sees(o.Scope()) {
		return domain.Opening{}, domain.ErrNotFound
	}
	o.ResponseDays, err = s.EmployerResponseDays(ctx, o.Employer.ID)
	return o, err
}

const endedOpening = `SELECT o.id, o.title, o.employer_id, e.name AS employer_name, o.industry, o.city
	FROM openings o JOIN employers e ON e.id = o.employer_id
	WHERE o.id = ? AND o.status = 'closed' AND o.closed_published`

// EndedOpening reads an opening that was public when it closed, as the
// public may still see it. Errors: not_found (any other opening: one
// closed while back under review holds a title staff never approved).
func (s *Store) EndedOpening(ctx context.Context, id string) (domain.EndedOpening, error) {
	o, err := oneRow[domain.EndedOpening](s.db.WithContext(ctx), id, endedOpening, id)
	return o, translate(err)
}

const reviseOpening = `UPDATE openings
	SET title = ?, description = ?, discipline = ?, industry = ?, degree_min = ?, majors = ?, headcount = ?,
	city = ?, salary_min = ?, salary_max = ?, deadline = ?, status = ?, updated_at = now(), version = version + 1,
	submitted_at = CASE WHEN ? THEN now() ELSE submitted_at END
	WHERE id = ?`

// UpdateOpening edits an opening of the caller's employer. Editing the
// substance of a published opening (anything but the deadline) sends it back
// to review and out of search. Errors: forbidden, not_found,
// validation_failed, invalid_state (closed).
func (s *Store) UpdateOpening(ctx context.Context, c domain.Caller, id string, p domain.OpeningPatch) (domain.Opening, error) {
	if c.Role != domain.RoleEmployer {
		return domain.Opening{}, domain.ErrForbidden
	}
	var out domain.Opening
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, err := loadOpening(tx, id, true)
		if err != nil {
			return err
		}
		if err := domain.CheckOwnOpening(c, r.EmployerID, r.Status); err != nil {
			return err
		}
		if r.Status == domain.OpeningClosed {
			return domain.Errorf(domain.CodeInvalidState, "a closed opening cannot be edited")
		}
		old := r.input()
		in := p.Apply(old)
		if err := in.Validate(domain.DateOf(s.now())); err != nil {
			return err
		}
		if in.Headcount < r.Placements {
			return domain.FieldError("headcount", "cannot be below the placements already made")
		}
		if in.Same(old) {
			// Nothing changes: no new version, so a reviewer's read stays current.
			out = r.toDomain()
			return nil
		}
		status := r.Status
		if status == domain.OpeningPublished && in.SubstanceChanged(old) {
			status = domain.OpeningPendingReview
		}
		if err := tx.Exec(reviseOpening,
			in.Title, in.Description, in.Discipline, in.Industry, in.DegreeMin, pq.StringArray(in.Majors),
			in.Headcount, in.City, in.SalaryMin, in.SalaryMax, in.Deadline, status, status != r.Status, id).Error; err != nil {
			return err
		}
		if r.Status == domain.OpeningPublished {
			if err := s.enqueue(tx, indexJob(id)); err != nil {
				return err
			}
		}
		r, err = loadOpening(tx, id, false)
		out = r.toDomain()
		return err
	})
	return out, translate(err)
}

const submitOpeningForReview = `UPDATE openings
	SET status = 'pending_review', submitted_at = now(), reject_reason = NULL, updated_at = now()
	WHERE id = ?`

// SubmitOpening sends a draft or rejected opening to review. Errors:
// forbidden, not_found, employer_unverified, invalid_state.
func (s *Store) SubmitOpening(ctx context.Context, c domain.Caller, id string) (domain.Opening, error) {
	if c.Role != domain.RoleEmployer {
		return domain.Opening{}, domain.ErrForbidden
	}
	return s.moveOpening(ctx, id, func(tx *gorm.DB, r openingRow) error {
		if err := domain.CheckOwnOpening(c, r.EmployerID, r.Status); err != nil {
			return err
		}
		if r.EmployerStatus != domain.EmployerVerified {
			return domain.Errorf(domain.CodeEmployerUnverified, "your organisation has not been verified by its zone yet")
		}
		if r.Status != domain.OpeningDraft && r.Status != domain.OpeningRejected {
			return domain.Errorf(domain.CodeInvalidState, "only a draft or rejected opening can be submitted (it is %s)", r.Status)
		}
		if d, _ := domain.ParseDate(r.Deadline.Format(domain.DateLayout)); d.Before(domain.DateOf(s.now())) {
			return domain.FieldError("deadline", "has passed; set a new deadline first")
		}
		return tx.Exec(submitOpeningForReview, id).Error
	})
}

// ApproveOpening publishes an opening under review. The first approval counts
// its headcount as positions developed in the Shanghai month of approval; a
// re-approval after an edit moves that count by the headcount change.
// Errors: forbidden, not_found, invalid_state.
func (s *Store) ApproveOpening(ctx context.Context, c domain.Caller, id string) (domain.Opening, error) {
	return s.ApproveOpeningVersion(ctx, c, id, 0)
}

// ApproveOpeningVersion is ApproveOpening for the version the reviewer read:
// when version is not 0 and the opening has changed since (an edit while
// under review), nothing is published and the error is version_conflict, so
// no text goes live that its reviewer never saw.
func (s *Store) ApproveOpeningVersion(ctx context.Context, c domain.Caller, id string, version int) (domain.Opening, error) {
	return s.moveOpening(ctx, id, func(tx *gorm.DB, r openingRow) error {
		if err := c.CheckReview(domain.ReviewOpening, r.toDomain().Scope()); err != nil {
			return err
		}
		if r.Status != domain.OpeningPendingReview {
			return domain.Errorf(domain.CodeInvalidState, "only an opening under review can be approved (it is %s)", r.Status)
		}
		if version != 0 && version != r.Version {
			return domain.Errorf(domain.CodeVersionConflict, "the opening changed while you reviewed it (version %d, you read %d); read it again", r.Version, version)
		}
		if err := s.publish(ctx, tx, c, r, "opening.approved"); err != nil {
			return err
		}
		return s.mailReview(tx, c, r, domain.OpeningPublished, "")
	})
}

// mailReview tells the opening's employer the review's outcome, in the site
// and by mail (issue 13): the mail once per review, keyed by its time (a
// second return of an unedited opening, at the same version, was taken for
// the first and never mailed: a walk).
func (s *Store) mailReview(tx *gorm.DB, c domain.Caller, r openingRow, decision, reason string) error {
	d := "approved"
	if decision == domain.OpeningRejected {
		d = "rejected"
	}
	if err := notifyEmployer(tx, r.EmployerID, domain.OpeningReviewedNotice(r.ID, r.Title, d, reason)); err != nil {
		return err
	}
	return s.mailReviewed(tx, c, r.EmployerID, domain.MailOpeningReviewed,
		map[string]string{"opening_id": r.ID, "opening_title": r.Title, "decision": d, "reason": reason},
		fmt.Sprintf("opening_reviewed:%s:%d:%s:%s", r.ID, r.Version, d, s.now().Format(time.RFC3339Nano)))
}

// publishOpening publishes at the store's clock (its first argument), the
// clock that dates the positions developed.
const publishOpening = `UPDATE openings
	SET status = 'published', published_at = ?, approved_at = ?, approved_by = ?, developed_on = ?,
	developed_headcount = ?, approved_content = ?, returned_content = NULL, returned_reason = NULL, updated_at = now()
	WHERE id = ?`

// publish approves opening r inside tx: status, positions developed, search
// and alert jobs, audit under kind (opening.approved by a reviewer,
// opening.imported by staff importing it: nobody reviewed it).
func (s *Store) publish(ctx context.Context, tx *gorm.DB, c domain.Caller, r openingRow, kind string) error {
	return s.publishCounted(ctx, tx, c, r, kind, bumpCounters)
}

// publishCounted is publish with the counters bumped through bump (an
// import adds them up, to bump them once at its end).
func (s *Store) publishCounted(ctx context.Context, tx *gorm.DB, c domain.Caller, r openingRow, kind string,
	bump func(tx *gorm.DB, province, zone string, d domain.Date, positions, placements int) error) error {
	id := r.ID
	today := domain.DateOf(s.now())
	developedOn, delta := today, r.Headcount
	if r.DevelopedOn != nil {
		developedOn = domain.Date{Year: r.DevelopedOn.Year(), Month: int(r.DevelopedOn.Month()), Day: r.DevelopedOn.Day()}
		delta = r.Headcount - deref0(r.DevelopedHeadcount)
	}
	// The content approved now is what a later edit is compared with.
	approved, err := json.Marshal(r.input())
	if err != nil {
		return err
	}
	now := s.now()
	if err := tx.Exec(publishOpening, now, now, c.UserID, developedOn.String(), r.Headcount, string(approved), id).Error; err != nil {
		return err
	}
	if err := bump(tx, r.ProvinceCode, deref(r.ZoneCode), developedOn, delta, 0); err != nil {
		return err
	}
	if err := s.enqueue(tx, indexJob(id), domain.Job{Kind: domain.JobOpeningAlerts, IDs: []string{id}}); err != nil {
		return err
	}
	before := map[string]any{"status": r.Status, "developed_headcount": r.DevelopedHeadcount}
	if kind == "opening.imported" {
		before = nil // it did not exist: nobody saw it under review
	}
	return audit(ctx, tx, auditEntry{Kind: kind, ActorID: c.UserID, EntityType: "opening", EntityID: id,
		ZoneCode: deref(r.ZoneCode), ProvinceCode: r.ProvinceCode,
		Before: before,
		After:  map[string]any{"status": domain.OpeningPublished, "developed_headcount": r.Headcount, "developed_on": developedOn.String()}})
}

func deref0(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

const rejectOpening = `UPDATE openings
	SET status = 'rejected', reject_reason = ?, returned_reason = ?, returned_content = ?, updated_at = now()
	WHERE id = ?`

// RejectOpening returns an opening under review to its employer with a reason.
// Errors: forbidden, not_found, invalid_state, validation_failed.
func (s *Store) RejectOpening(ctx context.Context, c domain.Caller, id, reason string) (domain.Opening, error) {
	reason = strings.TrimSpace(reason) // stored as read: no blanks around it
	if err := domain.CheckReason(&reason, domain.ReasonTwoTo500); err != nil {
		return domain.Opening{}, err
	}
	return s.moveOpening(ctx, id, func(tx *gorm.DB, r openingRow) error {
		if err := c.CheckReview(domain.ReviewOpening, r.toDomain().Scope()); err != nil {
			return err
		}
		if r.Status != domain.OpeningPendingReview {
			return domain.Errorf(domain.CodeInvalidState, "only an opening under review can be rejected (it is %s)", r.Status)
		}
		content, _ := json.Marshal(r.input())
		if err := tx.Exec(rejectOpening, reason, reason, string(content), id).Error; err != nil {
			return err
		}
		if err := s.mailReview(tx, c, r, domain.OpeningRejected, reason); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Kind: "opening.rejected", ActorID: c.UserID, EntityType: "opening", EntityID: id,
			ZoneCode: deref(r.ZoneCode), ProvinceCode: r.ProvinceCode,
			Before: map[string]any{"status": r.Status}, After: map[string]any{"status": domain.OpeningRejected, "reason": reason}})
	})
}

// closeOpening closes an opening, remembering whether it was public then
// (status is the old value on the right of SET).
const closeOpening = `UPDATE openings
	SET status = 'closed', closed_at = now(), updated_at = now(), closed_published = (status = 'published')
	WHERE id = ?`

// notifyApplicantsOfClosing tells each graduate whose application to a
// closing opening still waits on the employer that it stopped taking
// applications (an employer walk's applicant read 已投递 for good, told
// nothing). The application stays: the employer may still answer it.
const notifyApplicantsOfClosing = `INSERT INTO notifications (user_id, kind, title, body, link, params)
	SELECT a.graduate_id, ?, ?, '', '/applications/' || a.id, ?
	FROM applications a
	WHERE a.id IN ?`

// CloseOpening closes an opening: its employer may, and so may staff who
// review it. Positions developed stay counted. Errors: forbidden, not_found,
// invalid_state.
func (s *Store) CloseOpening(ctx context.Context, c domain.Caller, id string) (domain.Opening, error) {
	return s.moveOpening(ctx, id, func(tx *gorm.DB, r openingRow) error {
		o := r.toDomain()
		switch {
		case c.Role == domain.RoleEmployer:
			if err := domain.CheckOwnOpening(c, r.EmployerID, r.Status); err != nil {
				return err
			}
		case c.Role.IsStaff():
			if err := c.CheckReview(domain.ReviewOpening, o.Scope()); err != nil {
				return err
			}
		default:
			return domain.ErrForbidden
		}
		if err := domain.CheckClose(c, r.Status); err != nil {
			return err
		}
		if err := tx.Exec(closeOpening, id).Error; err != nil {
			return err
		}
		if err := s.tellApplicantsOfClosing(tx, r); err != nil {
			return err
		}
		if err := s.enqueue(tx, indexJob(id)); err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Kind: "opening.closed", ActorID: c.UserID, EntityType: "opening", EntityID: id,
			ZoneCode: deref(r.ZoneCode), ProvinceCode: r.ProvinceCode,
			Before: map[string]any{"status": r.Status}, After: map[string]any{"status": domain.OpeningClosed}})
	})
}

const applicantsWaiting = `SELECT a.id, a.graduate_id
	FROM applications a
	JOIN users u ON u.id = a.graduate_id AND u.deleted_at IS NULL
	WHERE a.opening_id = ? AND a.status IN ?
	ORDER BY a.id`

// tellApplicantsOfClosing tells each graduate still waiting on the employer
// that r closed, in the site and by mail (a walk: the message alone reached
// nobody who did not sign in), once per application.
func (s *Store) tellApplicantsOfClosing(tx *gorm.DB, r openingRow) error {
	var waiting []struct{ ID, GraduateID string }
	if err := tx.Raw(applicantsWaiting, r.ID, domain.AwaitingEmployer).Scan(&waiting).Error; err != nil || len(waiting) == 0 {
		return err
	}
	ids := make([]string, len(waiting))
	jobs := make([]domain.Job, len(waiting))
	for i, w := range waiting {
		ids[i] = w.ID
		jobs[i] = MailJob(domain.MailOpeningClosed, w.GraduateID,
			map[string]string{"application_id": w.ID, "opening_title": r.Title, "employer_name": r.EmployerName},
			"opening_closed:"+w.ID)
	}
	n := domain.OpeningClosedNotice(r.Title)
	if err := tx.Exec(notifyApplicantsOfClosing, n.Kind, n.Title, n.Params, ids).Error; err != nil {
		return err
	}
	return s.enqueue(tx, jobs...)
}

const deleteDraftOpening = `DELETE FROM openings
	WHERE id = ? AND status = 'draft'`

// DeleteDraft deletes a draft of the caller's employer. Only a draft: it
// was never submitted, so no review, application, event or placement
// refers to it (a saved copy cannot exist: only published openings are
// seen). The audit trail keeps its title. Errors: forbidden, not_found,
// invalid_state.
func (s *Store) DeleteDraft(ctx context.Context, c domain.Caller, id string) error {
	if c.Role != domain.RoleEmployer {
		return domain.ErrForbidden
	}
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		r, err := loadOpening(tx, id, true)
		if err != nil {
			return err
		}
		if err := domain.CheckOwnOpening(c, r.EmployerID, r.Status); err != nil {
			return err
		}
		if r.Status != domain.OpeningDraft {
			return domain.Errorf(domain.CodeInvalidState, "only a draft can be deleted (it is %s); close it instead", r.Status)
		}
		if err := tx.Exec(deleteDraftOpening, id).Error; err != nil {
			return err
		}
		return audit(ctx, tx, auditEntry{Kind: "opening.deleted", ActorID: c.UserID, EntityType: "opening", EntityID: id,
			ZoneCode: deref(r.ZoneCode), ProvinceCode: r.ProvinceCode,
			Before: map[string]any{"status": r.Status, "title": r.Title}})
	}))
}

// moveOpening locks the opening, runs change and returns the result.
func (s *Store) moveOpening(ctx context.Context, id string, change func(tx *gorm.DB, r openingRow) error) (domain.Opening, error) {
	var out domain.Opening
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, err := loadOpening(tx, id, true)
		if err != nil {
			return err
		}
		if err := change(tx, r); err != nil {
			return err
		}
		r, err = loadOpening(tx, id, false)
		out = r.toDomain()
		return err
	})
	return out, translate(err)
}

// ManagedOpenings lists openings the caller manages: an employer its own,
// staff those in scope; optionally by status.
func (s *Store) ManagedOpenings(ctx context.Context, c domain.Caller, status string, page domain.Page) ([]domain.Opening, int64, error) {
	if c.Role != domain.RoleEmployer && !c.Role.IsStaff() {
		return nil, 0, domain.ErrForbidden
	}
	where, args := scopeWhere(c, scopeColumns{Employer: "o.employer_id", Zone: "e.zone_code", Province: "e.province_code"})
	return s.listOpenings(ctx, where, args, status, page)
}

const publishedOpeningStamps = `SELECT id, updated_at
	FROM openings
	WHERE status = 'published'
	ORDER BY published_at DESC, id
	LIMIT ?`

// PublishedOpeningStamps lists up to limit published openings, newest first,
// with when each last changed: what the sitemap needs, without the rows.
func (s *Store) PublishedOpeningStamps(ctx context.Context, limit int) ([]domain.OpeningStamp, error) {
	var out []domain.OpeningStamp
	err := s.db.WithContext(ctx).Raw(publishedOpeningStamps, limit).Scan(&out).Error
	return out, translate(err)
}

// OpeningsToReview lists the openings the caller may approve or reject
// (domain.Caller.CanReview), optionally by status: the staff review queue.
func (s *Store) OpeningsToReview(ctx context.Context, c domain.Caller, status string, page domain.Page) ([]domain.Opening, int64, error) {
	where, args := reviewWhere(c.ReviewScope(domain.ReviewOpening), "e.zone_code", "e.province_code")
	return s.listOpenings(ctx, where, args, status, page)
}

// listOpenings pages through the openings matching where, last changed first.
func (s *Store) listOpenings(ctx context.Context, where string, args []any, status string, page domain.Page) ([]domain.Opening, int64, error) {
	w := newFilter(where, args)
	if status != "" {
		w.and("o.status = ?", status)
	}
	rows, total, err := listPage[openingRow](s.db.WithContext(ctx), `openings o JOIN employers e ON e.id = o.employer_id`,
		openingSelect, `o.updated_at DESC, o.id`, w, page)
	if err != nil {
		return nil, 0, err
	}
	return toDomains[domain.Opening](rows), total, nil
}

const openingsByIDs = openingSelect + `
	WHERE o.id IN ?`

// OpeningsByID returns the openings with these IDs (any status), for the
// search indexer.
func (s *Store) OpeningsByID(ctx context.Context, ids []string) ([]domain.Opening, error) {
	valid := validUUIDs(ids)
	if len(valid) == 0 {
		return nil, nil
	}
	var rows []openingRow
	if err := s.db.WithContext(ctx).Raw(openingsByIDs, valid).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	return toDomains[domain.Opening](rows), nil
}

// searchable is the condition of an opening that belongs in search on the
// day ? (YYYY-MM-DD).
const searchable = `o.status = 'published' AND o.deadline >= ? AND o.placements < o.headcount`

const countSearchableOpenings = `SELECT count(*)
	FROM openings o
	WHERE ` + searchable

// searchableOpeningsAfter is the next batch of searchable openings after
// the ID ?, in ID order.
const searchableOpeningsAfter = openingSelect + `
	WHERE ` + searchable + ` AND o.id > ?
	ORDER BY o.id
	LIMIT ?`

// EachSearchable calls fn with batches of the openings that belong in search
// today, in ID order (reindex). total is called first with the count.
func (s *Store) EachSearchable(ctx context.Context, batch int, total func(int64), fn func([]domain.Opening) error) error {
	today := domain.DateOf(s.now()).String()
	var n int64
	db := s.db.WithContext(ctx)
	if err := db.Raw(countSearchableOpenings, today).Scan(&n).Error; err != nil {
		return translate(err)
	}
	total(n)
	after := "00000000-0000-0000-0000-000000000000"
	for {
		var rows []openingRow
		if err := db.Raw(searchableOpeningsAfter, today, after, batch).Scan(&rows).Error; err != nil {
			return translate(err)
		}
		if len(rows) == 0 {
			return nil
		}
		if err := fn(toDomains[domain.Opening](rows)); err != nil {
			return err
		}
		after = rows[len(rows)-1].ID
	}
}
