package app

// Personal-data rights (PIPL): the graduate sees who read its résumé, every
// user downloads what is stored about it, and erases its account. What each
// keeps and erases is written in docs/security.md ("Privacy").

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gradzone/gradzone/internal/domain"
)

// PrivacyStore is the persistence the privacy use cases need; Store embeds it.
type PrivacyStore interface {
	// RecordResumeView records a read of a graduate's résumé by the caller's employer.
	RecordResumeView(ctx context.Context, c domain.Caller, graduateID string) error
	// ResumeViews lists the reads of the caller's résumé, newest first.
	ResumeViews(ctx context.Context, c domain.Caller, p domain.Page) ([]domain.ResumeView, int64, error)
	// PersonalData gathers everything stored about the caller.
	PersonalData(ctx context.Context, c domain.Caller) (domain.PersonalData, error)
	// EraseAccount erases the caller's account, returning the files to delete.
	EraseAccount(ctx context.Context, c domain.Caller) (domain.Erasure, error)
}

// PasswordChecker checks a signed-in user's password again, throttled
// (*Accounts.CheckPassword).
type PasswordChecker interface {
	CheckPassword(ctx context.Context, userID, field, password string) error
}

// ResumeViews lists who read the caller's résumé and when, newest first.
// Errors: forbidden (only graduates have a résumé).
func (s *Service) ResumeViews(ctx context.Context, c domain.Caller, p domain.Page) ([]domain.ResumeView, int64, error) {
	return s.Store.ResumeViews(ctx, c, p)
}

// ExportData returns everything stored about the caller (GET /me/export).
// Errors: unauthenticated (anonymous), not_found (an erased account).
func (s *Service) ExportData(ctx context.Context, c domain.Caller) (domain.PersonalData, error) {
	if !c.Signed() {
		return domain.PersonalData{}, domain.ErrUnauthenticated
	}
	d, err := s.Store.PersonalData(ctx, c)
	if err != nil {
		return d, err
	}
	me, err := s.Store.Me(ctx, c)
	if err != nil {
		return domain.PersonalData{}, err
	}
	d.Profile = &me
	for i := range d.Sessions {
		d.Sessions[i].Current = d.Sessions[i].ID == c.SessionID // as /me/sessions marks it (an account walk)
	}
	return d, err
}

// DeleteAccount erases the caller's account after checking its password:
// the store pseudonymises what the programme's figures keep and deletes the
// rest in one transaction, then the résumé file is deleted from the file
// store (and the old upload folder). A file that cannot be deleted is
// logged, not answered as a failure: the account is erased and nothing
// points at the file any more. Errors: validation_failed (password),
// forbidden (staff), last_employer_user, rate_limited (hashing busy).
func (s *Service) DeleteAccount(ctx context.Context, c domain.Caller, password string) error {
	if !c.Signed() {
		return domain.ErrUnauthenticated
	}
	if c.Role != domain.RoleGraduate && c.Role != domain.RoleEmployer {
		return domain.ErrForbidden
	}
	if password == "" {
		return domain.FieldError("password", "is required")
	}
	if len(password) > 1024 {
		return domain.FieldError("password", domain.ReasonWrongPassword)
	}
	if s.Passwords == nil {
		return errors.New("app: Service.Passwords is not wired")
	}
	if err := s.Passwords.CheckPassword(ctx, c.UserID, "password", password); err != nil {
		return err
	}
	er, err := s.Store.EraseAccount(ctx, c)
	if err != nil {
		return err
	}
	for _, f := range er.ResumeFiles {
		s.deleteResumeFile(ctx, f)
	}
	s.Log.InfoContext(ctx, "account erased", "request_id", domain.RequestID(ctx), "role", c.Role)
	return nil
}

// deleteResumeFile removes a résumé from the file store and the old upload
// folder, wherever it is. A failure is logged, not returned: the account
// is erased and nothing points at the file any more.
func (s *Service) deleteResumeFile(ctx context.Context, file string) {
	if err := deleteResumeFile(ctx, s.Files, s.UploadDir, file); err != nil {
		s.Log.ErrorContext(ctx, "erased account: résumé not deleted", "request_id", domain.RequestID(ctx), "err", err)
	}
}

// deleteResumeFile removes a résumé from the file store (when there is one)
// and the old upload folder (when set); a file already gone is no error.
func deleteResumeFile(ctx context.Context, files FileStore, uploadDir, file string) error {
	if files != nil {
		if err := files.Delete(ctx, ResumeKey(file)); err != nil {
			return fmt.Errorf("file store: %w", err)
		}
	}
	if uploadDir != "" {
		if err := os.Remove(filepath.Join(uploadDir, filepath.Base(file))); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("upload folder: %w", err)
		}
	}
	return nil
}
