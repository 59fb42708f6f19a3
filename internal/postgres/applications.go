package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

type applicationRow struct {
	ID                  string
	OpeningID           string
	GraduateID          string
	Status              string
	CoverLetter         string
	EventID             *string
	FirstEmployerMoveAt *time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
	// Joined.
	OpeningTitle   string
	OpeningStatus  string
	EmployerID     string
	EmployerName   string
	EmployerType   string
	EmployerSize   string
	ZoneCode       *string
	ProvinceCode   string
	Industry       string
	GraduateName   string
	GraduateEmail  string
	University     string
	Degree         string
	Major          string
	GraduationYear int
	Phone          *string
	Skills         pq.StringArray `gorm:"type:text[]"`
	Statement      string
	ResumeFile     *string
	PlacementID    *string
	HiredOn        *string
	// PlacementRevoked: see domain.Application.
	PlacementRevoked bool
	// PlacedElsewhere: see domain.Application.
	PlacedElsewhere bool
	// The interview given with the move to interview, if any.
	InterviewStartsAt  *time.Time
	InterviewEndsAt    *time.Time
	InterviewLocation  string
	InterviewOnlineURL string
	InterviewSequence  int
	// InterviewEmployerEntry: the employer's users hold the interview in
	// their own calendar (a graduate's pick mailed it to them).
	InterviewEmployerEntry bool
	// SlotsOffered: see domain.Application.
	SlotsOffered int
}

const applicationSelect = `SELECT a.id, a.opening_id, a.graduate_id, a.status, a.cover_letter, a.event_id, a.first_employer_move_at,
	a.created_at, a.updated_at, o.title AS opening_title, o.status AS opening_status, o.employer_id, e.name AS employer_name,
	e.type AS employer_type, e.size AS employer_size, e.zone_code, e.province_code, o.industry,
	u.name AS graduate_name, u.email AS graduate_email, g.university, g.degree, g.major, g.graduation_year, g.phone, g.skills,
	g.statement, a.resume_file, (SELECT p.id FROM placements p WHERE p.application_id = a.id) AS placement_id,
	(SELECT p.hired_on::text FROM placements p WHERE p.application_id = a.id) AS hired_on,
	EXISTS (SELECT 1 FROM placements p WHERE p.application_id = a.id AND p.status = 'revoked') AS placement_revoked,
	a.status IN ('offered', 'accepted') AND EXISTS (
		SELECT 1 FROM placements p
		WHERE p.graduate_id = a.graduate_id AND p.application_id <> a.id AND p.status = 'active'
			AND p.year >= extract(year FROM a.created_at AT TIME ZONE 'Asia/Shanghai')) AS placed_elsewhere,
	a.interview_starts_at, a.interview_ends_at, a.interview_location, a.interview_online_url, a.interview_sequence,
	a.interview_employer_entry,
	(SELECT count(*) FROM interview_slots s WHERE s.application_id = a.id) AS slots_offered
	FROM applications a JOIN openings o ON o.id = a.opening_id JOIN employers e ON e.id = o.employer_id
	JOIN users u ON u.id = a.graduate_id JOIN graduates g ON g.user_id = a.graduate_id`

func (r applicationRow) scope() domain.Scope {
	return domain.Scope{EmployerID: r.EmployerID, GraduateID: r.GraduateID, ZoneCode: deref(r.ZoneCode), ProvinceCode: r.ProvinceCode}
}

// toDomain shows the application to caller c: the applicant's phone and
// email only to the graduate and, from shortlisted on, the employer applied
// to (domain.EmployerSeesContact). HasResume is whether a résumé was
// submitted with this application.
func (r applicationRow) toDomain(c domain.Caller, now time.Time) domain.Application {
	a := domain.Application{ID: r.ID, OpeningID: r.OpeningID, GraduateID: r.GraduateID, Status: r.Status,
		CoverLetter: r.CoverLetter, EventID: r.EventID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, PlacementID: r.PlacementID, HiredOn: deref(r.HiredOn),
		PlacementRevoked: r.PlacementRevoked, PlacedElsewhere: r.PlacedElsewhere, SlotsOffered: r.SlotsOffered,
		Opening: &domain.ApplicationOpening{ID: r.OpeningID, Title: r.OpeningTitle, EmployerID: r.EmployerID,
			EmployerName: r.EmployerName, ZoneCode: r.ZoneCode, ProvinceCode: r.ProvinceCode, Closed: r.OpeningStatus == domain.OpeningClosed}}
	a.Interview = r.interview()
	a.Stale = r.FirstEmployerMoveAt == nil && domain.ApplicationOpen(r.Status) && r.Status == domain.AppSubmitted &&
		now.Sub(r.CreatedAt) > domain.StaleAfter
	phone := deref(r.Phone)
	ap := &domain.Applicant{ID: r.GraduateID, Name: r.GraduateName, University: r.University, Degree: r.Degree, Major: r.Major,
		GraduationYear: r.GraduationYear, Skills: nonNil(r.Skills), Statement: r.Statement, HasResume: r.ResumeFile != nil}
	if c.UserID == r.GraduateID || (c.EmployerID == r.EmployerID && domain.EmployerSeesContact(r.Status)) {
		ap.Phone, ap.Email = phone, r.GraduateEmail
	} else {
		ap.Phone = domain.MaskPhone(phone)
	}
	a.Applicant = ap
	return a
}

// interview is the recorded appointment, or nil.
func (r applicationRow) interview() *domain.Interview {
	if r.InterviewStartsAt == nil || r.InterviewEndsAt == nil {
		return nil
	}
	return &domain.Interview{StartsAt: r.InterviewStartsAt.UTC(), EndsAt: r.InterviewEndsAt.UTC(),
		Location: r.InterviewLocation, OnlineURL: r.InterviewOnlineURL, Sequence: r.InterviewSequence}
}

func loadApplication(tx *gorm.DB, id string, lock bool) (applicationRow, error) {
	q := applicationSelect + ` WHERE a.id = ?`
	if lock {
		q += ` FOR UPDATE OF a`
	}
	return oneRow[applicationRow](tx, id, q, id)
}

const insertApplicationHistory = `INSERT INTO application_history (application_id, from_status, to_status, actor_id, note, created_at)
	VALUES (?, ?, ?, ?, ?, ?)`

// history records a step of an application at the store's clock, as the
// application's own times are: a step and the hire it records fall on
// the same day.
func (s *Store) history(tx *gorm.DB, appID string, from *string, to, actor, note string) error {
	return tx.Exec(insertApplicationHistory,
		appID, from, to, actor, note, s.now()).Error
}

// notifyPlacedElsewhere tells the employers of a graduate's other offered
// or accepted applications that the graduate was hired (arguments: the
// graduate's name twice, the graduate, the application hired): those
// applications can no longer end in a hire this year.
const notifyPlacedElsewhere = `INSERT INTO notifications (user_id, kind, title, body, link, params)
	SELECT u.id, 'application_placed_elsewhere',
		? || ' 已被其他单位录用，「' || o.title || '」本年度无法再录用', '', '/applications/' || a.id,
		jsonb_build_object('graduate', ?::text, 'opening', o.title)
	FROM applications a
	JOIN openings o ON o.id = a.opening_id
	JOIN users u ON u.employer_id = o.employer_id AND u.deleted_at IS NULL
	WHERE a.graduate_id = ? AND a.id <> ? AND a.status IN ('offered', 'accepted')`

const notifyEmployerUsers = `INSERT INTO notifications (user_id, kind, title, body, link, params)
	SELECT id, ?, ?, ?, ?, ?
	FROM users
	WHERE employer_id = ? AND deleted_at IS NULL`

// notifyEmployer sends a notification to every live user of an employer;
// an erased account (DELETE /me) gets nothing more.
func notifyEmployer(tx *gorm.DB, employerID string, n domain.Notification) error {
	return tx.Exec(notifyEmployerUsers, n.Kind, n.Title, n.Body, n.Link, n.Params, employerID).Error
}

const insertApplication = `INSERT INTO applications (opening_id, graduate_id, cover_letter, event_id, resume_file, created_at, updated_at)
	VALUES (?, ?, ?, ?, (SELECT resume_file FROM graduates WHERE user_id = ?), ?, ?)
	RETURNING id`

// Apply records a graduate's application. With an idempotency key, the same
// key and body return the first response again (replayed=true); the same key
// with another body is validation_failed on Idempotency-Key. Errors: forbidden, not_found,
// opening_closed, already_applied, validation_failed.
func (s *Store) Apply(ctx context.Context, c domain.Caller, req domain.ApplyRequest) (app domain.Application, replayed bool, err error) {
	if c.Role != domain.RoleGraduate {
		return app, false, domain.ErrForbidden
	}
	if err := req.Validate(); err != nil {
		return app, false, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if replayed, err = replay(tx, c.UserID, req.Idempotency, &app); replayed || err != nil {
			return err
		}
		o, err := loadOpening(tx, req.OpeningID, true)
		if err != nil {
			return err
		}
		if !o.toDomain().WasPublic() {
			return domain.ErrNotFound
		}
		if !o.toDomain().Searchable(domain.DateOf(s.now())) {
			return domain.Errorf(domain.CodeOpeningClosed, "this opening is not taking applications")
		}
		eventID, err := s.attributedEvent(tx, req.OpeningID, req.TrackingCode)
		if err != nil {
			return err
		}
		var id string
		// The résumé the graduate has now goes with the application: the
		// employer reads this version, never a later upload. It is made at
		// the store's clock, which a hire's date is checked against.
		now := s.now()
		if err := tx.Raw(insertApplication,
			req.OpeningID, c.UserID, req.CoverLetter, eventID, c.UserID, now, now).Scan(&id).Error; err != nil {
			return err
		}
		if err := s.history(tx, id, nil, domain.AppSubmitted, c.UserID, ""); err != nil {
			return err
		}
		// Applying counts as activity for the résumé retention.
		if err := touchActive(tx, c.UserID, s.now()); err != nil {
			return err
		}
		r, err := loadApplication(tx, id, false)
		if err != nil {
			return err
		}
		app = r.toDomain(c, s.now())
		if err := notifyEmployer(tx, r.EmployerID, domain.Notification{Kind: "application_received",
			Title: fmt.Sprintf("%s 申请了「%s」", r.GraduateName, r.OpeningTitle), Link: "/applications/" + id,
			Params: domain.NoticeParams{"graduate": r.GraduateName, "opening": r.OpeningTitle}}); err != nil {
			return err
		}
		return remember(tx, c.UserID, req.Idempotency, app)
	})
	return app, replayed, translate(err)
}

// reloadApplication reads application id again after a change in tx: its
// row and, as c sees it, the application with its interview slots.
func (s *Store) reloadApplication(tx *gorm.DB, c domain.Caller, id string) (applicationRow, domain.Application, error) {
	r, err := loadApplication(tx, id, false)
	if err != nil {
		return r, domain.Application{}, err
	}
	out := r.toDomain(c, s.now())
	out.InterviewSlots, err = loadSlots(tx, id)
	return r, out, err
}

const applicationHistory = `SELECT h.from_status, h.to_status, h.actor_id, u.role, h.note, h.created_at
	FROM application_history h JOIN users u ON u.id = h.actor_id
	WHERE h.application_id = ?
	ORDER BY h.id`

// Application returns an application the caller may see, with its history.
// Errors: not_found.
func (s *Store) Application(ctx context.Context, c domain.Caller, id string) (domain.Application, error) {
	db := s.db.WithContext(ctx)
	r, err := loadApplication(db, id, false)
	if err != nil {
		return domain.Application{}, translate(err)
	}
	if !c.Sees(r.scope()) {
		return domain.Application{}, domain.ErrNotFound
	}
	a := r.toDomain(c, s.now())
	if a.InterviewSlots, err = loadSlots(db, id); err != nil {
		return a, translate(err)
	}
	var moves []struct {
		FromStatus *string
		ToStatus   string
		ActorID    string
		Role       string
		Note       string
		CreatedAt  time.Time
	}
	if err := db.Raw(applicationHistory, id).Scan(&moves).Error; err != nil {
		return a, translate(err)
	}
	for _, m := range moves {
		a.History = append(a.History, domain.ApplicationMove{From: m.FromStatus, To: m.ToStatus, ActorID: m.ActorID, ActorRole: m.Role, Note: m.Note, At: m.CreatedAt})
	}
	if r.PlacementRevoked {
		var rv []revocationRow
		if err := db.Raw(revocationOfApplication, id).Scan(&rv).Error; err != nil {
			return a, translate(err)
		}
		for _, x := range rv {
			a.History = append(a.History, x.revocation().Step(c))
		}
	}
	return a, nil
}

// revocationSelect reads revokes as revocationRow: who revoked, and the
// names of the revoking account's zone (or province) to name its office.
const revocationSelect = `SELECT p.application_id, p.revoked_at, p.revoked_by::text AS actor_id, u.role AS actor_role, p.revoke_reason,
	coalesce(rz.name_zh, rp.name_zh, '') AS place_zh, coalesce(rz.name_en, rp.name_en, '') AS place_en
	FROM placements p LEFT JOIN users u ON u.id = p.revoked_by
	LEFT JOIN zones rz ON rz.code = u.zone_code LEFT JOIN provinces rp ON rp.code = u.province_code`

// revocationOfApplication is the revoke of an application's placement: a
// hire is final, so it is the last step of the application's history.
const revocationOfApplication = revocationSelect + `
	WHERE p.application_id = ? AND p.status = 'revoked'`

// revocationRow is a revoked placement as its application's history tells
// it (domain.Revocation).
type revocationRow struct {
	ApplicationID string
	RevokedAt     time.Time
	ActorID       *string
	ActorRole     *string
	RevokeReason  *string
	PlaceZh       string
	PlaceEn       string
}

func (x revocationRow) revocation() domain.Revocation {
	return domain.Revocation{At: x.RevokedAt, ActorID: deref(x.ActorID), ActorRole: deref(x.ActorRole), Reason: deref(x.RevokeReason),
		PlaceZh: x.PlaceZh, PlaceEn: x.PlaceEn}
}

// applicationScope are the columns that put an application in a caller's
// scope (a, o and e: the application, its opening and its employer).
var applicationScope = scopeColumns{Graduate: "a.graduate_id", Employer: "o.employer_id", Zone: "e.zone_code", Province: "e.province_code"}

const applicationRank = `SELECT a.status, (SELECT count(*) FROM applications b
		WHERE b.opening_id = a.opening_id AND b.status = a.status
		AND (b.created_at > a.created_at OR b.created_at = a.created_at AND b.id < a.id)) AS rank
	FROM applications a JOIN openings o ON o.id = a.opening_id JOIN employers e ON e.id = o.employer_id
	WHERE a.id = ? AND `

// ApplicationRank is an application's status and how many applications of
// its opening in that status come before it in Applications' order: where
// the board shows it (a walk moved an applicant from a column's second page
// and landed on the first pages, without it). Errors: not_found (none, or
// not in the caller's scope).
func (s *Store) ApplicationRank(ctx context.Context, c domain.Caller, id string) (status string, rank int64, err error) {
	if !validUUID(id) {
		return "", 0, domain.ErrNotFound
	}
	where, args := scopeWhere(c, applicationScope)
	var row struct {
		Status string
		Rank   int64
	}
	if err := s.db.WithContext(ctx).Raw(applicationRank+where, append([]any{id}, args...)...).Scan(&row).Error; err != nil {
		return "", 0, translate(err)
	}
	if row.Status == "" {
		return "", 0, domain.ErrNotFound
	}
	return row.Status, row.Rank, nil
}

// Applications lists applications in the caller's scope: a graduate its own,
// an employer those to its openings, staff those in their zone or province.
func (s *Store) Applications(ctx context.Context, c domain.Caller, f domain.ApplicationFilter, p domain.Page) ([]domain.Application, int64, error) {
	w := newFilter(scopeWhere(c, applicationScope))
	if f.OpeningID != "" {
		if !validUUID(f.OpeningID) {
			return nil, 0, nil
		}
		w.and("a.opening_id = ?", f.OpeningID)
	}
	if f.Status != "" {
		w.and("a.status = ?", f.Status)
	}
	if f.StaleOnly {
		w.and("a.status = 'submitted' AND a.first_employer_move_at IS NULL AND a.created_at < ?", s.now().Add(-domain.StaleAfter))
	}
	if f.RevokedHiresOnly {
		w.and("EXISTS (SELECT 1 FROM placements p WHERE p.application_id = a.id AND p.status = 'revoked')")
	}
	rows, total, err := listPage[applicationRow](s.db.WithContext(ctx),
		`applications a JOIN openings o ON o.id = a.opening_id JOIN employers e ON e.id = o.employer_id`,
		applicationSelect, `a.created_at DESC, a.id`, w, p)
	if err != nil {
		return nil, 0, err
	}
	out := make([]domain.Application, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain(c, s.now())
	}
	return out, total, nil
}

// lockApplicationOf loads application id for update as caller c sees it:
// not_found when c does not.
func lockApplicationOf(tx *gorm.DB, c domain.Caller, id string) (applicationRow, error) {
	r, err := loadApplication(tx, id, true)
	if err == nil && !c.Sees(r.scope()) {
		err = domain.ErrNotFound
	}
	return r, err
}

const setApplicationInterview = `UPDATE applications
	SET interview_starts_at = ?, interview_ends_at = ?, interview_location = ?, interview_online_url = ?,
	interview_sequence = CASE WHEN interview_starts_at IS NULL THEN 0 ELSE interview_sequence + 1 END,
	interview_set_at = ?, updated_at = now()
	WHERE id = ?`

// setInterview makes iv the application's interview, set at the store's
// clock (the reminder sweep reads when). A second appointment for the same
// application is a revision of the calendar entry (the same UID, one more
// SEQUENCE), not a new one.
func (s *Store) setInterview(tx *gorm.DB, id string, iv domain.Interview) error {
	return tx.Exec(setApplicationInterview, iv.StartsAt, iv.EndsAt, iv.Location, iv.OnlineURL, s.now(), id).Error
}

const bumpInterviewSequence = `UPDATE applications
	SET interview_sequence = interview_sequence + 1
	WHERE id = ?`

// moveApplication sets a status at the store's clock (its first argument
// after the status), as the application was made.
const moveApplication = `UPDATE applications
	SET status = ?, updated_at = ?,
	first_employer_move_at = CASE WHEN ? THEN ?::timestamptz ELSE first_employer_move_at END
	WHERE id = ?`

// Transition moves an application. The side is checked (403 for the wrong
// side), then the move (409 invalid_transition). "hired" creates exactly one
// placement in the same transaction, counted in the Shanghai month of
// hired_on; the opening's headcount and the one-placement-per-graduate-and-
// year rule are enforced by the database. Errors: forbidden, not_found,
// invalid_transition, validation_failed, opening_full, already_placed.
func (s *Store) Transition(ctx context.Context, c domain.Caller, id string, t domain.Transition) (domain.Application, error) {
	var out domain.Application
	if err := t.Validate(); err != nil {
		return out, err
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, err := lockApplicationOf(tx, c, id)
		if err != nil {
			return err
		}
		if err := domain.CheckTransition(c.Role, r.Status, t.To); err != nil {
			return err
		}
		if t.To == domain.AppHired {
			if _, err := s.hire(ctx, tx, c, r, t.HiredOn); err != nil {
				return err
			}
			err := tx.Exec(notifyPlacedElsewhere, r.GraduateName, r.GraduateName, r.GraduateID, id).Error
			if err != nil {
				return err
			}
		}
		firstMove := c.Role == domain.RoleEmployer && r.FirstEmployerMoveAt == nil
		now := s.now()
		if err := tx.Exec(moveApplication, t.To, now, firstMove, now, id).Error; err != nil {
			return err
		}
		if iv := t.Scheduled; iv != nil && t.To == domain.AppInterview {
			if err := s.setInterview(tx, id, *iv); err != nil {
				return err
			}
		}
		if t.To == domain.AppInterview && len(t.Offered) > 0 {
			// Times offered anew replace those offered before.
			if err := offerSlots(tx, id, r.OpeningID, t.Offered); err != nil {
				return err
			}
		}
		if !domain.ApplicationOpen(t.To) && t.To != domain.AppHired {
			// An application that ends gives its offered and picked times
			// back: another applicant of the opening may pick them.
			if err := tx.Exec(deleteInterviewSlots, id).Error; err != nil {
				return err
			}
		}
		if err := s.history(tx, id, &r.Status, t.To, c.UserID, t.Note); err != nil {
			return err
		}
		// Tell the other side.
		if c.Role == domain.RoleEmployer {
			err = notify(tx, domain.Notification{UserID: r.GraduateID, Kind: "application_" + t.To, Link: "/applications/" + id,
				Title:  fmt.Sprintf("「%s」的申请状态：%s", r.OpeningTitle, domain.TermZh(domain.ApplicationStatusTerms, t.To)),
				Params: domain.NoticeParams{"opening": r.OpeningTitle, "status": t.To}}, "")
		} else {
			err = notifyEmployer(tx, r.EmployerID, answerNotice(r, r.GraduateName, t.To))
		}
		if err != nil {
			return err
		}
		// An interview still to come is cancelled by a move that ends the
		// application or hires it (an offer may come before the interview's
		// day): the calendar entry gets a higher sequence and a CANCEL, as
		// the site stops showing it (domain.InterviewStands).
		cancel := !domain.ApplicationOpen(t.To) && r.InterviewStartsAt != nil && r.InterviewStartsAt.After(s.now())
		if cancel {
			if err := tx.Exec(bumpInterviewSequence, id).Error; err != nil {
				return err
			}
		}
		if r, out, err = s.reloadApplication(tx, c, id); err != nil {
			return err
		}
		if cancel && c.Role == domain.RoleEmployer && r.InterviewEmployerEntry {
			// The employer ended or hired before the day: the entry its
			// users hold is cancelled, as the graduate's is.
			if err := s.updateEmployerEntry(tx, r, out, true); err != nil {
				return err
			}
		}
		if c.Role == domain.RoleGraduate {
			// The graduate answered: the employer is mailed too (each of
			// these statuses is reached once), with the cancellation of the
			// interview still to come in its calendar, as the graduate's —
			// when its calendar holds the entry (a pick mailed it).
			var iv *domain.Interview
			if cancel {
				iv = r.interview()
			}
			d := domain.AnswerMailData(out, t.To, r.GraduateName, t.Note, iv, cancel)
			if cancel && !r.InterviewEmployerEntry {
				domain.NoEmployerEntry(d)
			}
			if err := s.mailEmployer(tx, r.EmployerID, domain.MailApplicantAnswered, d, "applicant_answered:"+id+":"+t.To); err != nil {
				return err
			}
			// The graduate's own note is the employer's to read, not news to
			// the graduate (it was mailed back as 用人单位留言).
			own := t
			own.Note = ""
			return s.enqueueStatusMail(tx, r, out, own, cancel)
		}
		return s.enqueueStatusMail(tx, r, out, t, cancel)
	})
	return out, translate(err)
}

// answerNotice is the employer's notification of the graduate's move to
// `to` on application r, naming the graduate as name (the pseudonym, for
// an erasure's withdrawal).
func answerNotice(r applicationRow, name, to string) domain.Notification {
	return domain.Notification{Kind: "application_" + to, Link: "/applications/" + r.ID,
		Title:  fmt.Sprintf("%s 的申请（%s）：%s", name, r.OpeningTitle, domain.TermZh(domain.ApplicationStatusTerms, to)),
		Params: domain.NoticeParams{"opening": r.OpeningTitle, "status": to, "graduate": name}}
}

// enqueueStatusMail queues the graduate's mail about a move, in the move's
// transaction (contract: every status change is mailed to a verified
// graduate; the pipeline withholds it from an unverified one, or one who
// turned status mail off: domain.MayReceive). The mail carries the
// interview when this move gave one or cancels one.
func (s *Store) enqueueStatusMail(tx *gorm.DB, r applicationRow, a domain.Application, t domain.Transition, cancel bool) error {
	var iv *domain.Interview
	if (t.To == domain.AppInterview && t.Scheduled != nil) || cancel {
		iv = r.interview()
	}
	d := domain.StatusMailData(a, t.To, t.Note, iv, cancel)
	if t.To == domain.AppInterview && len(t.Offered) > 0 {
		// Times to pick from: each gets its own pick link at send time.
		d["slots"] = domain.SlotsMailData(a.InterviewSlots)
	}
	return s.enqueue(tx, MailJob(domain.MailApplicationStatus, r.GraduateID, d, ""))
}

const countOpeningPlacement = `UPDATE openings
	SET placements = placements + 1, updated_at = now()
	WHERE id = ?`

const openingHeadcountForUpdate = `SELECT headcount, placements
	FROM openings
	WHERE id = ?
	FOR UPDATE`

const insertPlacement = `INSERT INTO placements (application_id, opening_id, employer_id, graduate_id, zone_code, province_code,
	hired_on, year, month, event_id)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	RETURNING id`

// hire creates the placement for application r inside tx.
func (s *Store) hire(ctx context.Context, tx *gorm.DB, c domain.Caller, r applicationRow, hiredOn string) (string, error) {
	d, err := domain.HireDate(hiredOn, r.CreatedAt, s.now())
	if err != nil {
		return "", err
	}
	// Lock the opening: hires into one opening are serialised, so the seat
	// count is checked against committed placements. The CHECK on
	// openings.placements is the last guard.
	var o struct {
		Headcount  int
		Placements int
	}
	if err := tx.Raw(openingHeadcountForUpdate, r.OpeningID).Scan(&o).Error; err != nil {
		return "", err
	}
	if o.Placements >= o.Headcount {
		return "", domain.Errorf(domain.CodeOpeningFull, "every seat of this opening is filled")
	}
	var pid string
	err = tx.Raw(insertPlacement,
		r.ID, r.OpeningID, r.EmployerID, r.GraduateID, r.ZoneCode, r.ProvinceCode, d.String(), d.Year, d.Month, r.EventID).Scan(&pid).Error
	if err != nil {
		return "", err
	}
	if err := tx.Exec(countOpeningPlacement, r.OpeningID).Error; err != nil {
		return "", err
	}
	if err := countPlacement(tx, pid, r.ProvinceCode, deref(r.ZoneCode), d, +1); err != nil {
		return "", err
	}
	if o.Placements+1 == o.Headcount {
		// Full: the opening leaves search.
		if err := s.enqueue(tx, indexJob(r.OpeningID)); err != nil {
			return "", err
		}
	}
	return pid, audit(ctx, tx, auditEntry{Kind: "placement.created", ActorID: c.UserID, EntityType: "placement", EntityID: pid,
		ZoneCode: deref(r.ZoneCode), ProvinceCode: r.ProvinceCode,
		After: map[string]any{"application_id": r.ID, "graduate_id": r.GraduateID, "hired_on": d.String(), "status": "active"}})
}

const medianEmployerResponseDays = `SELECT round((percentile_cont(0.5) WITHIN GROUP (
	ORDER BY extract(epoch FROM a.first_employer_move_at - a.created_at) / 86400))::numeric, 1)::float8 AS days
	FROM applications a JOIN openings o ON o.id = a.opening_id
	WHERE o.employer_id = ? AND a.first_employer_move_at IS NOT NULL`

// EmployerResponseDays is the median number of days an employer took to
// make its first move on an application (nil before any move).
func (s *Store) EmployerResponseDays(ctx context.Context, employerID string) (*float64, error) {
	var v struct{ Days *float64 }
	err := s.db.WithContext(ctx).Raw(medianEmployerResponseDays, employerID).Scan(&v).Error
	return v.Days, translate(err)
}

const notifyStaleApplications = `INSERT INTO notifications (user_id, kind, title, link, params, dedupe_key)
	SELECT u.id, 'application_stale', '有申请等待处理超过7天：' || o.title, '/applications/' || a.id,
		jsonb_build_object('opening', o.title), 'stale:' || a.id
	FROM applications a JOIN openings o ON o.id = a.opening_id
	JOIN users u ON u.employer_id = o.employer_id AND u.deleted_at IS NULL
	WHERE a.status = 'submitted' AND a.first_employer_move_at IS NULL AND a.created_at < ?
	ON CONFLICT DO NOTHING`

// FlagStaleApplications notifies employers' live users, once per application, of
// applications that have waited 7 days without a move. It returns how many
// notifications it sent.
func (s *Store) FlagStaleApplications(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Exec(notifyStaleApplications, s.now().Add(-domain.StaleAfter))
	return res.RowsAffected, translate(res.Error)
}
