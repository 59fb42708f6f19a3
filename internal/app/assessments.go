package app

import (
	"context"

	"github.com/gradzone/gradzone/internal/domain"
)

// AssessmentStore is what an employer's private notes and ratings need
// from persistence.
type AssessmentStore interface {
	Assessment(ctx context.Context, c domain.Caller, applicationID string) (domain.Assessment, error)
	SetAssessment(ctx context.Context, c domain.Caller, a domain.Assessment) (domain.Assessment, error)
}

// Assessment reads the employer's private rating and note on an
// application. Only users of the employer applied to may; to anyone else
// the application does not exist. Errors: forbidden, not_found.
func (s *Service) Assessment(ctx context.Context, c domain.Caller, applicationID string) (domain.Assessment, error) {
	if c.Role != domain.RoleEmployer {
		return domain.Assessment{}, domain.ErrForbidden
	}
	return s.Store.Assessment(ctx, c, applicationID)
}

// SetAssessment replaces the employer's private rating (1–5 or none) and
// note on an application. Errors: forbidden, not_found, validation_failed.
func (s *Service) SetAssessment(ctx context.Context, c domain.Caller, a domain.Assessment) (domain.Assessment, error) {
	if c.Role != domain.RoleEmployer {
		return domain.Assessment{}, domain.ErrForbidden
	}
	return s.Store.SetAssessment(ctx, c, a)
}
