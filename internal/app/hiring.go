package app

// Applications, their moves and placements, and the graduate's profile and résumé.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// Application returns an application the caller may see, with its history.
// Errors: not_found.
func (s *Service) Application(ctx context.Context, c domain.Caller, id string) (domain.Application, error) {
	return s.Store.Application(ctx, c, id)
}

// ApplicationRank is an application's status and its place among its
// opening's applications of that status, in Applications' order (where a
// board shows it). Errors: not_found.
func (s *Service) ApplicationRank(ctx context.Context, c domain.Caller, id string) (string, int64, error) {
	return s.Store.ApplicationRank(ctx, c, id)
}

// Applications lists applications in the caller's scope: a graduate its own,
// an employer those to its openings, staff those in their zone or province.
func (s *Service) Applications(ctx context.Context, c domain.Caller, f domain.ApplicationFilter, p domain.Page) ([]domain.Application, int64, error) {
	return s.Store.Applications(ctx, c, f, p)
}

// Apply records a graduate's application. With an idempotency key, the same
// key and body return the first response again (replayed=true); the same key
// with another body is validation_failed on Idempotency-Key. Errors: forbidden, not_found,
// opening_closed, already_applied, validation_failed.
//
// The request hash that tells a replay from a reused key is taken here, over
// the opening and the cover letter, so every door gets the same answer.
func (s *Service) Apply(ctx context.Context, c domain.Caller, req domain.ApplyRequest) (app domain.Application, replayed bool, err error) {
	req.Idempotency = req.Idempotency.Of([]byte(req.OpeningID + "\x00" + req.CoverLetter))
	return s.Store.Apply(ctx, c, req)
}

// MoveResult is the outcome of one application in a bulk move: its new
// status, or the domain error that refused the move.
type MoveResult struct {
	ID     string
	Status string
	Err    *domain.Error
}

// BulkTransition moves up to 100 applications to shortlisted, interview or
// rejected. Each move is its own transaction, recorded and notified one by
// one, and reported one by one: a refused move does not stop the others.
// Errors: validation_failed (the list or the target); an error that is not
// a domain error (the database is down) stops the batch and is returned.
//
// A move to interview may carry one appointment, given to every application
// of the batch (a group interview, or one slot per day of interviews).
func (s *Service) BulkTransition(ctx context.Context, c domain.Caller, ids []string, to, note string, interview *domain.InterviewInput) ([]MoveResult, error) {
	var v domain.Validation
	v.Check(len(ids) >= 1 && len(ids) <= 100, "ids", "must list 1 to 100 applications")
	v.Check(to == domain.AppShortlisted || to == domain.AppRejected || to == domain.AppInterview, "to", "bulk moves are shortlisted, interview or rejected")
	if err := v.Err(); err != nil {
		return nil, err
	}
	t := domain.Transition{To: to, Note: strings.TrimSpace(note), Interview: interview}
	if err := checkMoveFields(&t, time.Now()); err != nil {
		return nil, err
	}
	results := make([]MoveResult, 0, len(ids))
	for _, id := range ids {
		app, err := s.Store.Transition(ctx, c, id, t)
		if err != nil {
			var de *domain.Error
			if !errors.As(err, &de) {
				return nil, err
			}
			results = append(results, MoveResult{ID: id, Err: de})
			continue
		}
		results = append(results, MoveResult{ID: id, Status: app.Status})
	}
	return results, nil
}

// Placements lists placements in scope: an employer its own, a graduate its
// own (without a revoke's reason: Placement.ReadBy), staff their zone or
// province, the ministry all.
func (s *Service) Placements(ctx context.Context, c domain.Caller, f domain.PlacementFilter, p domain.Page) ([]domain.Placement, int64, error) {
	if err := s.checkFilter(ctx, c, f.Zone, f.Province); err != nil {
		return nil, 0, err
	}
	items, total, err := s.Store.Placements(ctx, c, f, p)
	for i := range items {
		items[i] = items[i].ReadBy(c)
	}
	return items, total, err
}

// EachPlacement calls fn with each placement Placements would list, all
// pages, from one snapshot (the CSV export). Errors: as Placements, and
// fn's.
func (s *Service) EachPlacement(ctx context.Context, c domain.Caller, f domain.PlacementFilter, fn func(domain.Placement) error) error {
	if err := s.checkFilter(ctx, c, f.Zone, f.Province); err != nil {
		return err
	}
	return s.Store.EachPlacement(ctx, c, f, func(p domain.Placement) error { return fn(p.ReadBy(c)) })
}

// ErrResumeTooLarge is answered for a résumé over domain.MaxResumeBytes; a
// door that sees the declared size before reading answers it too.
var ErrResumeTooLarge = &domain.Error{Code: domain.CodeTooLarge, Message: "the résumé must be at most 5 MB"}

// UploadResume stores the graduate's résumé (a PDF, checked by content, at
// most 5 MB) in the object store under a random name, records it, and
// deletes the file it replaces. It is served only through Resume. A file
// that cannot be written is an error, never a recorded name without a file.
// With no object store configured it is refused as a missing dependency:
// serve writes no file to local disk (CONTRACT); the upload folder is only
// read, for résumés stored there before (`gradzone files migrate-local`).
// Errors: too_large, validation_failed (file: not a PDF), forbidden,
// unavailable.
func (s *Service) UploadResume(ctx context.Context, c domain.Caller, content []byte) error {
	if len(content) > domain.MaxResumeBytes {
		return ErrResumeTooLarge
	}
	if !domain.IsPDF(content) {
		return domain.FieldError("file", "must be a PDF document")
	}
	if c.Role != domain.RoleGraduate {
		return domain.ErrForbidden
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	name := hex.EncodeToString(b) + ".pdf"
	if s.Files == nil {
		return domain.ErrUnavailable
	}
	return s.uploadResumeToStore(ctx, c, name, content)
}

// DeleteResume removes the graduate's résumé from its profile, and its file
// unless an application still holds that version (an account walk found
// no way short of erasing the account). Errors: forbidden, not_found.
func (s *Service) DeleteResume(ctx context.Context, c domain.Caller) error {
	file, err := s.Store.ClearResume(ctx, c)
	if err != nil || file == "" {
		return err
	}
	if err := deleteResumeFile(ctx, s.Files, s.UploadDir, file); err != nil {
		// The profile names it no more; retention's sweep cannot find it
		// either, so say so where an operator looks.
		s.Log.ErrorContext(ctx, "deleted résumé: file not removed", "request_id", domain.RequestID(ctx), "file", file, "err", err)
	}
	return nil
}

// uploadResumeToStore is UploadResume with an object store: the file is
// stored before its name is recorded (never a name without a file), and the
// replaced one is removed from the store and, if it predates the store,
// from the old upload folder.
func (s *Service) uploadResumeToStore(ctx context.Context, c domain.Caller, name string, content []byte) error {
	if err := s.Files.Put(ctx, ResumeKey(name), bytes.NewReader(content), int64(len(content)), "application/pdf"); err != nil {
		return err
	}
	prev, err := s.Store.SetResume(ctx, c, name)
	if err != nil {
		_ = s.Files.Delete(ctx, ResumeKey(name))
		return err
	}
	if prev != "" {
		_ = s.Files.Delete(ctx, ResumeKey(prev))
		_ = os.Remove(filepath.Join(s.UploadDir, filepath.Base(prev)))
	}
	return nil
}

// RevokePlacement stops a placement counting: the zone admin of its zone or
// any staff above it. The row and its history stay. Errors: forbidden,
// not_found, invalid_state, validation_failed.
func (s *Service) RevokePlacement(ctx context.Context, c domain.Caller, id, reason string) (domain.Placement, error) {
	return s.Store.RevokePlacement(ctx, c, id, reason)
}

// Transition moves an application. The side is checked (403 for the wrong
// side), then the move (409 invalid_transition). "hired" creates exactly one
// placement in the same transaction, counted in the Shanghai month of
// hired_on; the opening's headcount and the one-placement-per-graduate-and-
// year rule are enforced by the database. Errors: forbidden, not_found,
// invalid_transition, validation_failed, opening_full, already_placed.
//
// A move to interview may carry the appointment (t.Interview): it is checked
// here (422 on interview.starts_at, …), recorded with the move, shown on the
// application and mailed to the graduate with a calendar invitation.
func (s *Service) Transition(ctx context.Context, c domain.Caller, id string, t domain.Transition) (domain.Application, error) {
	if err := checkMoveFields(&t, time.Now()); err != nil {
		return domain.Application{}, err
	}
	return s.Store.Transition(ctx, c, id, t)
}

// PickInterviewSlot is the graduate's choice among the times offered with
// a move to interview: the time becomes the application's interview, shown
// to both sides, and the graduate is mailed its calendar invitation. Only
// the application's graduate picks, once; a time of an opening picked by
// one application cannot be picked by another. Errors: forbidden,
// not_found, invalid_state.
func (s *Service) PickInterviewSlot(ctx context.Context, c domain.Caller, appID, slotID string) (domain.Application, error) {
	return s.Store.PickInterviewSlot(ctx, c, appID, slotID)
}

// ChangeInterview gives an application at interview a new time or place,
// by its employer: both sides see it, the graduate is notified and mailed
// the changed calendar invitation (the same UID, a higher SEQUENCE), and
// times still offered for picking are withdrawn. Errors: validation_failed
// (interview.starts_at, …), forbidden, not_found, invalid_state.
func (s *Service) ChangeInterview(ctx context.Context, c domain.Caller, appID string, in domain.InterviewInput) (domain.Application, error) {
	iv, err := in.Parse(time.Now())
	if err != nil {
		return domain.Application{}, err
	}
	return s.Store.ChangeInterview(ctx, c, appID, iv)
}

// checkMoveFields refuses a field that belongs to another move (a hire
// date without a hire; an API probe saw it dropped without a word), and
// parses t.Interview into t.Scheduled, or t.Slots into t.Offered. An
// appointment, or times to pick from, are only taken with a move to
// interview, and not both.
func checkMoveFields(t *domain.Transition, now time.Time) error {
	t.Scheduled, t.Offered = nil, nil
	if t.HiredOn != "" && t.To != domain.AppHired {
		return domain.FieldError("hired_on", domain.ReasonOnlyToHire)
	}
	if t.Slots != nil {
		if t.To != domain.AppInterview {
			return domain.FieldError("interview_slots", "only with a move to interview")
		}
		if t.Interview != nil {
			return domain.FieldError("interview_slots", "give either interview or interview_slots")
		}
		offered, err := domain.ParseSlots(t.Slots, now)
		if err != nil {
			return err
		}
		t.Offered = offered
		return nil
	}
	if t.Interview == nil {
		return nil
	}
	if t.To != domain.AppInterview {
		return domain.FieldError("interview", "only with a move to interview")
	}
	iv, err := t.Interview.Parse(now)
	if err != nil {
		return err
	}
	t.Scheduled = &iv
	return nil
}

// UpdateProfile edits the caller's graduate profile. Errors: forbidden,
// validation_failed.
func (s *Service) UpdateProfile(ctx context.Context, c domain.Caller, p domain.ProfilePatch) (domain.Me, error) {
	return s.Store.UpdateProfile(ctx, c, p)
}
