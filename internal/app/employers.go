package app

// Accounts as others see them, and employer verification.

import (
	"context"

	"github.com/gradzone/gradzone/internal/domain"
)

// Employer returns an employer the caller may see. Errors: not_found.
func (s *Service) Employer(ctx context.Context, c domain.Caller, id string) (domain.Employer, error) {
	return s.Store.Employer(ctx, c, id)
}

// EmployerDetails is an employer as staff in scope review it: with its
// accounts, its openings by status and who verified it. Errors: forbidden
// (not staff), not_found.
func (s *Service) EmployerDetails(ctx context.Context, c domain.Caller, id string) (domain.EmployerDetails, error) {
	d, err := s.Store.EmployerDetails(ctx, c, id)
	d.CreditCodeProvince = domain.CreditCodeProvince(d.CreditCode)
	return d, err
}

// EmployerHistory is every audit entry about an employer, newest first,
// whatever scope each was made in: staff who may read the employer now read
// how it came to be (a walk: the zone an organisation moved into did not see
// the return that asked for the move). Errors: forbidden (not staff),
// not_found (not in the caller's scope).
func (s *Service) EmployerHistory(ctx context.Context, c domain.Caller, id string, p domain.Page) ([]domain.AuditEntry, error) {
	if !c.Role.IsStaff() {
		return nil, domain.ErrForbidden
	}
	if _, err := s.Store.Employer(ctx, c, id); err != nil {
		return nil, err
	}
	return s.Store.EntityHistory(ctx, "employer", id, p)
}

// EmployersInScope lists employers the staff caller supervises, optionally
// by status and name or credit code (domain.EmployerFilter).
func (s *Service) EmployersInScope(ctx context.Context, c domain.Caller, f domain.EmployerFilter, page domain.Page) ([]domain.Employer, int64, error) {
	return s.Store.EmployersInScope(ctx, c, f, page)
}

// Me returns the caller's account with its employer, graduate profile, zone
// or province.
func (s *Service) Me(ctx context.Context, c domain.Caller) (domain.Me, error) {
	return s.Store.Me(ctx, c)
}

// VerifyEmployer marks an employer verified. Only the zone admin of its zone,
// or the province admin of its province, may. Verifying again is a no-op.
// Errors: forbidden, not_found.
func (s *Service) VerifyEmployer(ctx context.Context, c domain.Caller, id string) (domain.Employer, error) {
	return s.Store.VerifyEmployer(ctx, c, id)
}

// User returns a user by ID. Errors: not_found.
func (s *Service) User(ctx context.Context, id string) (domain.User, error) {
	return s.Store.User(ctx, id)
}

// ReturnEmployer returns a pending employer's registration for correction,
// with the reason its users are mailed. Errors: forbidden, not_found,
// invalid_state, validation_failed.
func (s *Service) ReturnEmployer(ctx context.Context, c domain.Caller, id, reason string) (domain.Employer, error) {
	return s.Store.ReturnEmployer(ctx, c, id, reason)
}

// CorrectEmployer sets the caller's own pending employer's details; the
// registration waits for verification again. Errors: forbidden,
// invalid_state, credit_code_taken, validation_failed.
func (s *Service) CorrectEmployer(ctx context.Context, c domain.Caller, id string, o domain.Organisation) (domain.Employer, error) {
	e, err := s.Store.CorrectEmployer(ctx, c, id, o) // the caller's scope first
	return e, withPlace(ctx, s.Store, err, o, "")
}

// EmployersToReview lists the employers the caller may verify
// (domain.Caller.CanReview), optionally by status: the staff review queue.
func (s *Service) EmployersToReview(ctx context.Context, c domain.Caller, status string, page domain.Page) ([]domain.Employer, int64, error) {
	return s.Store.EmployersToReview(ctx, c, status, page)
}

// PublicEmployer is a verified employer as anyone may see it, on its public
// page: what the programme verified about it. Errors: not_found (unknown or
// not verified).
func (s *Service) PublicEmployer(ctx context.Context, id string) (domain.Employer, error) {
	return s.Store.VerifiedEmployer(ctx, id)
}

// PlaceChecker looks a province and zone up (internal/postgres).
type PlaceChecker interface {
	// PlaceProblems names what is wrong with a province and zone (prefix
	// starts the field names); none when the place is right.
	PlaceProblems(ctx context.Context, province, zone, prefix string) (map[string]string, error)
}

// withPlace adds to err, an organisation's validation error, what is wrong
// with its place: the store checks the place only once the rest is right,
// and an answer should name every wrong field at once (the contract's
// `fields`; a contract check met the place's problem only after mending
// the type and the size).
func withPlace(ctx context.Context, places PlaceChecker, err error, o domain.Organisation, prefix string) error {
	if domain.CodeOf(err) != domain.CodeValidation {
		return err
	}
	problems, perr := places.PlaceProblems(ctx, o.ProvinceCode, o.ZoneCode, prefix)
	if perr != nil {
		return err // the form's own reasons still stand
	}
	return domain.WithFields(err, problems)
}
