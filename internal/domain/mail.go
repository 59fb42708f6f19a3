package domain

import (
	"slices"
	"time"
)

// MailKind names a kind of mail the site sends. Each kind is one entry of
// MailKinds and one template pair in internal/app/mailtmpl.
type MailKind string

// The kinds of mail.
const (
	// MailVerifyEmail carries the link that proves the address (Data:
	// "token").
	MailVerifyEmail MailKind = "verify_email"
	// MailPasswordReset carries the link that sets a new password (Data:
	// "token").
	MailPasswordReset MailKind = "password_reset"
	// MailConfirmEmail carries, to the new address of a change of address
	// (POST /me/email), the link that confirms it and makes the switch
	// (Data: "token_id"; the address is the token's, read at send time).
	MailConfirmEmail MailKind = "confirm_email"
	// MailApplicationStatus tells the graduate an application moved (Data:
	// application_id, opening_title, employer_name, status; with an
	// interview also starts_at, ends_at, location, online_url, sequence
	// and method, which add a calendar invitation).
	MailApplicationStatus MailKind = "application_status"
	// MailOpeningClosed tells a graduate still waiting on the employer that
	// the opening closed; the application stands (Data: application_id,
	// opening_title, employer_name).
	MailOpeningClosed MailKind = "opening_closed"
	// MailSavedSearchAlert tells the graduate a new opening matches a
	// saved search (Data: saved_search_id, search_name, opening_id,
	// opening_title, employer_name); it carries a one-click unsubscribe.
	MailSavedSearchAlert MailKind = "saved_search_alert"
	// MailAlertDigest gathers a saved search's new openings of a day or a
	// week (Data: saved_search_id, search_name, frequency, count, items:
	// a JSON list of {opening_id, opening_title, employer_name}); it
	// carries a one-click unsubscribe.
	MailAlertDigest MailKind = "saved_search_digest"
	// MailPlacementRevoked tells the graduate that staff revoked the
	// record of a hire: it no longer counts (Data: application_id,
	// opening_title, employer_name, reviewer_zh and reviewer_en naming the
	// office; never the reason, which is the employer's and staff's).
	MailPlacementRevoked MailKind = "placement_revoked"
	// MailInterviewReminder reminds the graduate of an interview the day
	// before (Data: as MailApplicationStatus with an interview).
	MailInterviewReminder MailKind = "interview_reminder"
	// MailApplicantDigest tells an employer's users of the applications
	// that came in on a day (Data: date, count, items: a JSON list of
	// {application_id, opening_title, graduate_name}).
	MailApplicantDigest MailKind = "applicant_digest"
	// MailApplicantAnswered tells an employer's users that a graduate
	// answered them: picked an interview time (with its calendar entry),
	// accepted or declined the offer, or withdrew the application (Data:
	// as MailApplicationStatus, and graduate_name). It also keeps that
	// calendar entry in step with the employer's own later changes (Data:
	// employer_change), under the switch that delivered the entry.
	MailApplicantAnswered MailKind = "applicant_answered"
	// MailEmployerVerified tells an employer's users that staff verified
	// it (Data: employer_name).
	MailEmployerVerified MailKind = "employer_verified"
	// MailEmployerReturned tells an employer's users that staff returned
	// its registration for correction (Data: employer_name, reason).
	MailEmployerReturned MailKind = "employer_returned"
	// MailOpeningReviewed tells an employer's users that an opening was
	// approved or rejected (Data: opening_id, opening_title, decision
	// "approved"|"rejected", reason).
	MailOpeningReviewed MailKind = "opening_reviewed"
	// MailReportDue tells zone staff the month's report is due in 3 days
	// (Data: zone_name, year, month, due).
	MailReportDue MailKind = "report_due"
	// MailReportOverdue tells zone staff a report is past its due date
	// (Data: as MailReportDue).
	MailReportOverdue MailKind = "report_overdue"
	// MailReportReturned tells zone staff that their report of a month was
	// returned, with the reason, to correct and submit again (Data: as
	// MailReportDue, and reason).
	MailReportReturned MailKind = "report_returned"
	// MailReportChase is the province's 催报: a reminder from province
	// staff to submit a month's report (Data: as MailReportDue, and
	// province_name).
	MailReportChase MailKind = "report_chase"
	// MailReportSubmitted tells the province's staff that a zone's report
	// awaits their review (Data: as MailReportDue, version, and note when
	// the zone wrote one: 填报说明).
	MailReportSubmitted MailKind = "report_submitted"
	// MailReportAccepted tells zone staff that their report was accepted
	// (Data: as MailReportDue, version, reviewer_zh and reviewer_en).
	MailReportAccepted MailKind = "report_accepted"
	// MailProvinceReportSubmitted tells the ministry's staff that a
	// province reported a month (Data: province, province_name,
	// province_name_en, year, month).
	MailProvinceReportSubmitted MailKind = "province_report_submitted"
	// MailEventRegistered confirms a graduate's event registration with
	// its check-in QR code (Data: EventMailData; the check-in token is
	// signed at send time, never stored in the job).
	MailEventRegistered MailKind = "event_registered"
	// MailEventReminder reminds a registered graduate the day before the
	// event, with the same QR code (Data: EventMailData).
	MailEventReminder MailKind = "event_reminder"
	// MailEventChanged tells a registered graduate that the event's time or
	// place changed, with the new calendar entry (Data: EventMailData).
	MailEventChanged MailKind = "event_changed"
	// MailEventCancelled tells a registered graduate that staff cancelled
	// the event, with the cancellation of its calendar entry (Data:
	// EventMailData and reason).
	MailEventCancelled MailKind = "event_cancelled"
	// MailEventWithdrawn confirms a graduate's withdrawal from an event,
	// with the cancellation of its calendar entry (Data: EventMailData).
	MailEventWithdrawn MailKind = "event_withdrawn"
	// MailSecurityNotice tells a user that the account's password or
	// two-step sign-in changed, or that it was signed in to from a new
	// device, or that a change of its address was asked for, and from where,
	// so an owner learns of a takeover (Data: change, see SecurityNoticeData;
	// at_local; client; address; for email_change also new_email and "to",
	// the address it warns, which the mail goes to even after the change).
	MailSecurityNotice MailKind = "security_notice"
)

// operatorChanges are the changes an operator makes from the command line,
// with what the notice says was done.
var operatorChanges = map[string][2]string{
	"totp_cleared": {"清除了您账户的两步验证（恢复码一并作废）", "cleared two-step sign-in on your account (its recovery codes too)"},
	"password_set": {"为您的账户设置了新密码", "set a new password for your account"},
}

// SecurityNoticeData is what a MailSecurityNotice says: the change to the
// account's sign-in (password_changed, password_reset, totp_on, totp_off,
// recovery_codes; totp_cleared and password_set by an operator) or a
// sign-in from a new device (new_sign_in, see NewDeviceAfter) in both
// languages, when (Beijing time) and from which client. An operator's
// change names no client (it was made on the server) but what was done and
// that every session ended ("operator").
func SecurityNoticeData(change string, at time.Time, from Client) map[string]string {
	words := map[string][2]string{
		"password_changed": {"修改了密码", "password was changed"},
		"password_reset":   {"通过邮件链接重设了密码", "password was reset through a mailed link"},
		"totp_on":          {"开启了两步验证", "two-step sign-in was turned on"},
		"totp_off":         {"关闭了两步验证", "two-step sign-in was turned off"},
		"totp_cleared":     {"由管理员清除了两步验证", "two-step sign-in was cleared by an administrator"},
		"password_set":     {"由管理员重设了密码", "password was set by an administrator"},
		"recovery_codes":   {"生成了新的恢复码（旧的已失效）", "recovery codes were replaced"},
		"new_sign_in":      {"在一台新的设备上登录", "sign-in from a new device"},
		"email_change":     {"申请更换登录邮箱", "change of e-mail address requested"},
		"email_changed":    {"更换了登录邮箱", "e-mail address was changed"},
	}[change]
	client, address := from.Summary()
	clientEn := client
	if client == "" { // no browser named: "设备：（127.0.0.*）" read as a fault (a review)
		client, clientEn = "未知设备", "an unknown device"
	}
	d := map[string]string{"change": change, "change_zh": words[0], "change_en": words[1],
		"at_local": at.In(Shanghai).Format("2006-01-02 15:04"), "client": client, "client_en": clientEn, "address": address}
	switch change { // not "Your account's …" as a change reads
	case "new_sign_in":
		d["notice_en"] = "Your account was signed in to from a new device"
	case "email_change":
		d["notice_en"] = "A change of your account's e-mail address was requested"
	case "email_changed":
		d["notice_en"] = "Your account's e-mail address was changed"
	}
	if did, ok := operatorChanges[change]; ok {
		d["operator"], d["operator_zh"], d["operator_en"] = "1", did[0], did[1]
	}
	return d
}

// MailKindInfo is one entry of the mail-kind registry.
type MailKindInfo struct {
	Kind MailKind
	// ToUnverified: the kind goes to an address that is not verified yet.
	// Only the two mails that exist to prove or recover an address do
	// (contract: an unverified address receives no other mail).
	ToUnverified bool
	// Fixed: the user cannot turn the kind off (it is the only way to
	// prove or recover an address, or an official duty of staff).
	Fixed bool
	// Roles are the roles that receive the kind: the preferences page shows
	// each user the switches of its role.
	Roles []Role
}

// MailKinds is the registry of mail kinds. Adding a kind is adding a row
// here and its templates.
var MailKinds = []MailKindInfo{
	{Kind: MailVerifyEmail, ToUnverified: true, Fixed: true, Roles: Roles},
	{Kind: MailPasswordReset, ToUnverified: true, Fixed: true, Roles: Roles},
	// Goes to the new address of a change, which nothing has proved yet.
	{Kind: MailConfirmEmail, ToUnverified: true, Fixed: true, Roles: Roles},
	{Kind: MailApplicationStatus, Roles: []Role{RoleGraduate}},
	{Kind: MailInterviewReminder, Roles: []Role{RoleGraduate}},
	{Kind: MailSavedSearchAlert, Roles: []Role{RoleGraduate}},
	{Kind: MailAlertDigest, Roles: []Role{RoleGraduate}},
	{Kind: MailOpeningClosed, Roles: []Role{RoleGraduate}},
	// A revoke is staff correcting the graduate's own record, not news of
	// an employer's move: it happens once a hire at most, changes what the
	// record says of the graduate (the hire no longer counts; another offer
	// may now be accepted), and a graduate who muted status mail would learn
	// it only by signing in. It cannot be muted.
	{Kind: MailPlacementRevoked, Fixed: true, Roles: []Role{RoleGraduate}},
	{Kind: MailApplicantDigest, Roles: []Role{RoleEmployer}},
	{Kind: MailApplicantAnswered, Roles: []Role{RoleEmployer}},
	{Kind: MailEmployerVerified, Roles: []Role{RoleEmployer}},
	// A return asks the employer to act: it cannot be muted.
	{Kind: MailEmployerReturned, Fixed: true, Roles: []Role{RoleEmployer}},
	{Kind: MailOpeningReviewed, Roles: []Role{RoleEmployer}},
	{Kind: MailReportDue, Roles: RolesAt(LevelZone)},
	{Kind: MailReportOverdue, Roles: RolesAt(LevelZone)},
	// A province's 催报 is an instruction, not a notice the zone may mute;
	// nor is a returned report, the one state the zone must act in.
	{Kind: MailReportChase, Fixed: true, Roles: RolesAt(LevelZone)},
	{Kind: MailReportReturned, Fixed: true, Roles: RolesAt(LevelZone)},
	// The report cycle's next step, by mail as on the site: each level
	// learns when the one below has acted (a month-end walk). Notices, so
	// a reader who watches the site's to-do may turn them off.
	{Kind: MailReportSubmitted, Roles: RolesAt(LevelProvince)},
	{Kind: MailReportAccepted, Roles: RolesAt(LevelZone)},
	{Kind: MailProvinceReportSubmitted, Roles: RolesAt(LevelNation)},
	{Kind: MailEventRegistered, Roles: []Role{RoleGraduate}},
	{Kind: MailEventReminder, Roles: []Role{RoleGraduate}},
	// A graduate who muted event mails would still travel to a fair that
	// moved or was called off: these two cannot be muted.
	{Kind: MailEventChanged, Fixed: true, Roles: []Role{RoleGraduate}},
	{Kind: MailEventCancelled, Fixed: true, Roles: []Role{RoleGraduate}},
	{Kind: MailEventWithdrawn, Roles: []Role{RoleGraduate}},
	// The owner's one warning of a takeover: it cannot be muted (an account
	// walk changed the password, reset it and turned two-step sign-in on
	// and off, and no mail said so).
	{Kind: MailSecurityNotice, Fixed: true, Roles: Roles},
}

// For reports whether the kind concerns role.
func (i MailKindInfo) For(role Role) bool {
	for _, r := range i.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Mutable reports whether a user may turn k off: a mail of it carries a
// one-click unsubscribe (RFC 8058), an alert's for its saved search, any
// other's for the kind.
func (k MailKind) Mutable() bool {
	i, ok := k.Info()
	return ok && !i.Fixed
}

// Info returns the kind's registry entry.
func (k MailKind) Info() (MailKindInfo, bool) {
	for _, i := range MailKinds {
		if i.Kind == k {
			return i, true
		}
	}
	return MailKindInfo{}, false
}

// MailRequest asks for one mail to one user. It travels as the arguments
// of a mail job, inserted in the transaction of the change that causes the
// mail; the job renders and sends it.
type MailRequest struct {
	Kind   MailKind `json:"kind"`
	UserID string   `json:"user_id"`
	// Data fills the template (a token, an opening's ID, a status, …):
	// strings only, so the job's arguments stay plain JSON.
	Data map[string]string `json:"data,omitempty"`
	// Key, when set, is the send key: two requests with the same key send
	// one mail. Empty: the job's own ID is the key.
	Key string `json:"key,omitempty"`
}

// MailRecipient is what deciding on and addressing a mail needs to know of
// a user.
type MailRecipient struct {
	UserID   string
	Email    string
	Name     string
	Role     Role
	Verified bool
	// Off are the kinds the user turned off (MailPreferences).
	Off []MailKind
	// Language is the language the mail puts first (zh or en).
	Language string
	// Disabled: a staff account an operator disabled (an official who
	// left), which receives nothing.
	Disabled bool
}

// MayReceive is the one rule on who gets which mail: an unverified address
// receives only the kinds marked ToUnverified; a kind the user turned off
// is not sent unless it is Fixed; an unknown kind and a disabled account
// get nothing.
func MayReceive(r MailRecipient, k MailKind) bool {
	info, ok := k.Info()
	if !ok || r.Email == "" || r.Disabled {
		return false
	}
	if !info.Fixed && slices.Contains(r.Off, k) {
		return false
	}
	return r.Verified || info.ToUnverified
}

// MailMessage is a rendered mail, ready for the mail adapter.
type MailMessage struct {
	To      []string
	Subject string
	Text    string
	HTML    string
	// Headers are extra header lines (List-Unsubscribe, …), in order.
	Headers []MailHeader
	// Alternatives are further renderings after text and HTML (an
	// invitation's text/calendar part).
	Alternatives []MailPart
	Attachments  []MailAttachment
	// MessageID is the Message-ID's part before "@" (the adapter adds the
	// sender's domain), derived from the send key so that a mail sent again
	// after a crash carries the same ID.
	MessageID string
}

// MailHeader is one extra header line.
type MailHeader struct{ Name, Value string }

// MailPart is an alternative body with its full content type.
type MailPart struct {
	ContentType string
	Body        string
}

// MailAttachment is a file sent with a mail.
type MailAttachment struct {
	Name        string
	ContentType string
	Data        []byte
	// ContentID, when set, embeds the file inline (an image the HTML part
	// shows as cid:<ContentID>) instead of attaching it.
	ContentID string
}

// TokenPurpose is what a one-time account token (sent by mail) is for.
type TokenPurpose string

// The token purposes and how long each token works.
const (
	TokenVerifyEmail   TokenPurpose = "verify_email"
	TokenPasswordReset TokenPurpose = "password_reset"
	// TokenChangeEmail confirms a change of address (EmailChange): its
	// email is the new address; it works for VerifyEmailTTL.
	TokenChangeEmail TokenPurpose = "change_email"
	// VerifyEmailTTL is long: people open sign-up mail days later.
	VerifyEmailTTL = 7 * 24 * time.Hour
	// PasswordResetTTL is short (contract: 30 minutes): a reset link is a
	// key to the account.
	PasswordResetTTL = 30 * time.Minute
)

// VerifiedAddress is what a verification link proved: the address (the
// page names it: an owner of two accounts asked which), and the account's
// mail language (the page answers in it).
type VerifiedAddress struct {
	Email, Language string
	// Changed: the link confirmed a change of address; Email is the
	// account's address now.
	Changed bool
	// ChangeLink: a link that could not be spent was a change of
	// address's (its page is headed as one, not as a verification).
	ChangeLink bool
}

// EmailChange is a change of address asked for and not yet confirmed: the
// new address, and until when its link works. Nothing changes until the
// link mailed to the new address is followed; a newer request replaces it,
// a new or reset password cancels it.
type EmailChange struct {
	Email   string    `json:"email"`
	Expires time.Time `json:"expires_at"`
}

// EmailChangeRefusal is a change of address that ended because the new
// address's mail server refused its confirmation mail for good
// (MailRefused): the address, when, and the server's reply. The account's
// own address is not touched; the account's page says so until the user
// asks for a change again.
type EmailChangeRefusal struct {
	Email string    `json:"email"`
	At    time.Time `json:"at"`
	Reply string    `json:"reply"`
}

// AccountToken is a one-time token about to be stored: Token goes into the
// mail only, Hash is what the database keeps, ID names the row; the token is
// derived from the ID with the server's key (auth.Links.MailToken), so the
// mail job carries the ID, never the token.
type AccountToken struct {
	ID      string
	Purpose TokenPurpose
	Token   string
	Hash    string
	Expires time.Time
}

// Reasons answered for tokens and passwords.
const (
	ReasonBadToken = "is invalid, used or expired"
	// ReasonVerifiedAlready answers a verification link of an address that
	// is verified: opened twice, or after a newer link (or a reset) proved it.
	ReasonVerifiedAlready   = "is no longer needed: the address is verified"
	ReasonWrongPassword     = "is incorrect"
	ReasonPasswordUnchanged = "must differ from the current password"
	// ReasonEmailUnchanged answers a change of address to the one the
	// account has.
	ReasonEmailUnchanged = "is already your address"
)
