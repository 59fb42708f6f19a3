package domain

import (
	"errors"
	"slices"
	"testing"
)

// TestCanReview is the one review rule, role by role and action by action:
// who may verify an employer or approve its openings, for an employer in a
// zone and one outside any zone (CONTRACT: verify is zone or province staff;
// approve is the zone, or the province where the employer has no zone).
func TestCanReview(t *testing.T) {
	zoned := Scope{EmployerID: "e1", ZoneCode: "sichuan-chengdu", ProvinceCode: "51"}
	zoneless := Scope{EmployerID: "e2", ProvinceCode: "51"}
	chengdu := Caller{UserID: "u1", Role: RoleZoneAdmin, ZoneCode: "sichuan-chengdu", ProvinceCode: "51"}
	mianyang := Caller{UserID: "u2", Role: RoleZoneAdmin, ZoneCode: "sichuan-mianyang", ProvinceCode: "51"}
	sichuan := Caller{UserID: "u3", Role: RoleProvinceAdmin, ProvinceCode: "51"}
	beijing := Caller{UserID: "u4", Role: RoleProvinceAdmin, ProvinceCode: "11"}
	ministry := Caller{UserID: "u5", Role: RoleMinistryAdmin}
	graduate := Caller{UserID: "u6", Role: RoleGraduate}
	employer := Caller{UserID: "u7", Role: RoleEmployer, EmployerID: "e1"}
	for _, tc := range []struct {
		name   string
		k      Review
		c      Caller
		s      Scope
		review bool
		err    error // CheckReview
	}{
		{"zone staff, own zone: opening", ReviewOpening, chengdu, zoned, true, nil},
		{"zone staff, own zone: verify", VerifyEmployer, chengdu, zoned, true, nil},
		{"zone staff, other zone", ReviewOpening, mianyang, zoned, false, ErrNotFound},
		{"zone staff, other zone: verify", VerifyEmployer, mianyang, zoned, false, ErrNotFound},
		{"zone staff, zone-less employer of its province", ReviewOpening, chengdu, zoneless, false, ErrNotFound},
		{"zone staff, zone-less employer: verify", VerifyEmployer, chengdu, zoneless, false, ErrNotFound},
		{"province staff, zone-less employer: opening", ReviewOpening, sichuan, zoneless, true, nil},
		{"province staff, zone-less employer: verify", VerifyEmployer, sichuan, zoneless, true, nil},
		{"province staff, zone of its province: the zone reviews openings", ReviewOpening, sichuan, zoned, false, ErrForbidden},
		{"province staff, zone of its province: may verify the employer", VerifyEmployer, sichuan, zoned, true, nil},
		{"province staff, other province's zone-less employer", ReviewOpening, beijing, zoneless, false, ErrNotFound},
		{"province staff, other province's zone-less employer: verify", VerifyEmployer, beijing, zoneless, false, ErrNotFound},
		{"province staff, other province's zone", ReviewOpening, beijing, zoned, false, ErrNotFound},
		{"province staff, other province's zone: verify", VerifyEmployer, beijing, zoned, false, ErrNotFound},
		{"ministry, zoned", ReviewOpening, ministry, zoned, false, ErrForbidden},
		{"ministry, zone-less: verify", VerifyEmployer, ministry, zoneless, false, ErrForbidden},
		{"graduate", ReviewOpening, graduate, zoned, false, ErrForbidden},
		{"graduate: verify", VerifyEmployer, graduate, zoned, false, ErrForbidden},
		{"employer, its own", ReviewOpening, employer, zoned, false, ErrForbidden},
		{"employer, itself: verify", VerifyEmployer, employer, zoned, false, ErrForbidden},
		{"anonymous", ReviewOpening, Anonymous, zoneless, false, ErrForbidden},
		{"anonymous: verify", VerifyEmployer, Anonymous, zoneless, false, ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.CanReview(tc.k, tc.s); got != tc.review {
				t.Fatalf("CanReview = %v, want %v", got, tc.review)
			}
			if err := tc.c.CheckReview(tc.k, tc.s); !errors.Is(err, tc.err) {
				t.Fatalf("CheckReview = %v, want %v", err, tc.err)
			}
			if tc.review && tc.c.ReviewScope(tc.k).None {
				t.Fatal("a reviewer with an empty review scope")
			}
		})
	}
}

// TestSees is the one scope rule, role by role: each caller sees the things
// at its registry level that are its own (Reach), the ministry everything,
// and a caller without its zone, province or employer nothing.
func TestSees(t *testing.T) {
	mine := Scope{GraduateID: "g1", EmployerID: "e1", ZoneCode: "sichuan-chengdu", ProvinceCode: "51"}
	zoneless := Scope{EmployerID: "e2", ProvinceCode: "51"}
	elsewhere := Scope{GraduateID: "g2", EmployerID: "e3", ZoneCode: "beijing-zhongguancun", ProvinceCode: "11"}
	for _, tc := range []struct {
		name  string
		c     Caller
		level Level
		sees  []Scope
		not   []Scope
	}{
		{"graduate", Caller{UserID: "g1", Role: RoleGraduate}, LevelSelf, []Scope{mine}, []Scope{zoneless, elsewhere}},
		{"employer", Caller{UserID: "u", Role: RoleEmployer, EmployerID: "e1"}, LevelEmployer, []Scope{mine}, []Scope{zoneless, elsewhere}},
		{"employer without its organisation", Caller{UserID: "u", Role: RoleEmployer}, "", nil, []Scope{mine, zoneless, {}}},
		{"zone staff", Caller{UserID: "u", Role: RoleZoneAdmin, ZoneCode: "sichuan-chengdu", ProvinceCode: "51"}, LevelZone, []Scope{mine}, []Scope{zoneless, elsewhere}},
		{"zone staff without a zone", Caller{UserID: "u", Role: RoleZoneAdmin, ProvinceCode: "51"}, "", nil, []Scope{mine, zoneless, {}}},
		{"province staff", Caller{UserID: "u", Role: RoleProvinceAdmin, ProvinceCode: "51"}, LevelProvince, []Scope{mine, zoneless}, []Scope{elsewhere}},
		{"ministry", Caller{UserID: "u", Role: RoleMinistryAdmin}, LevelNation, []Scope{mine, zoneless, elsewhere, {}}, nil},
		{"unknown role", Caller{UserID: "u", Role: "auditor", ZoneCode: "sichuan-chengdu"}, "", nil, []Scope{mine}},
		{"anonymous", Anonymous, "", nil, []Scope{mine, zoneless, elsewhere, {}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.Reach().Level; got != tc.level {
				t.Fatalf("Reach().Level = %q, want %q", got, tc.level)
			}
			for _, s := range tc.sees {
				if !tc.c.Sees(s) {
					t.Errorf("does not see %+v", s)
				}
			}
			for _, s := range tc.not {
				if tc.c.Sees(s) {
					t.Errorf("sees %+v", s)
				}
			}
		})
	}
}

// TestRoleFollowsItsLevel: a role is what its registry entry says. A new
// province-level reviewing role, added only to the registry, sees,
// reviews and acts exactly as province staff do.
func TestRoleFollowsItsLevel(t *testing.T) {
	saved := RoleRegistry
	t.Cleanup(func() { RoleRegistry = saved })
	RoleRegistry = append(slices.Clone(saved), RoleInfo{Role: "province_deputy", Level: LevelProvince,
		Zh: "省级副主管", En: "Province deputy", Staff: true, NeedsProvince: true, Reviews: true})
	deputy := Caller{UserID: "d", Role: "province_deputy", ProvinceCode: "51"}
	admin := Caller{UserID: "a", Role: RoleProvinceAdmin, ProvinceCode: "51"}
	for _, s := range []Scope{
		{EmployerID: "e1", ZoneCode: "sichuan-chengdu", ProvinceCode: "51"},
		{EmployerID: "e2", ProvinceCode: "51"},
		{EmployerID: "e3", ZoneCode: "beijing-zhongguancun", ProvinceCode: "11"},
	} {
		if deputy.Sees(s) != admin.Sees(s) {
			t.Errorf("Sees(%+v): deputy %v, province staff %v", s, deputy.Sees(s), admin.Sees(s))
		}
		for _, k := range []Review{ReviewOpening, VerifyEmployer} {
			if deputy.ReviewScope(k) != admin.ReviewScope(k) || deputy.CanReview(k, s) != admin.CanReview(k, s) {
				t.Errorf("review %d of %+v differs", k, s)
			}
		}
	}
	for _, l := range []Level{LevelSelf, LevelEmployer, LevelZone, LevelProvince, LevelNation} {
		if deputy.Reach().AtLeast(l) != admin.Reach().AtLeast(l) {
			t.Errorf("AtLeast(%s) differs", l)
		}
	}
	if !deputy.Role.IsStaff() || deputy.Level() != LevelProvince {
		t.Fatalf("deputy: staff %v, level %q", deputy.Role.IsStaff(), deputy.Level())
	}
	// The routes of province reach (targets, 催报) admit it; those of the
	// zones (the monthly report's reminders) and the nation do not.
	if !slices.Contains(RolesAtLeast(LevelProvince), deputy.Role) || slices.Contains(RolesAtLeast(LevelNation), deputy.Role) ||
		slices.Contains(RolesAt(LevelZone), deputy.Role) || slices.Contains(RolesAt(LevelNation), deputy.Role) {
		t.Errorf("deputy's route lists: at least province %v, at zone %v", RolesAtLeast(LevelProvince), RolesAt(LevelZone))
	}
}

// TestRolesByLevel: the lists routes and queries use instead of role names.
func TestRolesByLevel(t *testing.T) {
	for _, tc := range []struct {
		got, want []Role
	}{
		{RolesAt(LevelZone), []Role{RoleZoneAdmin}},
		{RolesAt(LevelNation), []Role{RoleMinistryAdmin}},
		{RolesAt(LevelSelf), nil},
		{RolesAtLeast(LevelZone), []Role{RoleZoneAdmin, RoleProvinceAdmin, RoleMinistryAdmin}},
		{RolesAtLeast(LevelProvince), []Role{RoleProvinceAdmin, RoleMinistryAdmin}},
		{RolesAtLeast(LevelEmployer), nil},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("got %v, want %v", tc.got, tc.want)
		}
	}
}

// TestReachAtLeast orders the staff levels; graduates and employers are
// never staff reach.
func TestReachAtLeast(t *testing.T) {
	for _, tc := range []struct {
		r    Reach
		l    Level
		want bool
	}{
		{Reach{Level: LevelNation}, LevelProvince, true},
		{Reach{Level: LevelNation}, LevelNation, true},
		{Reach{Level: LevelProvince, Value: "51"}, LevelProvince, true},
		{Reach{Level: LevelProvince, Value: "51"}, LevelZone, true},
		{Reach{Level: LevelProvince, Value: "51"}, LevelNation, false},
		{Reach{Level: LevelZone, Value: "z"}, LevelProvince, false},
		{Reach{Level: LevelEmployer, Value: "e"}, LevelZone, false},
		{Reach{Level: LevelSelf, Value: "g"}, LevelSelf, false},
		{Reach{}, LevelZone, false},
	} {
		if got := tc.r.AtLeast(tc.l); got != tc.want {
			t.Errorf("%+v.AtLeast(%s) = %v, want %v", tc.r, tc.l, got, tc.want)
		}
	}
}
