package domain

import (
	"cmp"
	"mime"
	"strings"
	"time"
	"unicode"
)

// Personal-data rights (PIPL): who read a graduate's résumé, the export of
// everything stored about a user, and the erasure of an account.

// ResumeView is one read of a graduate's résumé by an employer.
type ResumeView struct {
	ID       string    `json:"id"`
	Employer OrgRef    `json:"employer"`
	ViewedAt time.Time `json:"viewed_at"`
}

// OrgRef names an employer (id and name only).
type OrgRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Consent is the privacy notice an account accepted at registration, and when.
type Consent struct {
	NoticeVersion string    `json:"notice_version"`
	AcceptedAt    time.Time `json:"accepted_at"`
}

// ExportAccount is the account part of an export, with what the account's
// security holds of the person: when the address was verified (or last
// refused by its mail server), since when
// two-step sign-in is on and how many recovery codes are left (never the
// secret or the codes), and when the account was last active.
type ExportAccount struct {
	ID              string     `json:"id"`
	Role            Role       `json:"role"`
	Email           string     `json:"email"`
	Name            string     `json:"name"`
	CreatedAt       time.Time  `json:"created_at"`
	EmailVerifiedAt *time.Time `json:"email_verified_at"`
	// MailRefusedAt and MailRefusedReply: when the address's mail server
	// last refused it for good, and what it said (until proved again).
	MailRefusedAt    *time.Time `json:"mail_refused_at,omitempty"`
	MailRefusedReply string     `json:"mail_refused_reply,omitempty"`
	// EmailChange is a change of address waiting for its link: the new
	// address is data held of the person too (review36).
	EmailChange *EmailChange `json:"email_change,omitempty"`
	// EmailChangeRefused: the newest change asked for ended refused by the
	// new address's server (Me.EmailChangeRefused).
	EmailChangeRefused *EmailChangeRefusal `json:"email_change_refused,omitempty"`
	TwoStepSince       *time.Time          `json:"two_step_since"`
	RecoveryCodes      int                 `json:"recovery_codes_left"`
	LastActiveAt       *time.Time          `json:"last_active_at"`
}

// ExportApplication is one of the graduate's applications with every move.
type ExportApplication struct {
	ID          string            `json:"id"`
	Opening     EmployerOpening   `json:"opening"`
	Status      string            `json:"status"`
	CoverLetter string            `json:"cover_letter"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
	History     []ApplicationMove `json:"history"`
	// The event the application is credited to, if any (a privacy probe
	// found it, and the interview below, left out of the export).
	EventID    *string `json:"event_id"`
	EventTitle string  `json:"event_title,omitempty"`
	// Interview is the appointment, if one was given; InterviewSlots the
	// times offered to pick from.
	Interview      *Interview      `json:"interview,omitempty"`
	InterviewSlots []InterviewSlot `json:"interview_slots"`
}

// EmployerOpening names an opening and its employer.
type EmployerOpening struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Employer OrgRef `json:"employer"`
}

// ExportRegistration is a registration for an event.
type ExportRegistration struct {
	EventID     string     `json:"event_id"`
	Title       string     `json:"title"`
	StartsAt    time.Time  `json:"starts_at"`
	CheckinCode string     `json:"checkin_code"`
	CheckedInAt *time.Time `json:"checked_in_at"`
	CreatedAt   time.Time  `json:"created_at"`
}

// ExportWaitlisted is a full event's waitlist the graduate is on.
type ExportWaitlisted struct {
	EventID  string    `json:"event_id"`
	Title    string    `json:"title"`
	StartsAt time.Time `json:"starts_at"`
	// CreatedAt is when they joined it.
	CreatedAt time.Time `json:"created_at"`
}

// ExportPlacement is a placement the graduate holds or held.
type ExportPlacement struct {
	ID      string          `json:"id"`
	Opening EmployerOpening `json:"opening"`
	HiredOn string          `json:"hired_on"`
	Status  string          `json:"status"`
}

// PersonalData is everything stored about one user (GET /me/export). An
// employer's user gets its own account and its organisation as GET /me
// shows it (Profile), never data of the organisation's other users or its
// applicants.
type PersonalData struct {
	ExportedAt time.Time `json:"exported_at"`
	// Profile is the caller as GET /me shows it (CONTRACT.md names the
	// export's profile); Account and Graduate hold what is stored beside.
	Profile            *Me                  `json:"profile"`
	Account            ExportAccount        `json:"account"`
	Consent            *Consent             `json:"consent"`
	Graduate           *Graduate            `json:"graduate,omitempty"`
	Employer           *OrgRef              `json:"employer,omitempty"`
	Applications       []ExportApplication  `json:"applications"`
	Placements         []ExportPlacement    `json:"placements"`
	EventRegistrations []ExportRegistration `json:"event_registrations"`
	EventWaitlists     []ExportWaitlisted   `json:"event_waitlists"`
	SavedSearches      []SavedSearch        `json:"saved_searches"`
	SavedOpenings      []ExportSavedOpening `json:"saved_openings"`
	MailPreferences    MailPreferences      `json:"mail_preferences"`
	Sessions           []SessionInfo        `json:"sessions"`
	Notifications      []Notification       `json:"notifications"`
	ResumeViews        []ResumeView         `json:"resume_views"`
}

// ExportSavedOpening is one opening of a graduate's saved list in the
// export: which opening, and when it was saved.
type ExportSavedOpening struct {
	Opening EmployerOpening `json:"opening"`
	SavedAt time.Time       `json:"saved_at"`
}

// FileName names the export's download, by the day it was made.
func (d PersonalData) FileName() string {
	return "gradzone-my-data-" + d.ExportedAt.In(Shanghai).Format("20060102") + ".json"
}

// Erasure is what the store hands back after erasing an account: the
// résumé files to delete from the file store — the current one and every
// version submitted with an application.
type Erasure struct {
	ResumeFiles []string
}

// Pseudonym is the name an erased account shows wherever it still appears
// (placements, application histories): no one can be told from it, yet two
// erased accounts are told apart by the start of their opaque IDs.
func Pseudonym(userID string) string {
	short := strings.ReplaceAll(userID, "-", "")
	if len(short) > 8 {
		short = short[:8]
	}
	return "已注销用户 " + short
}

// PseudonymEmail is an erased account's address: in the reserved .invalid
// domain (RFC 2606), so no mail can reach anyone, and unique like the ID.
func PseudonymEmail(userID string) string { return "deleted-" + userID + "@invalid" }

// EventCalendarFilename names an event's calendar download by its title
// (a walk's downloads folder held event.ics, event (1).ics, …); the
// fallback for an old browser is event.ics.
func EventCalendarFilename(title string) string {
	name := fileNamePart(strings.TrimSpace(title))
	if name == "" {
		return "event.ics"
	}
	return name + ".ics"
}

// fileNamePart is s without the characters a file system or a header
// would misread, for a part of a download's name.
func fileNamePart(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return -1
		}
		return r
	}, s)
	// File systems take 255 bytes a name: 100 Chinese characters are 300
	// (a security probe); 60 and the extension fit.
	if r := []rune(s); len(r) > fileNameRunes {
		s = strings.TrimSpace(string(r[:fileNameRunes]))
	}
	return s
}

// fileNameRunes is how many characters of a title or a name a file name
// keeps.
const fileNameRunes = 60

// ResumeFilename names a graduate's résumé when it is saved: 简历-李华.pdf,
// so an employer's downloads do not overwrite one another. Characters a
// file system or a header would misread are left out of the name.
func ResumeFilename(graduateName string) string {
	name := fileNamePart(strings.TrimSpace(graduateName))
	if name == "" {
		return "简历.pdf"
	}
	return "简历-" + name + ".pdf"
}

// ResumeFallbackFilename is the résumé's plain ASCII name, for a client
// that reads only filename= (curl -J, older download tools): resume-LiHua.pdf
// from the letters and digits of a Latin name, else resume.pdf.
func ResumeFallbackFilename(graduateName string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return r
		}
		return -1
	}, graduateName)
	if ascii == "" {
		return "resume.pdf"
	}
	return "resume-" + ascii + ".pdf"
}

// Disposition is a download's Content-Disposition (RFC 6266 §4.3): a
// name outside ASCII goes as filename* (RFC 8187), and fallback (its
// printable ASCII but the quote, backslash and percent sign RFC 6266
// §4.3 warns of; "download" if nothing is left) as the filename= that
// clients reading only that one save as. mime.FormatMediaType alone gives
// filename* only.
func Disposition(kind, name, fallback string) string {
	v := mime.FormatMediaType(kind, map[string]string{"filename": name})
	if v == "" || !strings.Contains(v, "filename*=") {
		return cmp.Or(v, kind)
	}
	fallback = strings.Map(func(r rune) rune {
		if r <= ' ' || r >= unicode.MaxASCII || strings.ContainsRune(`"\%`, r) {
			return -1
		}
		return r
	}, fallback)
	kind, params, _ := strings.Cut(v, ";") // FormatMediaType lower-cases the kind
	return kind + `; filename="` + cmp.Or(fallback, "download") + `";` + params
}
