package postgres

import "github.com/gradzone/gradzone/internal/domain"

// scopeColumns names, for one query, the column expressions that hold a
// row's graduate, employer, zone and province. An empty name means the
// query has no such column: a caller scoped by it sees no rows.
type scopeColumns struct {
	Graduate, Employer, Zone, Province string
}

// at returns the column at level l ("" when the query has none), by the
// same level-to-part mapping as domain.Scope.At.
func (cols scopeColumns) at(l domain.Level) string {
	return domain.Scope{GraduateID: cols.Graduate, EmployerID: cols.Employer, ZoneCode: cols.Zone, ProvinceCode: cols.Province}.At(l)
}

// scopeWhere returns the SQL condition that keeps rows the caller sees: the
// SQL form of domain.Caller.Sees (both apply Caller.Reach), and the only
// place it is written for queries. TestScopeWhereMatchesSees checks that
// the two agree row by row.
func scopeWhere(c domain.Caller, cols scopeColumns) (string, []any) {
	r := c.Reach()
	switch col := cols.at(r.Level); {
	case r.Everything():
		return "TRUE", nil
	case r.Nothing(), col == "":
		return "FALSE", nil
	default:
		return col + " = ?", []any{r.Value}
	}
}

// reviewWhere returns the SQL condition that keeps the employers (or their
// openings) the caller may review: the SQL form of domain.ReviewScope.Covers,
// given the employer's zone and province columns. TestReviewQueuesMatchCanReview
// checks that the two agree row by row.
func reviewWhere(r domain.ReviewScope, zone, province string) (string, []any) {
	switch {
	case r.None:
		return "FALSE", nil
	case r.Zone != "":
		return zone + " = ?", []any{r.Zone}
	case r.WholeProvince:
		return province + " = ?", []any{r.Province}
	default:
		return "coalesce(" + zone + ", '') = '' AND " + province + " = ?", []any{r.Province}
	}
}
