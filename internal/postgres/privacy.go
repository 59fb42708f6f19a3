package postgres

// Personal-data rights: résumé reads, the export of a user's data and the
// erasure of an account (PIPL; docs/security.md, "Privacy").

import (
	"context"
	"database/sql"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

const insertResumeView = `INSERT INTO resume_views (graduate_id, employer_id, viewer_id, viewed_at)
	VALUES (?, ?, ?, ?)`

// RecordResumeView records that the caller, an employer's user, read the
// graduate's résumé. Called after the read succeeded, so each row is a read
// that happened. Errors: forbidden (not an employer).
func (s *Store) RecordResumeView(ctx context.Context, c domain.Caller, graduateID string) error {
	if c.Role != domain.RoleEmployer || c.EmployerID == "" {
		return domain.ErrForbidden
	}
	return translate(s.db.WithContext(ctx).Exec(insertResumeView,
		graduateID, c.EmployerID, c.UserID, s.now()).Error)
}

type resumeViewRow struct {
	ID           string
	EmployerID   string
	EmployerName string
	ViewedAt     time.Time
}

func (r resumeViewRow) toDomain() domain.ResumeView {
	return domain.ResumeView{ID: r.ID, Employer: domain.OrgRef{ID: r.EmployerID, Name: r.EmployerName}, ViewedAt: r.ViewedAt}
}

const resumeViewSelect = `SELECT v.id, v.employer_id, e.name AS employer_name, v.viewed_at
	FROM resume_views v JOIN employers e ON e.id = v.employer_id`

// ResumeViews lists the reads of the caller's own résumé, newest first. Only
// a graduate has a résumé. Errors: forbidden.
func (s *Store) ResumeViews(ctx context.Context, c domain.Caller, p domain.Page) ([]domain.ResumeView, int64, error) {
	if c.Role != domain.RoleGraduate {
		return nil, 0, domain.ErrForbidden
	}
	rows, total, err := listPage[resumeViewRow](s.db.WithContext(ctx), "resume_views v", resumeViewSelect,
		"v.viewed_at DESC, v.id", newFilter("v.graduate_id = ?", []any{c.UserID}), p)
	return toDomains[domain.ResumeView](rows), total, err
}

const liveUserData = `SELECT id, role, email, name, created_at, privacy_notice_version, privacy_consent_at, employer_id,
	email_verified_at, mail_refused_at, coalesce(mail_refused_reply, '') AS mail_refused_reply,
	totp_enabled_at AS two_step_since, last_active_at,
	(SELECT count(*) FROM totp_recovery_codes c WHERE c.user_id = users.id AND c.used_at IS NULL) AS recovery_codes
	FROM users
	WHERE id = ? AND deleted_at IS NULL`

const employerIDName = `SELECT id, name
	FROM employers
	WHERE id = ?`

const notificationsOfUser = `SELECT id, user_id, kind, title, body, link, params, read_at, created_at
	FROM notifications
	WHERE user_id = ?
	ORDER BY created_at DESC, id`

const savedSearchesToExport = `SELECT ` + savedSearchColumns + `
	FROM saved_searches
	WHERE user_id = ?
	ORDER BY created_at, id`

const savedOpeningsToExport = `SELECT o.id, o.title, e.id AS employer_id, e.name AS employer_name, so.created_at AS saved_at
	FROM saved_openings so JOIN openings o ON o.id = so.opening_id JOIN employers e ON e.id = o.employer_id
	WHERE so.user_id = ?
	ORDER BY so.created_at DESC, o.id`

// exportAccountRow is the account's row as the export reads it (scanned
// here: domain.ExportAccount also holds the change waiting, which is not
// a column).
type exportAccountRow struct {
	ID                   string
	Role                 domain.Role
	Email, Name          string
	CreatedAt            time.Time
	EmailVerifiedAt      *time.Time
	MailRefusedAt        *time.Time
	MailRefusedReply     string
	TwoStepSince         *time.Time
	RecoveryCodes        int
	LastActiveAt         *time.Time
	PrivacyNoticeVersion *string
	PrivacyConsentAt     *time.Time
	EmployerID           *string
}

// PersonalData gathers everything stored about the caller for its export:
// account, consent, profile, applications with their history, placements,
// event registrations, saved searches and openings, mail preferences, live
// sessions, notifications and résumé reads. An employer's user gets its
// account and its organisation's name, not its applicants' data.
func (s *Store) PersonalData(ctx context.Context, c domain.Caller) (domain.PersonalData, error) {
	var out domain.PersonalData
	// One snapshot: a repeatable-read, read-only transaction, so the parts
	// agree with each other.
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var acc exportAccountRow
		if err := tx.Raw(liveUserData, c.UserID).Scan(&acc).Error; err != nil {
			return err
		}
		if acc.ID == "" {
			return domain.ErrNotFound
		}
		change, err := s.emailChangeOf(tx, c.UserID)
		if err != nil {
			return err
		}
		refused, err := s.emailChangeRefusalOf(tx, c.UserID)
		if err != nil {
			return err
		}
		out.Account = domain.ExportAccount{ID: acc.ID, Role: acc.Role, Email: acc.Email, Name: acc.Name, CreatedAt: acc.CreatedAt,
			EmailVerifiedAt: acc.EmailVerifiedAt, MailRefusedAt: acc.MailRefusedAt, MailRefusedReply: acc.MailRefusedReply,
			EmailChange: change, EmailChangeRefused: refused, TwoStepSince: acc.TwoStepSince, RecoveryCodes: acc.RecoveryCodes, LastActiveAt: acc.LastActiveAt}
		if acc.PrivacyNoticeVersion != nil && acc.PrivacyConsentAt != nil {
			out.Consent = &domain.Consent{NoticeVersion: *acc.PrivacyNoticeVersion, AcceptedAt: *acc.PrivacyConsentAt}
		}
		if acc.EmployerID != nil {
			var e domain.OrgRef
			if err := tx.Raw(employerIDName, *acc.EmployerID).Scan(&e).Error; err != nil {
				return err
			}
			out.Employer = &e
		}
		if c.Role == domain.RoleGraduate {
			if err := s.graduateData(tx, c.UserID, &out); err != nil {
				return err
			}
		}
		var saved []savedSearchRow
		if err := tx.Raw(savedSearchesToExport, c.UserID).Scan(&saved).Error; err != nil {
			return err
		}
		out.SavedSearches = make([]domain.SavedSearch, len(saved))
		for i, r := range saved {
			out.SavedSearches[i] = r.toDomain()
		}
		var savedOpenings []struct {
			ID, Title, EmployerID, EmployerName string
			SavedAt                             time.Time
		}
		if err := tx.Raw(savedOpeningsToExport, c.UserID).Scan(&savedOpenings).Error; err != nil {
			return err
		}
		for _, o := range savedOpenings {
			out.SavedOpenings = append(out.SavedOpenings, domain.ExportSavedOpening{SavedAt: o.SavedAt,
				Opening: domain.EmployerOpening{ID: o.ID, Title: o.Title, Employer: domain.OrgRef{ID: o.EmployerID, Name: o.EmployerName}}})
		}
		prefs, err := s.mailPrefsRow(tx, c.UserID)
		if err != nil {
			return err
		}
		out.MailPreferences = prefs.preferences()
		if out.Sessions, err = sessionsOf(tx, c.UserID, s.now()); err != nil {
			return err
		}
		return tx.Raw(notificationsOfUser, c.UserID).Scan(&out.Notifications).Error
	}, readOnlySnapshot)
	if err != nil {
		return domain.PersonalData{}, translate(err)
	}
	out.ExportedAt = s.now()
	// Lists are [] rather than null in the JSON: "none" is an answer.
	out.Applications = nonNilSlice(out.Applications)
	out.Placements = nonNilSlice(out.Placements)
	out.EventRegistrations = nonNilSlice(out.EventRegistrations)
	out.EventWaitlists = nonNilSlice(out.EventWaitlists)
	out.SavedOpenings = nonNilSlice(out.SavedOpenings)
	out.Notifications = nonNilSlice(out.Notifications)
	out.ResumeViews = nonNilSlice(out.ResumeViews)
	return out, nil
}

const applicationsOfGraduate = `SELECT a.id, a.status, a.cover_letter, o.id AS opening_id, o.title,
	e.id AS employer_id, e.name AS e_name, a.created_at, a.updated_at, a.event_id, coalesce(ev.title, '') AS event_title,
	a.interview_starts_at, a.interview_ends_at, a.interview_location, a.interview_online_url
	FROM applications a JOIN openings o ON o.id = a.opening_id JOIN employers e ON e.id = o.employer_id
	LEFT JOIN events ev ON ev.id = a.event_id
	WHERE a.graduate_id = ?
	ORDER BY a.created_at, a.id`

const interviewSlotsOfGraduate = `SELECT s.application_id, s.id, s.starts_at, s.ends_at, s.location, s.online_url, s.picked_at
	FROM interview_slots s JOIN applications a ON a.id = s.application_id
	WHERE a.graduate_id = ?
	ORDER BY s.starts_at, s.id`

const applicationHistoryOfGraduate = `SELECT h.application_id, h.from_status, h.to_status, h.actor_id, u.role AS actor_role,
	h.note, h.created_at
	FROM application_history h JOIN applications a ON a.id = h.application_id
	JOIN users u ON u.id = h.actor_id
	WHERE a.graduate_id = ?
	ORDER BY h.id`

// revocationsOfGraduate are the revokes of the graduate's placements, the
// last step of each one's application (revocationOfApplication).
const revocationsOfGraduate = revocationSelect + `
	WHERE p.graduate_id = ? AND p.status = 'revoked'`

const placementsOfGraduate = `SELECT p.id, p.status, o.id AS opening_id, o.title,
	e.id AS employer_id, e.name AS e_name, p.hired_on
	FROM placements p JOIN openings o ON o.id = p.opening_id JOIN employers e ON e.id = p.employer_id
	WHERE p.graduate_id = ?
	ORDER BY p.hired_on, p.id`

const eventsRegisteredByGraduate = `SELECT r.event_id, e.title, e.starts_at, r.checkin_code, r.checked_in_at, r.created_at
	FROM event_registrations r JOIN events e ON e.id = r.event_id
	WHERE r.graduate_id = ?
	ORDER BY r.created_at`

const waitlistsOfGraduate = `SELECT w.event_id, e.title, e.starts_at, w.created_at
	FROM event_waitlist w JOIN events e ON e.id = w.event_id
	WHERE w.graduate_id = ?
	ORDER BY w.created_at`

const resumeViewsOfGraduate = resumeViewSelect + `
	WHERE v.graduate_id = ?
	ORDER BY v.viewed_at DESC, v.id`

// graduateData adds the graduate's profile, applications (with their
// interview, the times offered and the event credited), placements,
// registrations and résumé reads to out.
func (s *Store) graduateData(tx *gorm.DB, userID string, out *domain.PersonalData) error {
	var g graduateRow
	if err := tx.Where("user_id = ?", userID).Take(&g).Error; err != nil {
		return err
	}
	gd := g.toDomain()
	// As /me says it: an active placement this (Shanghai) year.
	var placed int64
	if err := tx.Raw(placementsThisYear, userID, domain.DateOf(s.now()).Year).Scan(&placed).Error; err != nil {
		return err
	}
	gd.PlacedThisYear = placed > 0
	out.Graduate = &gd
	var apps []struct {
		ID, Status, CoverLetter             string
		OpeningID, Title, EmployerID, EName string
		CreatedAt, UpdatedAt                time.Time
		EventID                             *string
		EventTitle                          string
		// The interview, as applicationRow reads it.
		InterviewStartsAt, InterviewEndsAt    *time.Time
		InterviewLocation, InterviewOnlineURL string
	}
	if err := tx.Raw(applicationsOfGraduate, userID).Scan(&apps).Error; err != nil {
		return err
	}
	var slots []struct {
		ApplicationID, ID   string
		StartsAt, EndsAt    time.Time
		Location, OnlineURL string
		PickedAt            *time.Time
	}
	if err := tx.Raw(interviewSlotsOfGraduate, userID).Scan(&slots).Error; err != nil {
		return err
	}
	slotsOf := map[string][]domain.InterviewSlot{}
	for _, sl := range slots {
		slotsOf[sl.ApplicationID] = append(slotsOf[sl.ApplicationID], domain.InterviewSlot{ID: sl.ID, StartsAt: sl.StartsAt.UTC(),
			EndsAt: sl.EndsAt.UTC(), Location: sl.Location, OnlineURL: sl.OnlineURL, Picked: sl.PickedAt != nil})
	}
	var moves []struct {
		ApplicationID string
		domain.ApplicationMove
		FromStatus *string
		ToStatus   string
		CreatedAt  time.Time
	}
	if err := tx.Raw(applicationHistoryOfGraduate, userID).Scan(&moves).Error; err != nil {
		return err
	}
	byApp := map[string][]domain.ApplicationMove{}
	for _, m := range moves {
		mv := m.ApplicationMove
		mv.From, mv.To, mv.At = m.FromStatus, m.ToStatus, m.CreatedAt
		byApp[m.ApplicationID] = append(byApp[m.ApplicationID], mv)
	}
	// As GET /applications/{id} tells them to the graduate.
	var revokes []revocationRow
	if err := tx.Raw(revocationsOfGraduate, userID).Scan(&revokes).Error; err != nil {
		return err
	}
	for _, x := range revokes {
		byApp[x.ApplicationID] = append(byApp[x.ApplicationID], x.revocation().Step(domain.Caller{UserID: userID, Role: domain.RoleGraduate}))
	}
	for _, a := range apps {
		iv := applicationRow{InterviewStartsAt: a.InterviewStartsAt, InterviewEndsAt: a.InterviewEndsAt,
			InterviewLocation: a.InterviewLocation, InterviewOnlineURL: a.InterviewOnlineURL}.interview()
		out.Applications = append(out.Applications, domain.ExportApplication{ID: a.ID, Status: a.Status, CoverLetter: a.CoverLetter,
			Opening:   domain.EmployerOpening{ID: a.OpeningID, Title: a.Title, Employer: domain.OrgRef{ID: a.EmployerID, Name: a.EName}},
			CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, History: nonNilSlice(byApp[a.ID]),
			EventID: a.EventID, EventTitle: a.EventTitle, Interview: iv, InterviewSlots: nonNilSlice(slotsOf[a.ID])})
	}
	var pls []struct {
		ID, Status, OpeningID, Title, EmployerID, EName string
		HiredOn                                         time.Time
	}
	if err := tx.Raw(placementsOfGraduate, userID).Scan(&pls).Error; err != nil {
		return err
	}
	for _, p := range pls {
		out.Placements = append(out.Placements, domain.ExportPlacement{ID: p.ID, Status: p.Status, HiredOn: p.HiredOn.Format("2006-01-02"),
			Opening: domain.EmployerOpening{ID: p.OpeningID, Title: p.Title, Employer: domain.OrgRef{ID: p.EmployerID, Name: p.EName}}})
	}
	if err := tx.Raw(eventsRegisteredByGraduate, userID).Scan(&out.EventRegistrations).Error; err != nil {
		return err
	}
	if err := tx.Raw(waitlistsOfGraduate, userID).Scan(&out.EventWaitlists).Error; err != nil {
		return err
	}
	var views []resumeViewRow
	if err := tx.Raw(resumeViewsOfGraduate, userID).Scan(&views).Error; err != nil {
		return err
	}
	for _, v := range views {
		out.ResumeViews = append(out.ResumeViews, v.toDomain())
	}
	return nil
}

const liveUserForUpdate = `SELECT id, email, employer_id
	FROM users
	WHERE id = ? AND deleted_at IS NULL
	FOR UPDATE`

const lockEmployer = `SELECT 1
	FROM employers
	WHERE id = ?
	FOR UPDATE`

const eraseUser = `UPDATE users
	SET name = ?, email = ?, password_hash = '!', privacy_notice_version = NULL, privacy_consent_at = NULL,
	email_verified_at = NULL, mail_refused_at = NULL, mail_refused_reply = NULL, totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = 0, deleted_at = ?
	WHERE id = ?`

// erasePersonalRows delete, or unlink, the rows of user ? that an erased
// account leaves nothing of.
var erasePersonalRows = []string{
	`DELETE FROM saved_searches WHERE user_id = ?`,
	`DELETE FROM saved_openings WHERE user_id = ?`,
	`DELETE FROM notifications WHERE user_id = ?`,
	`DELETE FROM resume_views WHERE graduate_id = ?`,
	`DELETE FROM idempotency_keys WHERE user_id = ?`,
	`DELETE FROM refresh_tokens WHERE user_id = ?`,
	`DELETE FROM account_tokens WHERE user_id = ?`,
	// The two-step secret goes with the account (eraseUser), and its
	// recovery codes.
	`DELETE FROM totp_recovery_codes WHERE user_id = ?`,
	// The send keys stay (a retried mail job must still find its key), no
	// longer linked to the person.
	`UPDATE mail_sends SET user_id = NULL WHERE user_id = ?`,
}

// jobsAboutApplicationsOf lists the jobs whose mail is about one of
// graduate ?'s applications (its data names the application). Each is
// found through River's GIN index on args (containment, @>): a scan of
// the day's jobs took 0.4 s for 300,000 (seconds in a sprint week, inside
// the erasure); this, 8 ms. ANY(ARRAY(…)) keeps the planner from a
// hash join over the whole table.
const jobsAboutApplicationsOf = `SELECT j.id
	FROM applications a
	JOIN river_job j ON j.args @> jsonb_build_object('mail', jsonb_build_object('data', jsonb_build_object('application_id', a.id::text)))
	WHERE a.graduate_id = ?`

// deleteJobsOfUser deletes River's jobs that concern user ? (address ?),
// but one being run (River holds it; it finds no recipient):
//   - those addressed to the account, a mail to it or a reset request for
//     its address, finished (kept by River for a day, a week when
//     discarded) or still to run (they would find no recipient);
//   - finished mails to others about its applications (to the employer,
//     with the name and the notes); those still to run are renamed
//     (renameGraduateInJobs).
const deleteJobsOfUser = `DELETE FROM river_job
	WHERE state <> 'running' AND id = ANY(ARRAY(
		SELECT id FROM river_job WHERE args @> jsonb_build_object('mail', jsonb_build_object('user_id', ?::text))
		UNION SELECT id FROM river_job WHERE args @> jsonb_build_object('email', ?::text)
		UNION SELECT id FROM river_job WHERE state IN ('completed', 'discarded', 'cancelled') AND id = ANY(ARRAY(` + jobsAboutApplicationsOf + `))))`

// renameGraduateInJobs puts the pseudonym (?) in the mails still to run
// to the employer about graduate ?'s applications, and empties the
// graduate's note they carry, as in the notifications and the histories.
// The erasure's own withdrawal mails name the pseudonym already.
const renameGraduateInJobs = `UPDATE river_job j
	SET args = jsonb_set(jsonb_set(j.args, '{mail,data,graduate_name}', to_jsonb(?::text)), '{mail,data,note}', '""'::jsonb)
	WHERE j.state IN ('available', 'pending', 'retryable', 'scheduled')
		AND j.args->'mail'->'data'->>'graduate_name' <> ?
		AND j.id = ANY(ARRAY(` + jobsAboutApplicationsOf + `))`

// forgetJobs deletes or scrubs the queue's jobs about an account being
// erased (a privacy probe found the name, the notes and the address in
// finished jobs for a day after the erasure).
func forgetJobs(tx *gorm.DB, userID, email string) error {
	if err := tx.Exec(deleteJobsOfUser, userID, email, userID).Error; err != nil {
		return err
	}
	alias := domain.Pseudonym(userID)
	return tx.Exec(renameGraduateInJobs, alias, alias, userID).Error
}

// EraseAccount erases the caller's account and personal data in one
// transaction, keeping what the programme's figures need:
//   - the users row stays (placements, applications, histories and the audit
//     trail point at it) with a pseudonymous name, an address in .invalid, an
//     unusable password, no consent record, and deleted_at set: no token of it
//     is accepted again (Caller) and nobody can sign in as it;
//   - a graduate's profile keeps degree and graduation year (report
//     breakdowns) and loses phone, university, major, cities, skills,
//     statement and résumé; cover letters and every note on its
//     applications (its own, the employer's, the assessment's) are emptied,
//     the ratings and status lines kept; applications still open are
//     withdrawn, so no employer waits on an erased person;
//   - placements stay as they are: counted, shown under the pseudonym;
//   - saved searches, notifications, résumé reads, idempotency replays,
//     mailed tokens, every session (refresh token) and the two-step
//     secret with its recovery codes are deleted; mail already sent keeps
//     its send key, unlinked from the account; the queue's jobs about the
//     account are deleted or scrubbed (forgetJobs), and a mail to it being
//     sent at that moment finds no recipient (MailRecipient).
//
// Staff accounts are official posts managed with `gradzone user`; they are
// not erased this way (forbidden). The last account of an employer is
// refused while the employer has openings published or under review
// (last_employer_user). It returns the résumé file for the caller to delete
// from the file store. Errors: forbidden, not_found, last_employer_user.
func (s *Store) EraseAccount(ctx context.Context, c domain.Caller) (domain.Erasure, error) {
	if c.Role != domain.RoleGraduate && c.Role != domain.RoleEmployer {
		return domain.Erasure{}, domain.ErrForbidden
	}
	var er domain.Erasure
	err := s.tx(ctx, func(tx *gorm.DB) error {
		er = domain.Erasure{}
		var u struct {
			ID, Email  string
			EmployerID *string
		}
		if err := tx.Raw(liveUserForUpdate, c.UserID).Scan(&u).Error; err != nil {
			return err
		}
		if u.ID == "" {
			return domain.ErrNotFound
		}
		if u.EmployerID != nil {
			// The employer's row serialises two of its users erasing at
			// once: each would otherwise count the other as still there.
			if err := tx.Exec(lockEmployer, *u.EmployerID).Error; err != nil {
				return err
			}
			if err := lastEmployerUserCheck(tx, c.UserID, *u.EmployerID); err != nil {
				return err
			}
		}
		if c.Role == domain.RoleGraduate {
			files, released, err := s.eraseGraduate(tx, c.UserID, s.now())
			if err != nil {
				return err
			}
			er.ResumeFiles = files
			for _, eventID := range released {
				if err := s.fillPlaces(tx, eventID); err != nil {
					return err
				}
			}
		}
		for _, q := range erasePersonalRows {
			if err := tx.Exec(q, c.UserID).Error; err != nil {
				return err
			}
		}
		if err := forgetJobs(tx, c.UserID, u.Email); err != nil {
			return err
		}
		// '!' is no argon2id hash: Verify refuses it, so no password matches.
		if err := tx.Exec(eraseUser,
			domain.Pseudonym(c.UserID), domain.PseudonymEmail(c.UserID), s.now(), c.UserID).Error; err != nil {
			return err
		}
		// The audit line names the account by its opaque ID only.
		return audit(ctx, tx, auditEntry{Kind: "account.erased", ActorID: c.UserID, EntityType: "user", EntityID: c.UserID,
			After: map[string]any{"role": c.Role}})
	})
	return er, translate(err)
}

// employerOthersAndOpenOpenings counts the employer's other live users
// and its openings that are published or waiting for review.
const employerOthersAndOpenOpenings = `SELECT
	(SELECT count(*) FROM users WHERE employer_id = ? AND id <> ? AND deleted_at IS NULL) AS others,
	(SELECT count(*) FROM openings WHERE employer_id = ? AND status IN ('published','pending_review')) AS open`

// lastEmployerUserCheck refuses to erase an employer's last account while
// applicants may still be waiting on its openings.
func lastEmployerUserCheck(tx *gorm.DB, userID, employerID string) error {
	var st struct {
		Others int64
		Open   int64
	}
	if err := tx.Raw(employerOthersAndOpenOpenings, employerID, userID, employerID).Scan(&st).Error; err != nil {
		return err
	}
	if st.Others == 0 && st.Open > 0 {
		return &domain.Error{Code: domain.CodeLastEmployerUser,
			Message: "you are the employer's last account and it has openings published or under review; close them first"}
	}
	return nil
}

// withdrawGraduateApplications withdraws graduate ?'s applications in the
// statuses ?, and clears their interview appointment (a privacy probe found
// the time and place still shown); an entry still to come (after ?) was
// cancelled (withdrawErased), one revision more.
const withdrawGraduateApplications = `UPDATE applications
	SET status = 'withdrawn', updated_at = now(),
	interview_sequence = interview_sequence + CASE WHEN interview_starts_at > ? THEN 1 ELSE 0 END,
	interview_starts_at = NULL, interview_ends_at = NULL, interview_location = '', interview_online_url = '',
	interview_set_at = NULL, interview_employer_entry = false
	WHERE graduate_id = ? AND status IN ?`

const openApplicationsOfGraduate = `SELECT id
	FROM applications
	WHERE graduate_id = ? AND status IN ?
	ORDER BY id
	FOR UPDATE`

// erasedNote is the history line of an application the erasure withdrew.
const erasedNote = "账户已注销 account erased"

// blankNotesOnApplications empties every note on graduate ?'s applications,
// the graduate's own and those its employer wrote about the person (a
// privacy probe found "王晓雨 面试表现待定" kept), except the erasure's own
// line; the status lines stay, as the figures read them.
const blankNotesOnApplications = `UPDATE application_history
	SET note = ''
	WHERE application_id IN (SELECT id FROM applications WHERE graduate_id = ?)
		AND note NOT IN ('', ?)`

// blankAssessmentNotes empties the employer's notes on graduate ?'s
// applications; the ratings stay.
const blankAssessmentNotes = `UPDATE application_assessments
	SET note = ''
	WHERE application_id IN (SELECT id FROM applications WHERE graduate_id = ?) AND note <> ''`

const lockGraduate = `SELECT 1
	FROM graduates
	WHERE user_id = ?
	FOR UPDATE`

const detachApplicationResumes = `UPDATE applications
	SET resume_file = NULL
	WHERE graduate_id = ? AND resume_file IS NOT NULL`

const eraseGraduateProfile = `UPDATE graduates
	SET university = '-', major = '-', phone = NULL, preferred_cities = ?, skills = ?, statement = '',
	resume_file = NULL, resume_uploaded_at = NULL, updated_at = now()
	WHERE user_id = ?`

const recordErasedWithdrawals = `INSERT INTO application_history (application_id, from_status, to_status, actor_id, note)
	SELECT id, status, 'withdrawn', graduate_id, ?
	FROM applications
	WHERE graduate_id = ? AND status IN ?`

// releaseGraduatePlaces deletes the graduate's registrations for events
// not yet over that they did not attend: their places go back to the
// event (a review: an erased account kept a seat of a full event for
// good). An attendance, and a registration of an event over, stay as the
// event's figures.
//
// The events come back in order: two erasures filling the places of the
// same events take their locks in one order, so they cannot deadlock.
const releaseGraduatePlaces = `WITH released AS (
		DELETE FROM event_registrations r
		USING events ev
		WHERE ev.id = r.event_id AND r.graduate_id = ? AND r.checked_in_at IS NULL AND ev.ends_at > ?
		RETURNING r.event_id)
	SELECT event_id FROM released ORDER BY event_id`

// leaveEveryWaitlist takes the graduate off every waitlist: no place
// freed later goes to an erased account.
const leaveEveryWaitlist = `DELETE FROM event_waitlist
	WHERE graduate_id = ?`

const releaseGraduateSlots = `DELETE FROM interview_slots
	WHERE application_id IN (SELECT id FROM applications WHERE graduate_id = ? AND status IN ?)`

// renameGraduateInNotifications puts the pseudonym (?) where others'
// notifications about graduate ?'s applications name the graduate: the
// name kept in params (the one of that day) and the current one.
const renameGraduateInNotifications = `UPDATE notifications
	SET title = replace(replace(title, coalesce(params->>'graduate', ''), ?), (SELECT name FROM users WHERE id = ?), ?),
	params = CASE WHEN params->>'graduate' IS NOT NULL THEN jsonb_set(params, '{graduate}', to_jsonb(?::text)) ELSE params END
	WHERE link IN (SELECT '/applications/' || id FROM applications WHERE graduate_id = ?)`

const blankCoverLetters = `UPDATE applications
	SET cover_letter = ''
	WHERE graduate_id = ?`

// eraseGraduate empties the graduate's profile, cover letters, and the notes
// on its applications (its own and the employer's, assessments included),
// withdraws its open applications, takes it off every waitlist and gives
// back its places at events to come; it returns the résumé files (the
// current one and each version submitted with an application) and the
// events whose places it gave back, for their waitlists (fillPlaces).
func (s *Store) eraseGraduate(tx *gorm.DB, userID string, now time.Time) (files, released []string, err error) {
	if err := tx.Exec(lockGraduate, userID).Error; err != nil {
		return nil, nil, err
	}
	if files, err = resumeFilesOf(tx, userID); err != nil {
		return nil, nil, err
	}
	if err := tx.Exec(detachApplicationResumes, userID).Error; err != nil {
		return nil, nil, err
	}
	if err := tx.Exec(eraseGraduateProfile, pq.StringArray{}, pq.StringArray{}, userID).Error; err != nil {
		return nil, nil, err
	}
	// Applications still in progress end as withdrawn, with a line in their
	// history, the way a withdrawal by the graduate would show and tell.
	open := []string{domain.AppSubmitted, domain.AppShortlisted, domain.AppInterview, domain.AppOffered, domain.AppAccepted}
	if err := s.withdrawErased(tx, userID, open, now); err != nil {
		return nil, nil, err
	}
	if err := tx.Exec(recordErasedWithdrawals, erasedNote, userID, open).Error; err != nil {
		return nil, nil, err
	}
	// Their interview times go back to the opening, as a withdrawal's do,
	// and their places at events to come.
	if err := tx.Exec(releaseGraduateSlots, userID, open).Error; err != nil {
		return nil, nil, err
	}
	if err := tx.Exec(leaveEveryWaitlist, userID).Error; err != nil {
		return nil, nil, err
	}
	if err := tx.Raw(releaseGraduatePlaces, userID, now).Scan(&released).Error; err != nil {
		return nil, nil, err
	}
	// Employers keep their notifications about the applications, without
	// the name (the users row is renamed after this, by EraseAccount).
	alias := domain.Pseudonym(userID)
	if err := tx.Exec(renameGraduateInNotifications, alias, userID, alias, alias, userID).Error; err != nil {
		return nil, nil, err
	}
	if err := tx.Exec(withdrawGraduateApplications, now, userID, open).Error; err != nil {
		return nil, nil, err
	}
	if err := tx.Exec(blankCoverLetters, userID).Error; err != nil {
		return nil, nil, err
	}
	if err := tx.Exec(blankNotesOnApplications, userID, erasedNote).Error; err != nil {
		return nil, nil, err
	}
	if err := tx.Exec(blankAssessmentNotes, userID).Error; err != nil {
		return nil, nil, err
	}
	return files, released, nil
}

// withdrawErased tells the employers of graduate userID's applications in
// the statuses open, which the erasure withdraws, as a withdrawal by the
// graduate does (Transition), under the pseudonym: a notification, and the
// mail that cancels the interview still to come in their calendar (a
// privacy probe found the employer told nothing, with an entry standing).
//
// now is the erasure's instant, the one withdrawGraduateApplications raises
// the entry's sequence by: the mail cancels exactly the entries it raises.
func (s *Store) withdrawErased(tx *gorm.DB, userID string, open []string, now time.Time) error {
	var ids []string
	if err := tx.Raw(openApplicationsOfGraduate, userID, open).Scan(&ids).Error; err != nil {
		return err
	}
	alias := domain.Pseudonym(userID)
	for _, id := range ids {
		r, err := loadApplication(tx, id, false)
		if err != nil {
			return err
		}
		if err := notifyEmployer(tx, r.EmployerID, answerNotice(r, alias, domain.AppWithdrawn)); err != nil {
			return err
		}
		iv := r.interview()
		cancel := iv != nil && iv.StartsAt.After(now)
		if cancel {
			iv.Sequence++ // withdrawGraduateApplications raises it
		} else {
			iv = nil
		}
		d := domain.AnswerMailData(r.toDomain(domain.Caller{}, now), domain.AppWithdrawn, alias, erasedNote, iv, cancel)
		if cancel && !r.InterviewEmployerEntry { // as Transition's
			domain.NoEmployerEntry(d)
		}
		if err := s.mailEmployer(tx, r.EmployerID, domain.MailApplicantAnswered, d, "applicant_answered:"+id+":"+domain.AppWithdrawn); err != nil {
			return err
		}
	}
	return nil
}

const resumeFilesOfGraduate = `SELECT resume_file FROM graduates WHERE user_id = ? AND resume_file IS NOT NULL
	UNION
	SELECT resume_file FROM applications WHERE graduate_id = ? AND resume_file IS NOT NULL`

// resumeFilesOf lists every résumé file of a graduate: the profile's and
// those submitted with applications, each once.
func resumeFilesOf(tx *gorm.DB, graduateID string) ([]string, error) {
	var files []string
	err := tx.Raw(resumeFilesOfGraduate, graduateID, graduateID).Scan(&files).Error
	return files, err
}

// readOnlySnapshot is a repeatable-read, read-only transaction.
var readOnlySnapshot = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
