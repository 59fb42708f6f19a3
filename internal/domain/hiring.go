package domain

import "time"

// Application is a graduate's application to an opening.
type Application struct {
	ID          string    `json:"id"`
	OpeningID   string    `json:"opening_id"`
	GraduateID  string    `json:"graduate_id"`
	Status      string    `json:"status"`
	CoverLetter string    `json:"cover_letter"`
	EventID     *string   `json:"event_id"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Stale is true when the employer has not moved it for 7 days.
	Stale       bool                `json:"stale"`
	Opening     *ApplicationOpening `json:"opening,omitempty"`
	Applicant   *Applicant          `json:"applicant,omitempty"`
	History     []ApplicationMove   `json:"history,omitempty"`
	PlacementID *string             `json:"placement_id,omitempty"`
	// PlacementRevoked: the hire's placement was revoked by staff (a
	// duplicate or a wrong record): the application stays hired, as its
	// history says, but counts toward nothing (a numbers probe read 已录用
	// everywhere after a revoke).
	PlacementRevoked bool `json:"placement_revoked,omitempty"`
	// HiredOn is the hire's start date (YYYY-MM-DD, the month it counts
	// in), "" before the hire. The site shows it; the API gives the
	// placement.
	HiredOn string `json:"-"`
	// PlacedElsewhere: the graduate of this offered or accepted application
	// was hired through another one this year, and one placement a year is
	// the rule, so this one can no longer end in a hire.
	PlacedElsewhere bool `json:"placed_elsewhere,omitempty"`
	// Interview is the appointment given with the move to interview, if
	// one was given; it stays on the application afterwards.
	Interview *Interview `json:"interview,omitempty"`
	// InterviewSlots are the times offered to pick from, if the employer
	// offered several; the picked one is also the Interview.
	InterviewSlots []InterviewSlot `json:"interview_slots,omitempty"`
	// SlotsOffered is how many times were offered, read with lists that do
	// not load InterviewSlots: the board says they wait for the pick.
	SlotsOffered int `json:"-"`
}

// ApplicationOpening is what an application shows of its opening.
type ApplicationOpening struct {
	ID           string  `json:"id"`
	Title        string  `json:"title"`
	EmployerID   string  `json:"employer_id"`
	EmployerName string  `json:"employer_name"`
	ZoneCode     *string `json:"zone_code"`
	ProvinceCode string  `json:"province_code"`
	// Closed: the opening takes no more applications (its graduate's row
	// says so; a verify walk read 已投递 alone).
	Closed bool `json:"closed"`
}

// Applicant is what an application shows of the graduate. The phone is
// masked except to employers the graduate applied to.
type Applicant struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Email          string   `json:"email,omitempty"`
	University     string   `json:"university"`
	Degree         string   `json:"degree"`
	Major          string   `json:"major"`
	GraduationYear int      `json:"graduation_year"`
	Phone          string   `json:"phone"`
	Skills         []string `json:"skills"`
	Statement      string   `json:"statement"`
	HasResume      bool     `json:"has_resume"`
}

// ApplicationMove is one recorded step of an application.
type ApplicationMove struct {
	From      *string   `json:"from"`
	To        string    `json:"to"`
	ActorID   string    `json:"actor_id"`
	ActorRole string    `json:"actor_role"`
	Note      string    `json:"note"`
	At        time.Time `json:"at"`
	// Kind is empty on a move of status; StepPlacementRevoked on the step
	// that says staff revoked the hire's placement (Revocation.Step).
	Kind string `json:"kind,omitempty"`
	// ByZh and ByEn name, on a revoke step, the office that revoked
	// (ReviewerNames: 成都高新区管委会, 四川省主管部门, 工信部火炬中心) for
	// the pages; "" when its account is gone. The API has actor_role.
	ByZh string `json:"-"`
	ByEn string `json:"-"`
}

// By is the name of the office that made the step (a revoke's) in lang,
// "" when it is not known.
func (m ApplicationMove) By(lang string) string {
	if lang == "en" {
		return m.ByEn
	}
	return m.ByZh
}

// StepPlacementRevoked is the Kind of the step of an application's history
// that says staff revoked its hire's placement: no move of status (from and
// to are both hired), so a client that reads the history as moves reads
// hired → hired, and the pages say 录用已撤销.
const StepPlacementRevoked = "placement_revoked"

// IsRevocation tells whether the step is the revoke of the hire's placement.
func (m ApplicationMove) IsRevocation() bool { return m.Kind == StepPlacementRevoked }

// Revocation is a revoked placement as its application's history tells it:
// when (revoked_at), by whom, and the reason staff gave. PlaceZh and
// PlaceEn are the names of the revoking account's zone, or province when
// it has no zone ("" for the ministry).
type Revocation struct {
	At        time.Time
	ActorID   string
	ActorRole string
	Reason    string
	PlaceZh   string
	PlaceEn   string
}

// Step is the revoke as the last step of its application's history, read
// by caller c. The reason goes to the employer and to staff, never to the
// graduate: it is written for the record by staff to the employer that
// recorded the hire (a duplicate, a wrong record, a hire that never
// started), and revokes before this step existed were written with no
// graduate reading them. The graduate's page says instead that the hire no
// longer counts and to ask the employer.
func (r Revocation) Step(c Caller) ApplicationMove {
	hired := AppHired
	m := ApplicationMove{From: &hired, To: AppHired, ActorID: r.ActorID, ActorRole: r.ActorRole, At: r.At, Kind: StepPlacementRevoked}
	// Who revoked is named to both sides (a walk: the employer needs to
	// know whom to call, and the graduate whom the employer will ask).
	if r.ActorRole != "" {
		m.ByZh, m.ByEn = ReviewerNames(Role(r.ActorRole), r.PlaceZh, r.PlaceEn)
	}
	if c.Role != RoleGraduate {
		m.Note = r.Reason
	}
	return m
}

// StaleAfter is how long an application may wait for the employer's first
// move before it is flagged: no black hole.
const StaleAfter = 7 * 24 * time.Hour

// Placement is a graduate hired into an opening: counted once, for the
// employer's zone, province and the nation in the month of HiredOn.
type Placement struct {
	ID            string `json:"id"`
	ApplicationID string `json:"application_id"`
	OpeningID     string `json:"opening_id"`
	OpeningTitle  string `json:"opening_title"`
	EmployerID    string `json:"employer_id"`
	EmployerName  string `json:"employer_name"`
	GraduateID    string `json:"graduate_id"`
	GraduateName  string `json:"graduate_name"`
	// GraduatePhone is only used masked, in exports.
	GraduatePhone string     `json:"-"`
	ZoneCode      *string    `json:"zone_code"`
	ProvinceCode  string     `json:"province_code"`
	HiredOn       string     `json:"hired_on"`
	Year          int        `json:"year"`
	Month         int        `json:"month"`
	Status        string     `json:"status"`
	EventID       *string    `json:"event_id"`
	RevokedAt     *time.Time `json:"revoked_at"`
	RevokeReason  *string    `json:"revoke_reason"`
	CreatedAt     time.Time  `json:"created_at"`
}

// MayRevoke is the one rule of who may revoke placement p: staff who see
// it (the zone admin of its zone, the province admin of its province, the
// ministry). The store checks it; the staff page offers the action by it.
func (c Caller) MayRevoke(p Placement) bool { return c.Role.IsStaff() && c.Sees(p.Scope()) }

// ReadBy is the placement as caller c reads it: a graduate reads that
// its hire was revoked and when, not the reason, which staff wrote for
// the employer and the record (see Revocation.Step).
func (p Placement) ReadBy(c Caller) Placement {
	if c.Role == RoleGraduate {
		p.RevokeReason = nil
	}
	return p
}

// Scope returns where the placement counts.
func (p Placement) Scope() Scope {
	s := Scope{EmployerID: p.EmployerID, GraduateID: p.GraduateID, ProvinceCode: p.ProvinceCode}
	if p.ZoneCode != nil {
		s.ZoneCode = *p.ZoneCode
	}
	return s
}

// HireDate reads the hired_on of a hire of an application made at applied,
// recorded at now. It is a date (YYYY-MM-DD), not after today and not
// before the day the graduate applied (Asia/Shanghai), nor more than 400
// days back. A hire is often recorded late, but one dated before its
// application would put a placement in a month, or a year, the graduate
// had not yet applied in: a way around one placement a year.
// Errors: validation_failed on hired_on.
func HireDate(hiredOn string, applied, now time.Time) (Date, error) {
	d, ok := ParseDate(hiredOn)
	today := DateOf(now)
	switch {
	case hiredOn == "":
		return d, FieldError("hired_on", "is required to hire (YYYY-MM-DD)")
	case !ok:
		return d, FieldError("hired_on", "must be a date YYYY-MM-DD")
	case today.Before(d):
		return d, FieldError("hired_on", "cannot be in the future (Asia/Shanghai)")
	case d.Before(DateOf(applied)):
		return d, FieldError("hired_on", "cannot be before the application was made (Asia/Shanghai)")
	case d.Before(today.AddDays(-400)):
		return d, FieldError("hired_on", "is too far in the past")
	}
	return d, nil
}

// ReasonOnlyToHire refuses a hire date sent with another move.
const ReasonOnlyToHire = "only with a move to hired"

// Transition is a requested move of an application.
type Transition struct {
	To      string
	Note    string
	HiredOn string
	// Interview is the appointment as a door received it (only with To
	// interview); Scheduled is it checked, which app.Transition sets and
	// the store records.
	Interview *InterviewInput
	Scheduled *Interview
	// Slots are the times offered for the graduate to pick from (only
	// with To interview, instead of Interview); Offered is them checked.
	Slots   []InterviewInput
	Offered []Interview
}

// Validate checks a move's note, which the other side reads: text of at
// most 1000 characters.
func (t *Transition) Validate() error {
	var v Validation
	v.Text(&t.Note, 0, 1000, "note", "must be at most 1000 characters")
	return v.Err()
}

// AwaitingEmployer are the statuses of an application that waits on its
// employer's next move.
var AwaitingEmployer = []string{AppSubmitted, AppShortlisted, AppInterview}
