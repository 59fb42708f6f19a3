package domain

import "time"

// User is an account as the API shows it.
type User struct {
	ID    string `json:"id"`
	Role  Role   `json:"role"`
	Email string `json:"email"`
	Name  string `json:"name"`
	// Disabled: an operator disabled the account (`gradzone user
	// disable`); it may not sign in. Not part of the API's user.
	Disabled bool `json:"-"`
}

// Province is a provincial-level division.
type Province struct {
	Code   string `json:"code"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
}

// Zone is a national high-tech zone.
type Zone struct {
	Code         string `json:"code"`
	NameZh       string `json:"name_zh"`
	NameEn       string `json:"name_en"`
	ProvinceCode string `json:"province_code"`
	ProvinceZh   string `json:"province_zh,omitempty"`
	CityZh       string `json:"city_zh"`
	ApprovedYear *int   `json:"approved_year"`
}

// ZoneRef is the short form of a zone inside other objects.
type ZoneRef struct {
	Code   string `json:"code"`
	NameZh string `json:"name_zh"`
}

// OrgDetails are what an organisation states about itself, but its zone:
// an Employer carries them, and so does what it states at sign-up or in a
// correction (Organisation).
type OrgDetails struct {
	Name         string `json:"name"`
	CreditCode   string `json:"credit_code"`
	Type         string `json:"type"`
	Size         string `json:"size"`
	Industry     string `json:"industry"`
	ProvinceCode string `json:"province_code"`
}

// Employer is an organisation that posts openings.
type Employer struct {
	ID string `json:"id"`
	OrgDetails
	ZoneCode   *string    `json:"zone_code"`
	Status     string     `json:"status"`
	VerifiedAt *time.Time `json:"verified_at"`
	CreatedAt  time.Time  `json:"created_at"`
	// ReturnReason is what staff asked a pending employer to correct
	// (ReturnedAt when), until the employer corrects its details.
	ReturnReason string     `json:"return_reason,omitempty"`
	ReturnedAt   *time.Time `json:"returned_at,omitempty"`
}

// Scope returns where the employer belongs.
func (e Employer) Scope() Scope {
	s := Scope{EmployerID: e.ID, ProvinceCode: e.ProvinceCode}
	if e.ZoneCode != nil {
		s.ZoneCode = *e.ZoneCode
	}
	return s
}

// EmployerDetails is what staff in scope read of an employer before and
// after verifying it: what it registered, the people behind it and how to
// reach them, what it has posted, and who verified it.
type EmployerDetails struct {
	Employer
	Accounts []EmployerAccount `json:"accounts"`
	// OpeningsByStatus counts its openings by status (absent: none).
	OpeningsByStatus map[string]int64 `json:"openings_by_status"`
	// VerifiedByName is the staff member who verified it ("" while pending).
	VerifiedByName string `json:"verified_by_name"`
	// Openings are its latest openings (MaxListedEmployerOpenings), last
	// changed first, with a rejection's reason: what staff answer the
	// employer's call with.
	Openings []StaffOpening `json:"openings"`
	// CreditCodeProvince is the province the credit code was registered
	// in ("" when it names none): the verifier compares it with the
	// province the employer stated (OrgDetails.RegisteredElsewhere).
	CreditCodeProvince string `json:"credit_code_province"`
}

// MaxListedEmployerOpenings bounds EmployerDetails.Openings.
const MaxListedEmployerOpenings = 50

// StaffOpening is one of an employer's openings as staff see it.
type StaffOpening struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Status       string    `json:"status"`
	RejectReason *string   `json:"reject_reason"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// EmployerAccount is one live user account of an employer, as staff see it.
type EmployerAccount struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
	// MailRefused: the address's mail server refused the site's mail for
	// good (Me.MailRefused): why it is not verified, which staff helping
	// the employer need to know.
	MailRefused bool      `json:"mail_refused,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Graduate is a graduate's profile.
type Graduate struct {
	UserID          string     `json:"user_id"`
	University      string     `json:"university"`
	Degree          string     `json:"degree"`
	Major           string     `json:"major"`
	GraduationYear  int        `json:"graduation_year"`
	Phone           string     `json:"phone"`
	PreferredCities []string   `json:"preferred_cities"`
	Skills          []string   `json:"skills"`
	Statement       string     `json:"statement"`
	HasResume       bool       `json:"has_resume"`
	ResumeUploaded  *time.Time `json:"resume_uploaded_at"`
	// PlacedThisYear warns before applying: a graduate holds one placement a year.
	PlacedThisYear bool `json:"placed_this_year"`
}

// MaskPhone shows a mobile number as 138****1234.
func MaskPhone(p string) string {
	if len(p) != 11 {
		return p
	}
	return p[:3] + "****" + p[7:]
}

// MailRefusal is when the address's mail server refused it, and its reply.
type MailRefusal struct {
	At    time.Time `json:"at"`
	Reply string    `json:"reply"`
}

// Me is what GET /me returns.
type Me struct {
	User
	// EmailVerified: the address was proved by its verification link (or a
	// password reset); until then it receives only those two mails.
	EmailVerified bool `json:"email_verified"`
	// MailRefused: the address's mail server refused the site's mail for
	// good; the address is unverified until proved again (nil: never, or
	// proved since).
	MailRefused *MailRefusal `json:"mail_refused,omitempty"`
	// EmailChange is a change of address waiting for its link to be
	// followed (POST /me/email), nil when none is.
	EmailChange *EmailChange `json:"email_change,omitempty"`
	// EmailChangeRefused: the newest change of address asked for ended
	// because the new address's server refused its confirmation mail for
	// good (nil otherwise, and once a change is asked for again).
	EmailChangeRefused *EmailChangeRefusal `json:"email_change_refused,omitempty"`
	Employer           *Employer           `json:"employer,omitempty"`
	Graduate           *Graduate           `json:"graduate,omitempty"`
	Zone               *Zone               `json:"zone,omitempty"`
	Province           *Province           `json:"province,omitempty"`
}

// Session is what register, login and refresh return.
type Session struct {
	User         User   `json:"user"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
}
