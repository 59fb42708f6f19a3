package domain

// Caller is who is making a request, resolved once per request from the
// access token and the users table: the one place scope comes from.
type Caller struct {
	UserID       string
	Role         Role
	EmployerID   string // employer users
	ZoneCode     string // zone admins
	ProvinceCode string // province admins (and zone admins: their zone's province)
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

// Sees is the policy: may caller read a thing with scope s? Ministry staff see
// everything; province staff their province; zone staff their zone; an
// employer its own things; a graduate its own. Callers outside scope get
// not_found, so existence never leaks.
func (c Caller) Sees(s Scope) bool {
	switch c.Role {
	case RoleMinistryAdmin:
		return true
	case RoleProvinceAdmin:
		return s.ProvinceCode != "" && s.ProvinceCode == c.ProvinceCode
	case RoleZoneAdmin:
		return s.ZoneCode != "" && s.ZoneCode == c.ZoneCode
	case RoleEmployer:
		return s.EmployerID != "" && s.EmployerID == c.EmployerID
	case RoleGraduate:
		return s.GraduateID != "" && s.GraduateID == c.UserID
	}
	return false
}

// SeesZone reports whether staff caller covers the zone (in province).
func (c Caller) SeesZone(zoneCode, provinceCode string) bool {
	return c.Role.IsStaff() && c.Sees(Scope{ZoneCode: zoneCode, ProvinceCode: provinceCode})
}

// Supervises reports whether caller is staff responsible for approving things
// of an employer with scope s: the zone admin of its zone, or — for an
// employer outside any zone — the province admin of its province. Province
// admins may also act for zones of their province.
func (c Caller) Supervises(s Scope) bool {
	switch c.Role {
	case RoleZoneAdmin:
		return s.ZoneCode != "" && s.ZoneCode == c.ZoneCode
	case RoleProvinceAdmin:
		return s.ProvinceCode == c.ProvinceCode
	}
	return false
}
