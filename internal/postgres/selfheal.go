package postgres

import (
	"context"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// CountSearchable counts the openings the search index should hold today:
// EachSearchable's rows (the self-heal compares it with the index).
func (s *Store) CountSearchable(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(countSearchableOpenings, domain.DateOf(s.now()).String()).Scan(&n).Error
	return n, translate(err)
}

// searchHealRow maps the one row of search_heal_state.
type searchHealRow struct {
	CheckedAt  *time.Time
	Outcome    string
	Documents  int64
	Searchable int64
	Running    bool
	Done       int64
	Total      int64
	StartedAt  *time.Time
	ProgressAt *time.Time
	FinishedAt *time.Time
	Rebuilds   int64
}

const selectSearchHeal = `
SELECT checked_at, outcome, documents, searchable, running, done, total,
       started_at, progress_at, finished_at, rebuilds
  FROM search_heal_state`

const updateSearchHeal = `
UPDATE search_heal_state
   SET checked_at = ?, outcome = ?, documents = ?, searchable = ?, running = ?,
       done = ?, total = ?, started_at = ?, progress_at = ?, finished_at = ?,
       rebuilds = ?`

// SearchHeal reads the self-heal's last check and rebuild.
func (s *Store) SearchHeal(ctx context.Context) (domain.SearchHeal, error) {
	var r searchHealRow
	if err := s.db.WithContext(ctx).Raw(selectSearchHeal).Scan(&r).Error; err != nil {
		return domain.SearchHeal{}, translate(err)
	}
	return domain.SearchHeal{CheckedAt: r.CheckedAt, Outcome: domain.HealOutcome(r.Outcome), Documents: r.Documents,
		Searchable: r.Searchable, Running: r.Running, Done: r.Done, Total: r.Total, StartedAt: r.StartedAt,
		ProgressAt: r.ProgressAt, FinishedAt: r.FinishedAt, Rebuilds: r.Rebuilds}, nil
}

// SaveSearchHeal replaces it.
func (s *Store) SaveSearchHeal(ctx context.Context, h domain.SearchHeal) error {
	return translate(s.db.WithContext(ctx).Exec(updateSearchHeal, h.CheckedAt, string(h.Outcome), h.Documents,
		h.Searchable, h.Running, h.Done, h.Total, h.StartedAt, h.ProgressAt, h.FinishedAt, h.Rebuilds).Error)
}
