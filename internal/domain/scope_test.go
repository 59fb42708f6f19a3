package domain

import (
	"errors"
	"testing"
)

// TestCanReview is the one review rule, role by role: who may verify an
// employer or approve its openings, for an employer in a zone and one
// outside any zone.
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
		c      Caller
		s      Scope
		review bool
		err    error // CheckReview
	}{
		{"zone staff, own zone", chengdu, zoned, true, nil},
		{"zone staff, other zone", mianyang, zoned, false, ErrNotFound},
		{"zone staff, zone-less employer of its province", chengdu, zoneless, false, ErrNotFound},
		{"province staff, zone-less employer of its province", sichuan, zoneless, true, nil},
		{"province staff, zone of its province: the zone reviews", sichuan, zoned, false, ErrForbidden},
		{"province staff, other province's zone-less employer", beijing, zoneless, false, ErrNotFound},
		{"province staff, other province's zone", beijing, zoned, false, ErrNotFound},
		{"ministry, zoned", ministry, zoned, false, ErrForbidden},
		{"ministry, zone-less", ministry, zoneless, false, ErrForbidden},
		{"graduate", graduate, zoned, false, ErrForbidden},
		{"employer, its own", employer, zoned, false, ErrForbidden},
		{"anonymous", Anonymous, zoneless, false, ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.CanReview(tc.s); got != tc.review {
				t.Fatalf("CanReview = %v, want %v", got, tc.review)
			}
			if err := tc.c.CheckReview(tc.s); !errors.Is(err, tc.err) {
				t.Fatalf("CheckReview = %v, want %v", err, tc.err)
			}
			if tc.review && tc.c.ReviewScope().None {
				t.Fatal("a reviewer with an empty review scope")
			}
		})
	}
}
