package domain

import "slices"

// Role is what a user is in the programme.
type Role string

// Roles, from the contract.
const (
	RoleGraduate      Role = "graduate"
	RoleEmployer      Role = "employer"
	RoleZoneAdmin     Role = "zone_admin"
	RoleProvinceAdmin Role = "province_admin"
	RoleMinistryAdmin Role = "ministry_admin"
)

// Employer types and sizes.
var (
	EmployerTypes = []string{"enterprise", "university", "institute"}
	EmployerSizes = []string{"micro", "small", "medium", "large"}
)

// Employer verification statuses.
const (
	EmployerPending  = "pending"
	EmployerVerified = "verified"
)

// EmployerStatuses lists every employer verification status.
var EmployerStatuses = []string{EmployerPending, EmployerVerified}

// Degrees, lowest first: the order matters for "degree_min".
var Degrees = []string{"associate", "bachelor", "master", "doctor"}

// DegreeRank returns the position of d in Degrees, or -1.
func DegreeRank(d string) int { return slices.Index(Degrees, d) }

// Opening statuses.
const (
	OpeningDraft         = "draft"
	OpeningPendingReview = "pending_review"
	OpeningPublished     = "published"
	OpeningRejected      = "rejected"
	OpeningClosed        = "closed"
)

// OpeningStatuses lists every opening status.
var OpeningStatuses = []string{OpeningDraft, OpeningPendingReview, OpeningPublished, OpeningRejected, OpeningClosed}

// Event kinds.
var EventKinds = []string{"recruitment_week", "livestream", "job_fair"}

// OneOf reports whether v is in list.
func OneOf(v string, list []string) bool { return slices.Contains(list, v) }
