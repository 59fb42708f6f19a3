package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// ownApplication checks that the caller is a user of the employer the
// application was made to. Anyone else — another employer, staff, the
// graduate — is told it does not exist, as for any application out of scope.
func ownApplication(tx *gorm.DB, c domain.Caller, id string) error {
	r, err := loadApplication(tx, id, false)
	if err != nil {
		return err
	}
	if c.Role != domain.RoleEmployer || c.EmployerID == "" || r.EmployerID != c.EmployerID {
		return domain.ErrNotFound
	}
	return nil
}

type assessmentRow struct {
	Rating    *int
	Note      string
	UpdatedAt *time.Time
}

func (r assessmentRow) toDomain(id string) domain.Assessment {
	return domain.Assessment{ApplicationID: id, Rating: r.Rating, Note: r.Note, UpdatedAt: r.UpdatedAt}
}

const applicationAssessment = `SELECT rating, note, updated_at
	FROM application_assessments
	WHERE application_id = ?`

// Assessment reads the employer's private rating and note on an
// application (empty when none yet). Errors: not_found.
func (s *Store) Assessment(ctx context.Context, c domain.Caller, applicationID string) (domain.Assessment, error) {
	db := s.db.WithContext(ctx)
	if err := ownApplication(db, c, applicationID); err != nil {
		return domain.Assessment{}, translate(err)
	}
	var rows []assessmentRow
	if err := db.Raw(applicationAssessment, applicationID).Scan(&rows).Error; err != nil {
		return domain.Assessment{}, translate(err)
	}
	if len(rows) == 0 {
		return domain.Assessment{ApplicationID: applicationID}, nil
	}
	return rows[0].toDomain(applicationID), nil
}

const upsertApplicationAssessment = `INSERT INTO application_assessments (application_id, rating, note, updated_by, updated_at)
	VALUES (?, ?, ?, ?, now())
	ON CONFLICT (application_id) DO UPDATE
	SET rating = EXCLUDED.rating, note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
	RETURNING rating, note, updated_at`

// SetAssessment replaces the employer's rating and note on an application.
// Errors: not_found, validation_failed.
func (s *Store) SetAssessment(ctx context.Context, c domain.Caller, a domain.Assessment) (domain.Assessment, error) {
	if err := a.Validate(); err != nil {
		return a, err
	}
	var row assessmentRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := ownApplication(tx, c, a.ApplicationID); err != nil {
			return err
		}
		return tx.Raw(upsertApplicationAssessment, a.ApplicationID, a.Rating, a.Note, c.UserID).Scan(&row).Error
	})
	if err != nil {
		return domain.Assessment{}, translate(err)
	}
	return row.toDomain(a.ApplicationID), nil
}
