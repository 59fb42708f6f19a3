package domain

import "time"

// CodeTOTPRequired answers a sign-in with the right password to an account
// with two-factor sign-in on but no code: the client asks for the code and
// signs in again with it (401, no tokens).
const CodeTOTPRequired Code = "totp_required"

// ErrTOTPRequired is the answer to a sign-in that needs a code.
var ErrTOTPRequired = &Error{Code: CodeTOTPRequired, Message: "enter the code of your authenticator app (or a recovery code)"}

// ErrTOTPOff refuses what needs two-factor sign-in on (turning it off, new
// recovery codes) while it is off.
var ErrTOTPOff = &Error{Code: CodeInvalidState, Message: "two-factor sign-in is not on"}

// ErrWrongTOTP is the answer to a sign-in with the right password and a
// wrong, used or expired code. It is a failed sign-in like a wrong password
// (the same code, so the throttle counts it), with its own message.
var ErrWrongTOTP = &Error{Code: CodeInvalidCredentials, Message: "the two-factor code is wrong or was already used"}

// ReasonWrongTOTP is the field reason for a code that is not accepted.
const ReasonWrongTOTP = "is not a current code of your authenticator app or an unused recovery code"

// ReasonWrongNewTOTP is the reason for a wrong code while turning two-step
// sign-in on: there are no recovery codes yet to speak of.
const ReasonWrongNewTOTP = "is not a current code of your authenticator app"

// RecoveryCodeCount is how many one-time recovery codes turning two-factor
// sign-in on makes.
const RecoveryCodeCount = 8

// TOTPIssuer names the site in authenticator apps.
const TOTPIssuer = "gradzone"

// TOTPState is what the store keeps of a user's two-factor sign-in.
type TOTPState struct {
	// Sealed is the encrypted secret ("" when none: never enrolled or off).
	Sealed string
	// EnabledAt is when a confirmed code turned it on (nil while enrolling).
	EnabledAt *time.Time
	// LastStep is the time step of the last code accepted.
	LastStep int64
	// RecoveryLeft counts the unused recovery codes.
	RecoveryLeft int
}

// Enabled reports whether sign-in needs a code.
func (s TOTPState) Enabled() bool { return s.EnabledAt != nil }

// TOTPStatus is what GET /me/totp shows.
type TOTPStatus struct {
	Enabled           bool       `json:"enabled"`
	EnabledAt         *time.Time `json:"enabled_at"`
	RecoveryCodesLeft int        `json:"recovery_codes_left"`
}

// TOTPEnrolment is a new secret to add to an authenticator app: the key to
// type, the otpauth:// URL and a PNG of its QR code (a data: URL). Nothing
// changes at sign-in until a code from it is confirmed.
type TOTPEnrolment struct {
	Secret string `json:"secret"`
	URL    string `json:"otpauth_url"`
	QR     string `json:"qr_png"`
}

// RecoveryCodes are shown once, when made; only their hashes are kept.
type RecoveryCodes struct {
	Codes []string `json:"recovery_codes"`
}
