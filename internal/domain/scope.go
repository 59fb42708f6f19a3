package domain

// Caller is who is making a request, resolved once per request from the
// access token and the users table: the one place scope comes from.
type Caller struct {
	UserID       string
	Role         Role
	EmployerID   string // employer users
	ZoneCode     string // zone admins
	ProvinceCode string // province admins (and zone admins: their zone's province)
	// SessionID names the sign-in (refresh-token family) the access token
	// was issued for, so signing out ends that session's refresh chain too.
	SessionID string
}

// Anonymous is the caller of public endpoints without a token.
var Anonymous = Caller{}

// Signed reports whether the caller is signed in.
func (c Caller) Signed() bool { return c.UserID != "" }

// Scope says where a thing belongs: its employer, graduate, zone and province.
// A zone-less employer's things have an empty ZoneCode.
type Scope struct {
	EmployerID   string
	GraduateID   string
	ZoneCode     string
	ProvinceCode string
}

// At returns the part of s at level l: its graduate (LevelSelf), employer,
// zone or province; "" for the nation.
func (s Scope) At(l Level) string {
	switch l {
	case LevelSelf:
		return s.GraduateID
	case LevelEmployer:
		return s.EmployerID
	case LevelZone:
		return s.ZoneCode
	case LevelProvince:
		return s.ProvinceCode
	}
	return ""
}

// Reach is how far a caller sees: its role's level in the registry and the
// caller's own graduate, employer, zone or province at that level. It is
// the one scope rule: Sees applies it in Go, the store's scopeWhere in SQL.
type Reach struct {
	// Level is "" for a caller who sees nothing (anonymous, an unknown
	// role, or staff without its zone or province).
	Level Level
	// Value is what a thing's Scope must hold at Level (not for LevelNation).
	Value string
}

// Everything reports whether the reach is the whole nation.
func (r Reach) Everything() bool { return r.Level == LevelNation }

// Nothing reports whether the caller sees nothing.
func (r Reach) Nothing() bool { return r.Level == "" }

// staffRank orders the levels staff work at: a zone, its province, the
// nation. Graduates and employers (0) are outside it.
func staffRank(l Level) int {
	switch l {
	case LevelZone:
		return 1
	case LevelProvince:
		return 2
	case LevelNation:
		return 3
	}
	return 0
}

// AtLeast reports whether r is staff reach at level l or wider: the
// ministry is at least province staff, province staff at least zone staff.
func (r Reach) AtLeast(l Level) bool {
	return staffRank(l) > 0 && staffRank(r.Level) >= staffRank(l)
}

// Level is the caller's reach level ("" when it sees nothing). The staff
// actions of one level (a zone submits its report, a province reviews it,
// the ministry sets a province's targets) check it, so a role is what its
// registry entry says, not its name.
func (c Caller) Level() Level { return c.Reach().Level }

// Reach returns how far the caller sees.
func (c Caller) Reach() Reach {
	info, ok := c.Role.Info()
	if !ok {
		return Reach{}
	}
	own := Scope{GraduateID: c.UserID, EmployerID: c.EmployerID, ZoneCode: c.ZoneCode, ProvinceCode: c.ProvinceCode}
	v := own.At(info.Level)
	switch {
	case info.Level == LevelNation:
		return Reach{Level: LevelNation}
	case v == "":
		return Reach{}
	}
	return Reach{Level: info.Level, Value: v}
}

// Sees is the policy: may caller read a thing with scope s? Ministry staff see
// everything; province staff their province; zone staff their zone; an
// employer its own things; a graduate its own (Reach). Callers outside
// scope get not_found, so existence never leaks.
func (c Caller) Sees(s Scope) bool {
	r := c.Reach()
	switch {
	case r.Nothing():
		return false
	case r.Everything():
		return true
	}
	return s.At(r.Level) == r.Value
}

// SeesFilter reports whether the caller may narrow a list to the zone (which
// lies in zoneProvince) and the province, either left empty. Staff narrowing
// outside their scope get not_found, as the zone or province itself would
// answer, not an empty list that reads as a quiet month. Graduates and
// employers only narrow their own things.
func (c Caller) SeesFilter(zone, zoneProvince, province string) bool {
	if !c.Role.IsStaff() || c.Reach().Everything() {
		return true
	}
	return (province == "" || province == c.ProvinceCode) &&
		(zone == "" || c.Sees(Scope{ZoneCode: zone, ProvinceCode: zoneProvince}))
}

// SeesZone reports whether staff caller covers the zone (in province).
func (c Caller) SeesZone(zoneCode, provinceCode string) bool {
	return c.Role.IsStaff() && c.Sees(Scope{ZoneCode: zoneCode, ProvinceCode: provinceCode})
}

// Review names what a reviewer does; the contract gives province staff a
// wider reach for one of them.
type Review int

const (
	// ReviewOpening is approving, rejecting or closing an employer's opening:
	// the zone_admin of the employer's zone; the province_admin only where the
	// employer has no zone.
	ReviewOpening Review = iota
	// VerifyEmployer is verifying an employer's registration: the zone_admin
	// of its zone, or the province_admin of its province (zone or not).
	VerifyEmployer
)

// ReviewScope is the one review rule: the employers whose registration a
// caller may verify (VerifyEmployer) and whose openings it may approve or
// reject (ReviewOpening).
//
//   - zone_admin: the employers of its zone (Zone set), for both;
//   - province_admin: for openings, the employers of its province that
//     belong to no zone (a zone's openings are reviewed by the zone, which
//     the province supervises through the zone's monthly reports); for
//     verification, every employer of its province (WholeProvince);
//   - everybody else (ministry, employers, graduates, anonymous): nothing
//     (None).
//
// The store turns a ReviewScope into the SQL of the review queues and the
// Go side uses Covers, so the queue and the check cannot disagree.
type ReviewScope struct {
	None          bool
	Zone          string // employers with this zone code
	Province      string // employers of this province with no zone …
	WholeProvince bool   // … or, when set, every employer of the province
}

// ReviewScope returns what caller may review for the action k: a role the
// registry marks Reviews, at its zone or province (Reach).
func (c Caller) ReviewScope(k Review) ReviewScope {
	if info, _ := c.Role.Info(); !info.Reviews {
		return ReviewScope{None: true}
	}
	switch r := c.Reach(); r.Level {
	case LevelZone:
		return ReviewScope{Zone: r.Value}
	case LevelProvince:
		return ReviewScope{Province: r.Value, WholeProvince: k == VerifyEmployer}
	}
	return ReviewScope{None: true}
}

// Covers reports whether an employer's thing with scope s is in r.
func (r ReviewScope) Covers(s Scope) bool {
	switch {
	case r.None:
		return false
	case r.Zone != "":
		return s.ZoneCode == r.Zone
	case r.WholeProvince:
		return s.ProvinceCode == r.Province
	default:
		return s.ZoneCode == "" && s.ProvinceCode == r.Province
	}
}

// CanReview reports whether caller may do k to the employer or opening with
// scope s (see ReviewScope).
func (c Caller) CanReview(k Review, s Scope) bool { return c.ReviewScope(k).Covers(s) }

// CheckReview is CanReview as the API answers it: a role that reviews
// nothing gets forbidden; staff who cannot see the thing get not_found (its
// existence does not leak); staff who see it but may not review it get
// forbidden.
func (c Caller) CheckReview(k Review, s Scope) error {
	switch {
	case c.ReviewScope(k).None:
		return ErrForbidden
	case !c.Sees(s):
		return ErrNotFound
	case !c.CanReview(k, s):
		return ErrForbidden
	}
	return nil
}
