package domain

import (
	"errors"
	"testing"
)

// TestRoleRegistry: what each role may do, read from the one registry.
func TestRoleRegistry(t *testing.T) {
	for _, tc := range []struct {
		role                                   Role
		staff, selfRegister, reviews, zone, pr bool
		level                                  Level
	}{
		{RoleGraduate, false, true, false, false, false, LevelSelf},
		{RoleEmployer, false, true, false, false, false, LevelEmployer},
		{RoleZoneAdmin, true, false, true, true, false, LevelZone},
		{RoleProvinceAdmin, true, false, true, false, true, LevelProvince},
		{RoleMinistryAdmin, true, false, false, false, false, LevelNation},
	} {
		i, ok := tc.role.Info()
		if !ok || !tc.role.Valid() || tc.role.IsStaff() != tc.staff || i.SelfRegister != tc.selfRegister ||
			i.Reviews != tc.reviews || i.NeedsZone != tc.zone || i.NeedsProvince != tc.pr || i.Level != tc.level {
			t.Errorf("%s: %+v", tc.role, i)
		}
		if i.Zh == "" || i.En == "" || tc.role.Label("en") != i.En || tc.role.Label("zh") != i.Zh {
			t.Errorf("%s labels: %q %q", tc.role, i.Zh, i.En)
		}
		// A reviewer role reviews something; the others nothing.
		c := Caller{UserID: "u", Role: tc.role, ZoneCode: "z", ProvinceCode: "11"}
		if c.ReviewScope(ReviewOpening).None == tc.reviews {
			t.Errorf("%s: registry says reviews=%v, ReviewScope %+v", tc.role, tc.reviews, c.ReviewScope(ReviewOpening))
		}
	}
	if Role("root").Valid() || Role("root").IsStaff() || Role("").IsStaff() {
		t.Fatal("unknown roles are valid or staff")
	}
	if got := RoleList(StaffRoles); got != "zone_admin, province_admin or ministry_admin" {
		t.Fatal(got)
	}
	if got := RoleList(SelfRegisterRoles); got != "graduate or employer" {
		t.Fatal(got)
	}
	// The refusal of a role that is no staff role names the registry's
	// staff roles in each language (a review: it was written out three
	// times, and a new staff role would have left the words behind).
	if ReasonStaffRole != "must be zone_admin, province_admin or ministry_admin" {
		t.Errorf("the API's reason: %q", ReasonStaffRole)
	}
	for lang, want := range map[string]string{"zh": "须为高新区主管部门、省级主管部门或工信部火炬中心", "en": "must be zone staff, province staff or ministry staff"} {
		if got := TranslateReason(lang, ReasonStaffRole); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
}

// TestStaffAccountFollowsRegistry: `user create` validation by role.
func TestStaffAccountFollowsRegistry(t *testing.T) {
	ok := func(r Role, zone, province string) error {
		a := StaffAccount{Role: r, Email: "a@b.cn", Password: "staff-pass-2026", Name: "N", ZoneCode: zone, ProvinceCode: province}
		return a.Validate()
	}
	for _, tc := range []struct {
		role           Role
		zone, province string
		field          string // "" = valid
	}{
		{RoleZoneAdmin, "sichuan-chengdu", "", ""},
		{RoleZoneAdmin, "", "", "zone"},
		{RoleZoneAdmin, "sichuan-chengdu", "51", "province"},
		{RoleProvinceAdmin, "", "51", ""},
		{RoleProvinceAdmin, "", "", "province"},
		{RoleProvinceAdmin, "sichuan-chengdu", "51", "zone"},
		{RoleMinistryAdmin, "", "", ""},
		{RoleMinistryAdmin, "", "51", "role"},
		{RoleGraduate, "", "", "role"},
		{Role("root"), "", "", "role"},
	} {
		err := ok(tc.role, tc.zone, tc.province)
		var de *Error
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s %q %q: %v", tc.role, tc.zone, tc.province, err)
		case tc.field != "" && (!errors.As(err, &de) || de.Fields[tc.field] == ""):
			t.Errorf("%s %q %q: %v, want a %s error", tc.role, tc.zone, tc.province, err, tc.field)
		}
	}
}

func TestReviewerNames(t *testing.T) {
	for _, c := range []struct {
		role           Role
		place, placeEn string
		zh, en         string
	}{
		{RoleZoneAdmin, "成都高新技术产业开发区", "Chengdu Hi-tech Industrial Development Zone", "成都高新技术产业开发区管委会", "the Chengdu Hi-tech Industrial Development Zone administration"},
		{RoleProvinceAdmin, "四川省", "Sichuan", "四川省主管部门", "Sichuan province staff"},
		{RoleMinistryAdmin, "", "", "工信部火炬中心", "Ministry staff"},
	} {
		if zh, en := ReviewerNames(c.role, c.place, c.placeEn); zh != c.zh || en != c.en {
			t.Errorf("%s: %q %q", c.role, zh, en)
		}
	}
}
