package domain

import (
	"slices"
	"strings"
)

// Level is how far a role's view reaches.
type Level string

// Levels, narrowest first.
const (
	LevelSelf     Level = "self"     // its own things (graduate)
	LevelEmployer Level = "employer" // its organisation's things
	LevelZone     Level = "zone"
	LevelProvince Level = "province"
	LevelNation   Level = "nation"
)

// RoleInfo is what the programme says about one role. RoleRegistry is the
// only list of roles: the API's validation, the CLI's `user create` and the
// pages read it.
type RoleInfo struct {
	Role   Role
	Level  Level
	Zh, En string
	// SelfRegister: may sign up at POST /auth/register; the others are
	// created by an administrator (`gradzone user create`).
	SelfRegister bool
	// Staff: programme staff (zone, province, ministry), who see the staff pages.
	Staff bool
	// NeedsZone, NeedsProvince: the account is created with a zone
	// (--zone) or a province (--province).
	NeedsZone, NeedsProvince bool
	// Reviews: verifies employers and approves openings, within
	// Caller.ReviewScope.
	Reviews bool
}

// RoleRegistry lists every role, from the contract.
var RoleRegistry = []RoleInfo{
	{Role: RoleGraduate, Level: LevelSelf, Zh: "毕业生", En: "Graduate", SelfRegister: true},
	{Role: RoleEmployer, Level: LevelEmployer, Zh: "用人单位", En: "Employer", SelfRegister: true},
	{Role: RoleZoneAdmin, Level: LevelZone, Zh: "高新区主管部门", En: "Zone staff", Staff: true, NeedsZone: true, Reviews: true},
	{Role: RoleProvinceAdmin, Level: LevelProvince, Zh: "省级主管部门", En: "Province staff", Staff: true, NeedsProvince: true, Reviews: true},
	{Role: RoleMinistryAdmin, Level: LevelNation, Zh: "工信部火炬中心", En: "Ministry staff", Staff: true},
}

// Info returns what the registry says about r.
func (r Role) Info() (RoleInfo, bool) {
	i := slices.IndexFunc(RoleRegistry, func(ri RoleInfo) bool { return ri.Role == r })
	if i < 0 {
		return RoleInfo{}, false
	}
	return RoleRegistry[i], true
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := r.Info(); return ok }

// IsStaff reports whether r is a zone, province or ministry role.
func (r Role) IsStaff() bool { i, _ := r.Info(); return i.Staff }

// Label returns r's name in Chinese or (lang "en") English.
func (r Role) Label(lang string) string {
	i, ok := r.Info()
	switch {
	case !ok:
		return string(r)
	case lang == "en":
		return i.En
	}
	return i.Zh
}

// ReviewerNames name, in a mail, who reviewed, by the level of the role: a
// zone's staff as its administration (管委会), a province's by the province,
// any other by the registry's label; place is the zone's or province's name
// in each language.
// A mail that said only 主管部门 left an employer of a moved zone asking
// who (a walk).
func ReviewerNames(role Role, placeZh, placeEn string) (zh, en string) {
	switch i, _ := role.Info(); i.Level {
	case LevelZone:
		return placeZh + "管委会", "the " + placeEn + " administration"
	case LevelProvince:
		return placeZh + "主管部门", placeEn + " province staff"
	}
	return role.Label("zh"), role.Label("en")
}

// RolesWhere lists the roles whose registry entry satisfies keep, in
// registry order.
func RolesWhere(keep func(RoleInfo) bool) []Role {
	var out []Role
	for _, i := range RoleRegistry {
		if keep(i) {
			out = append(out, i.Role)
		}
	}
	return out
}

// Roles lists every role.
var Roles = RolesWhere(func(RoleInfo) bool { return true })

// StaffRoles lists the staff roles; SelfRegisterRoles those that sign up
// themselves; ReviewerRoles those that verify employers and approve openings.
var (
	StaffRoles        = RolesWhere(func(i RoleInfo) bool { return i.Staff })
	SelfRegisterRoles = RolesWhere(func(i RoleInfo) bool { return i.SelfRegister })
	ReviewerRoles     = RolesWhere(func(i RoleInfo) bool { return i.Reviews })
)

// RolesAt lists the staff roles of level l: RolesAt(LevelZone) files a
// zone's monthly report and is reminded of it, RolesAt(LevelNation) owns the
// nation's tools (status, job queues). Routes and queries name levels, not
// roles, so a new role follows from its registry entry.
func RolesAt(l Level) []Role {
	return RolesWhere(func(i RoleInfo) bool { return i.Staff && i.Level == l })
}

// RolesAtLeast lists the staff roles whose reach is l or wider
// (Reach.AtLeast): RolesAtLeast(LevelProvince) sets targets and chases
// zones for their reports.
func RolesAtLeast(l Level) []Role {
	return RolesWhere(func(i RoleInfo) bool { return i.Staff && Reach{Level: i.Level}.AtLeast(l) })
}

// RoleList spells roles for a message: "a, b or c".
func RoleList(roles []Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return listOf(s, ", ", " or ")
}

// listOf joins words as a sentence lists them: "a, b or c" (comma ", ",
// or " or "), 「甲、乙或丙」 (comma "、", or "或").
func listOf(words []string, comma, or string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], comma) + or + words[len(words)-1]
}

// ReasonStaffRole refuses a staff account whose role is no staff role; it
// and its words on the site (staffRoleWords) follow the registry, so a
// staff role added there is named in all three. A var only because it is
// built from the registry: never assigned.
var ReasonStaffRole = "must be " + RoleList(StaffRoles)

// staffRoleWords lists the staff roles by their labels in Chinese ("zh")
// or English.
func staffRoleWords(lang string) string {
	var words []string
	for _, r := range StaffRoles {
		info, _ := r.Info()
		label := strings.ToLower(info.En)
		if lang == "zh" {
			label = info.Zh
		}
		words = append(words, label)
	}
	if lang == "zh" {
		return listOf(words, "、", "或")
	}
	return listOf(words, ", ", " or ")
}
