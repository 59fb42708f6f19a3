package postgres

import "github.com/gradzone/gradzone/internal/domain"

// scopeColumns names, for one query, the column expressions that hold a
// row's graduate, employer, zone and province. An empty name means the
// query has no such column: a caller scoped by it sees no rows.
type scopeColumns struct {
	Graduate, Employer, Zone, Province string
}

// scopeWhere returns the SQL condition that keeps rows the caller sees: the
// SQL form of domain.Caller.Sees, and the only place it is written for
// queries.
func scopeWhere(c domain.Caller, cols scopeColumns) (string, []any) {
	eq := func(col, v string) (string, []any) {
		if col == "" {
			return "FALSE", nil
		}
		return col + " = ?", []any{v}
	}
	switch c.Role {
	case domain.RoleGraduate:
		return eq(cols.Graduate, c.UserID)
	case domain.RoleEmployer:
		return eq(cols.Employer, c.EmployerID)
	case domain.RoleZoneAdmin:
		return eq(cols.Zone, c.ZoneCode)
	case domain.RoleProvinceAdmin:
		return eq(cols.Province, c.ProvinceCode)
	case domain.RoleMinistryAdmin:
		return "TRUE", nil
	}
	return "FALSE", nil
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
