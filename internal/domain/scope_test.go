package domain

import (
	"errors"
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
