package postgres

// Interview slots: the times an employer offers with a move to interview,
// and the graduate's pick, which becomes the application's interview.

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

const deleteInterviewSlots = `DELETE FROM interview_slots
	WHERE application_id = ?`

const insertInterviewSlot = `INSERT INTO interview_slots (application_id, opening_id, starts_at, ends_at, location, online_url)
	VALUES (?, ?, ?, ?, ?, ?)`

// offerSlots replaces the times offered for application appID.
func offerSlots(tx *gorm.DB, appID, openingID string, slots []domain.Interview) error {
	if err := tx.Exec(deleteInterviewSlots, appID).Error; err != nil {
		return err
	}
	for _, iv := range slots {
		if err := tx.Exec(insertInterviewSlot, appID, openingID, iv.StartsAt, iv.EndsAt, iv.Location, iv.OnlineURL).Error; err != nil {
			return err
		}
	}
	return nil
}

const interviewSlotsOfApplication = `SELECT id, starts_at, ends_at, location, online_url, picked_at
	FROM interview_slots
	WHERE application_id = ?
	ORDER BY starts_at`

// loadSlots returns the times offered for application appID, soonest first.
func loadSlots(db *gorm.DB, appID string) ([]domain.InterviewSlot, error) {
	var rows []struct {
		ID        string
		StartsAt  time.Time
		EndsAt    time.Time
		Location  string
		OnlineURL string
		PickedAt  *time.Time
	}
	if err := db.Raw(interviewSlotsOfApplication, appID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	var out []domain.InterviewSlot
	for _, r := range rows {
		out = append(out, domain.InterviewSlot{ID: r.ID, StartsAt: r.StartsAt.UTC(), EndsAt: r.EndsAt.UTC(), Location: r.Location,
			OnlineURL: r.OnlineURL, Picked: r.PickedAt != nil})
	}
	return out, nil
}

// Refusals of a pick.
var (
	errNotAtInterview = domain.Errorf(domain.CodeInvalidState, "the application is not at the interview stage")
	errSlotChosen     = domain.Errorf(domain.CodeInvalidState, "a time was already picked for this interview")
	errSlotTaken      = domain.Errorf(domain.CodeInvalidState, "this time was taken by another applicant")
	errSlotPast       = domain.Errorf(domain.CodeInvalidState, "this time has passed")
)

// countPickedSlotsOverlapping counts the picked times of an opening that
// overlap [starts, ends): ends first, then starts. The caller's own picked
// time never counts: an application picks once (errSlotChosen before).
const countPickedSlotsOverlapping = `SELECT count(*)
	FROM interview_slots
	WHERE opening_id = ? AND picked_at IS NOT NULL AND starts_at < ? AND ends_at > ?`

const pickInterviewSlot = `UPDATE interview_slots
	SET picked_at = ?
	WHERE id = ?`

const markEmployerEntry = `UPDATE applications
	SET interview_employer_entry = true
	WHERE id = ?`

// PickInterviewSlot records the graduate's pick of one offered time: it
// becomes the application's interview (a calendar entry: sequence 0, or one
// more when it replaces one), the employer is notified and the graduate
// mailed the invitation, in one transaction. The same pick again changes
// nothing. Errors: forbidden, not_found, invalid_state (not at interview,
// another time picked already, the time taken by another application of
// the opening, or past).
func (s *Store) PickInterviewSlot(ctx context.Context, c domain.Caller, appID, slotID string) (domain.Application, error) {
	if c.Role != domain.RoleGraduate {
		return domain.Application{}, domain.ErrForbidden
	}
	if !validUUID(slotID) {
		return domain.Application{}, domain.ErrNotFound
	}
	var out domain.Application
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, err := lockApplicationOf(tx, c, appID) // the graduate's own only
		if err != nil {
			return err
		}
		slots, err := loadSlots(tx, appID)
		if err != nil {
			return err
		}
		var pick *domain.InterviewSlot
		for i, sl := range slots {
			if sl.Picked && sl.ID != slotID {
				return errSlotChosen
			}
			if sl.ID == slotID {
				pick = &slots[i]
			}
		}
		switch {
		case pick == nil:
			return domain.ErrNotFound
		case pick.Picked:
			out = r.toDomain(c, s.now())
			out.InterviewSlots = slots
			return nil
		case r.Status != domain.AppInterview:
			return errNotAtInterview
		case !pick.StartsAt.After(s.now()):
			return errSlotPast
		}
		// A time overlapping one another applicant picked is taken. Picks of
		// one opening take its lock first, so two overlapping picks at once
		// are decided one after the other (the partial unique index still
		// keeps one start of an opening for one application).
		if err := tx.Exec(lockByKey, "interview-picks:"+r.OpeningID).Error; err != nil {
			return err
		}
		var taken int64
		if err := tx.Raw(countPickedSlotsOverlapping, r.OpeningID, pick.EndsAt, pick.StartsAt).Scan(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return errSlotTaken
		}
		if err := tx.Exec(pickInterviewSlot, s.now(), slotID).Error; err != nil {
			if isUnique(err, "interview_slots_picked_once") {
				return errSlotTaken
			}
			return err
		}
		if err := s.setInterview(tx, appID, domain.Interview{StartsAt: pick.StartsAt, EndsAt: pick.EndsAt,
			Location: pick.Location, OnlineURL: pick.OnlineURL}); err != nil {
			return err
		}
		if err := notifyEmployer(tx, r.EmployerID, domain.InterviewSlotPickedNotice(r.GraduateName, appID, r.OpeningTitle, pick.StartsAt)); err != nil {
			return err
		}
		if r, out, err = s.reloadApplication(tx, c, appID); err != nil {
			return err
		}
		// The employer's users are mailed the time with its calendar entry,
		// as the offer's form promised; the employer's own later changes
		// update that entry.
		if err := tx.Exec(markEmployerEntry, appID).Error; err != nil {
			return err
		}
		if err := s.mailEmployer(tx, r.EmployerID, domain.MailApplicantAnswered,
			domain.AnswerMailData(out, domain.AppInterview, r.GraduateName, "", r.interview(), false), "applicant_answered:"+appID+":picked:"+slotID); err != nil {
			return err
		}
		// The invitation for the picked time, saying the time is settled.
		return s.mailInterview(tx, r, out, "confirmed", nil, false)
	})
	return out, translate(err)
}

// ChangeInterview gives an application at interview a new appointment
// (another time or place, by its employer): the calendar entry's sequence
// grows, times still offered for picking are withdrawn (their mailed links
// stop working), the graduate is notified and mailed the changed
// invitation, in one transaction. Errors: forbidden, not_found,
// invalid_state (not at interview).
func (s *Store) ChangeInterview(ctx context.Context, c domain.Caller, appID string, iv domain.Interview) (domain.Application, error) {
	if c.Role != domain.RoleEmployer {
		return domain.Application{}, domain.ErrForbidden
	}
	var out domain.Application
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, err := lockApplicationOf(tx, c, appID)
		if err != nil {
			return err
		}
		if r.Status != domain.AppInterview {
			return errNotAtInterview
		}
		was := r.interview()
		if err := s.setInterview(tx, appID, iv); err != nil {
			return err
		}
		offered := tx.Exec(deleteInterviewSlots, appID)
		if offered.Error != nil {
			return offered.Error
		}
		if err := notify(tx, domain.InterviewChangedNotice(r.GraduateID, appID, r.OpeningTitle, iv.StartsAt), ""); err != nil {
			return err
		}
		if r, out, err = s.reloadApplication(tx, c, appID); err != nil {
			return err
		}
		if r.InterviewEmployerEntry {
			if err := s.updateEmployerEntry(tx, r, out, false); err != nil {
				return err
			}
		}
		// The same mail as the move to interview, saying what changed.
		return s.mailInterview(tx, r, out, "changed", was, offered.RowsAffected > 0)
	})
	return out, translate(err)
}

// updateEmployerEntry queues the mail that keeps the calendar entry the
// employer's users hold (a graduate's pick mailed it) in step with the
// employer's own change: the interview moved, or cancelled by a move
// before its day. Once per revision of the entry (its sequence).
func (s *Store) updateEmployerEntry(tx *gorm.DB, r applicationRow, a domain.Application, cancel bool) error {
	iv := r.interview()
	if iv == nil {
		return nil
	}
	return s.mailEmployer(tx, r.EmployerID, domain.MailApplicantAnswered,
		domain.EntryUpdateMailData(a, r.GraduateName, iv, cancel),
		fmt.Sprintf("applicant_answered:%s:entry:%d", r.ID, iv.Sequence))
}

// mailInterview queues the graduate's status mail with the interview's
// calendar invitation, marked how the time came to be (the templates'
// "confirmed": picked by the graduate; "changed": moved by the employer,
// from was or from the times it had offered).
func (s *Store) mailInterview(tx *gorm.DB, r applicationRow, a domain.Application, how string, was *domain.Interview, offered bool) error {
	d := domain.StatusMailData(a, domain.AppInterview, "", r.interview(), false)
	d[how] = "true"
	domain.InterviewChangeData(d, was, offered)
	return s.enqueue(tx, MailJob(domain.MailApplicationStatus, r.GraduateID, d, ""))
}

const slotLinkApplication = `SELECT a.id AS application_id, a.graduate_id, a.status, o.title AS opening_title, e.name AS employer_name
	FROM interview_slots sl JOIN applications a ON a.id = sl.application_id
	JOIN openings o ON o.id = a.opening_id JOIN employers e ON e.id = o.employer_id
	WHERE sl.id = ?`

// InterviewSlotLink reads what a mailed pick link names: the offered time,
// its application and whose it is, and whether a time of the offer was
// picked already. It serves the link's signed token, not a signed-in
// caller. Errors: not_found.
func (s *Store) InterviewSlotLink(ctx context.Context, slotID string) (domain.SlotLink, error) {
	if !validUUID(slotID) {
		return domain.SlotLink{}, domain.ErrNotFound
	}
	var rows []struct {
		ApplicationID string
		GraduateID    string
		Status        string
		OpeningTitle  string
		EmployerName  string
	}
	if err := s.db.WithContext(ctx).Raw(slotLinkApplication, slotID).Scan(&rows).Error; err != nil {
		return domain.SlotLink{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.SlotLink{}, domain.ErrNotFound
	}
	r := rows[0]
	out := domain.SlotLink{ApplicationID: r.ApplicationID, GraduateID: r.GraduateID, Status: r.Status,
		OpeningTitle: r.OpeningTitle, EmployerName: r.EmployerName}
	slots, err := loadSlots(s.db.WithContext(ctx), r.ApplicationID)
	if err != nil {
		return domain.SlotLink{}, translate(err)
	}
	for _, sl := range slots {
		out.Picked = out.Picked || sl.Picked
		if sl.ID == slotID {
			out.Slot = sl
		}
	}
	return out, nil
}
