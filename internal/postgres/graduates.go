package postgres

import (
	"context"

	"github.com/lib/pq"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/gradzone/gradzone/internal/domain"
)

const userName = `SELECT name
	FROM users
	WHERE id = ?`

const setUserName = `UPDATE users
	SET name = ?
	WHERE id = ?`

const updateGraduateProfile = `UPDATE graduates
	SET university = ?, degree = ?, major = ?, graduation_year = ?, phone = ?, preferred_cities = ?, skills = ?,
	statement = ?, updated_at = now()
	WHERE user_id = ?`

// UpdateProfile edits the caller's graduate profile. Errors: forbidden,
// validation_failed.
func (s *Store) UpdateProfile(ctx context.Context, c domain.Caller, p domain.ProfilePatch) (domain.Me, error) {
	if c.Role != domain.RoleGraduate {
		return domain.Me{}, domain.ErrForbidden
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// Locked: parallel edits of different fields each keep theirs.
		var g graduateRow
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("user_id = ?", c.UserID).Take(&g).Error; err != nil {
			return err
		}
		var name string
		if err := tx.Raw(userName, c.UserID).Scan(&name).Error; err != nil {
			return err
		}
		gd := g.toDomain()
		if err := p.Apply(&gd, &name, domain.DateOf(s.now()).Year); err != nil {
			return err
		}
		var phone *string
		if gd.Phone != "" {
			phone = &gd.Phone
		}
		if err := tx.Exec(setUserName, name, c.UserID).Error; err != nil {
			return err
		}
		return tx.Exec(updateGraduateProfile,
			gd.University, gd.Degree, gd.Major, gd.GraduationYear, phone, pq.StringArray(gd.PreferredCities),
			pq.StringArray(gd.Skills), gd.Statement, c.UserID).Error
	})
	if err != nil {
		return domain.Me{}, translate(err)
	}
	return s.Me(ctx, c)
}

const setResumeFile = `UPDATE graduates
	SET resume_file = ?::text, resume_uploaded_at = CASE WHEN ?::text IS NULL THEN NULL ELSE now() END
	WHERE user_id = ?`

const currentResumeForUpdate = `SELECT resume_file, EXISTS (SELECT 1 FROM applications a WHERE a.resume_file = g.resume_file) AS held
	FROM graduates g
	WHERE user_id = ?
	FOR UPDATE`

// SetResume records the caller's résumé file name and returns the previous
// one to delete, or "" when there is none or an application still holds it
// (the version submitted with it stays readable to that employer).
// Errors: forbidden.
func (s *Store) SetResume(ctx context.Context, c domain.Caller, file string) (string, error) {
	return s.replaceResume(ctx, c, &file)
}

// ClearResume stops the caller's profile naming a résumé and returns the
// file to delete, as SetResume does. Errors: forbidden, not_found (no
// résumé).
func (s *Store) ClearResume(ctx context.Context, c domain.Caller) (string, error) {
	return s.replaceResume(ctx, c, nil)
}

// replaceResume records file (nil: none) as the caller's résumé.
func (s *Store) replaceResume(ctx context.Context, c domain.Caller, file *string) (string, error) {
	if c.Role != domain.RoleGraduate {
		return "", domain.ErrForbidden
	}
	var prev struct {
		ResumeFile *string
		Held       bool
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Raw(currentResumeForUpdate, c.UserID).Scan(&prev).Error; err != nil {
			return err
		}
		if file == nil && prev.ResumeFile == nil {
			return domain.ErrNotFound
		}
		return tx.Exec(setResumeFile, file, file, c.UserID).Error
	})
	if err != nil || prev.Held {
		return "", translate(err)
	}
	return deref(prev.ResumeFile), nil
}

const graduateResumeFile = `SELECT resume_file
	FROM graduates
	WHERE user_id = ?`

const latestResumeSentToEmployer = `SELECT a.resume_file
	FROM applications a JOIN openings o ON o.id = a.opening_id
	WHERE a.graduate_id = ? AND o.employer_id = ? AND a.status <> 'withdrawn'
	ORDER BY a.created_at DESC, a.id
	LIMIT 1`

// ResumeFile returns the stored résumé of a graduate if the caller may read
// it: the graduate its current one; an employer the version submitted with
// the graduate's newest application to one of its openings that is not
// withdrawn (CONTRACT, second round; issue 12 item 4). An application made
// without a résumé opens none, even after an upload. Errors: not_found.
func (s *Store) ResumeFile(ctx context.Context, c domain.Caller, graduateID string) (string, error) {
	if !validUUID(graduateID) {
		return "", domain.ErrNotFound
	}
	var files []struct{ ResumeFile *string }
	db := s.db.WithContext(ctx)
	switch {
	case c.Role == domain.RoleGraduate && c.UserID == graduateID:
		if err := db.Raw(graduateResumeFile, graduateID).Scan(&files).Error; err != nil {
			return "", translate(err)
		}
	case c.Role == domain.RoleEmployer:
		// Only an application that is not withdrawn opens the résumé: a
		// graduate who withdrew takes it back (issue 12 finding 10).
		if err := db.Raw(latestResumeSentToEmployer, graduateID, c.EmployerID).Scan(&files).Error; err != nil {
			return "", translate(err)
		}
	}
	if len(files) == 0 || files[0].ResumeFile == nil {
		return "", domain.ErrNotFound
	}
	return *files[0].ResumeFile, nil
}

const placementsThisYear = `SELECT count(*)
	FROM placements
	WHERE graduate_id = ? AND year = ? AND status = 'active'`

// PlacedThisYear reports whether a graduate holds an active placement in year.
func (s *Store) PlacedThisYear(ctx context.Context, graduateID string, year int) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(placementsThisYear, graduateID, year).Scan(&n).Error
	return n > 0, translate(err)
}
