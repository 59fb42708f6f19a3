package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// inactiveWithResume picks graduates (not erased) whose last activity is
// before the cut-off and who still have a résumé, on their profile or with
// an application; oldest first. SKIP LOCKED: a graduate uploading right now
// is left to the next pass.
const inactiveWithResume = `SELECT g.user_id FROM graduates g JOIN users u ON u.id = g.user_id
	WHERE u.deleted_at IS NULL AND u.last_active_at < ?
	  AND (g.resume_file IS NOT NULL
	       OR EXISTS (SELECT 1 FROM applications a WHERE a.graduate_id = g.user_id AND a.resume_file IS NOT NULL))
	ORDER BY u.last_active_at
	LIMIT ?
	FOR UPDATE OF g SKIP LOCKED`

const detachResumesOfGraduates = `UPDATE applications
	SET resume_file = NULL
	WHERE graduate_id IN ? AND resume_file IS NOT NULL`

const clearGraduateResumes = `UPDATE graduates
	SET resume_file = NULL, resume_uploaded_at = NULL, updated_at = now()
	WHERE user_id IN ?`

// ExpireResumes clears the résumés of up to limit graduates inactive since
// cutoff: every file named by their profile or their applications is passed
// to remove (which deletes it from the file store) and, when that
// succeeded, the rows stop naming it — in one transaction, so a file that
// could not be deleted is still named and the next pass tries again. The
// applications themselves stay. It returns how many graduates it cleared.
func (s *Store) ExpireResumes(ctx context.Context, cutoff time.Time, limit int, remove func(files []string) error) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var ids []string
		if err := tx.Raw(inactiveWithResume, cutoff, limit).Scan(&ids).Error; err != nil {
			return err
		}
		n = len(ids)
		if n == 0 {
			return nil
		}
		var files []string
		for _, id := range ids {
			f, err := resumeFilesOf(tx, id)
			if err != nil {
				return err
			}
			files = append(files, f...)
		}
		if err := remove(files); err != nil {
			return err
		}
		if err := tx.Exec(detachResumesOfGraduates, ids).Error; err != nil {
			return err
		}
		return tx.Exec(clearGraduateResumes, ids).Error
	})
	return n, translate(err)
}
