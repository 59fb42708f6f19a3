package postgres

import (
	"slices"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// filter is a WHERE condition built up one clause at a time, with its
// arguments in order.
type filter struct {
	where string
	args  []any
}

// newFilter starts a filter from a condition (often scopeWhere's).
func newFilter(where string, args []any) *filter { return &filter{where, args} }

// and adds cond with its arguments.
func (f *filter) and(cond string, args ...any) {
	f.where += " AND " + cond
	f.args = append(f.args, args...)
}

// listPage is one page of a list query: the rows of selectFrom filtered by f
// in order, and how many rows countFrom holds under f in all.
func listPage[R any](db *gorm.DB, countFrom, selectFrom, order string, f *filter, p domain.Page) ([]R, int64, error) {
	var total int64
	if err := db.Raw(`SELECT count(*) FROM `+countFrom+` WHERE `+f.where, f.args...).Scan(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	var rows []R
	err := db.Raw(selectFrom+` WHERE `+f.where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(slices.Clip(f.args), p.PerPage, p.Offset())...).Scan(&rows).Error
	if err != nil {
		return nil, 0, translate(err)
	}
	return rows, total, nil
}
