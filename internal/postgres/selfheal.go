package postgres

import (
	"context"

	"github.com/gradzone/gradzone/internal/domain"
)

// CountSearchable counts the openings the search index should hold today:
// EachSearchable's rows (the self-heal compares it with the index).
func (s *Store) CountSearchable(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(`SELECT count(*) FROM openings o
		WHERE o.status = 'published' AND o.deadline >= ? AND o.placements < o.headcount`,
		domain.DateOf(s.now()).String()).Scan(&n).Error
	return n, translate(err)
}
