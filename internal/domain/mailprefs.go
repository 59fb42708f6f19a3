package domain

import (
	"slices"
	"time"
)

// MailPreferences are the user's mail settings (GET/PUT
// /me/notifications/preferences and the page /account/notifications).
type MailPreferences struct {
	// Kinds says, for each kind the user's role receives, whether it is
	// mailed. Fixed kinds (address verification, password reset, a
	// province's 催报) are always true.
	Kinds map[MailKind]bool `json:"kinds"`
	// AlertFrequency is the default for a new saved search's alert mail.
	AlertFrequency string `json:"alert_frequency"`
	// Language is the language mail puts first: zh or en.
	Language string `json:"language"`
}

// MailPreferencesChange is a PUT: only the fields given change.
type MailPreferencesChange struct {
	Kinds          map[MailKind]bool `json:"kinds"`
	AlertFrequency *string           `json:"alert_frequency"`
	Language       *string           `json:"language"`
}

// Alert frequencies: a saved search's alerts are mailed one by one at once,
// or gathered into a daily or weekly digest.
const (
	AlertImmediate = "immediate"
	AlertDaily     = "daily"
	AlertWeekly    = "weekly"
	// AlertOff is no alert mail for one saved search (the in-app alert
	// stays): what its unsubscribe link sets, and a choice on the site.
	AlertOff = "off"
)

// AlertFrequencies lists the frequencies; MailLanguages the languages.
var (
	AlertFrequencies = []string{AlertImmediate, AlertDaily, AlertWeekly}
	MailLanguages    = []string{"zh", "en"}
)

// Field reasons of mail preferences.
const (
	ReasonUnknownMailKind = "is not a mail kind you receive"
	ReasonFixedMailKind   = "cannot be turned off"
	ReasonAlertFrequency  = "must be immediate, daily or weekly"
	ReasonAlertSetting    = "must be immediate, daily, weekly or off"
	ReasonMailLanguage    = "must be zh or en"
)

// PreferencesFor builds role's preferences from the kinds turned off.
func PreferencesFor(role Role, off []MailKind, freq, lang string) MailPreferences {
	p := MailPreferences{Kinds: map[MailKind]bool{}, AlertFrequency: freq, Language: lang}
	for _, i := range MailKinds {
		if i.For(role) {
			p.Kinds[i.Kind] = i.Fixed || !slices.Contains(off, i.Kind)
		}
	}
	return p
}

// Apply validates ch for role and returns the kinds off afterwards and the
// new frequency and language. Errors: validation_failed naming each field
// ("kinds.<kind>", "alert_frequency", "language").
func (ch MailPreferencesChange) Apply(role Role, p MailPreferences) (off []MailKind, freq, lang string, err error) {
	var v Validation
	for k, on := range ch.Kinds {
		info, ok := k.Info()
		switch {
		case !ok || !info.For(role):
			v.Check(false, "kinds."+string(k), ReasonUnknownMailKind)
		case info.Fixed && !on:
			v.Check(false, "kinds."+string(k), ReasonFixedMailKind)
		default:
			p.Kinds[k] = on
		}
	}
	freq, lang = p.AlertFrequency, p.Language
	if ch.AlertFrequency != nil {
		freq = *ch.AlertFrequency
		v.Check(OneOf(freq, AlertFrequencies), "alert_frequency", ReasonAlertFrequency)
	}
	if ch.Language != nil {
		lang = *ch.Language
		v.Check(OneOf(lang, MailLanguages), "language", ReasonMailLanguage)
	}
	if err := v.Err(); err != nil {
		return nil, "", "", err
	}
	for _, i := range MailKinds {
		if on, ok := p.Kinds[i.Kind]; ok && !on {
			off = append(off, i.Kind)
		}
	}
	return off, freq, lang, nil
}

// UnsubscribeTarget is what a one-click unsubscribe link turns off: in an
// alert mail, the alert mails of one saved search; in any other mail a
// user may turn off, every mail of its kind to that user.
type UnsubscribeTarget struct {
	SavedSearchID string
	Name          string
	// Kind is the mail kind a kind's link turns off ("" for a saved search).
	Kind MailKind
	// Mailed is whether the mails are still sent.
	Mailed bool
}

// Link purposes and lifetimes: a token signed for one purpose is refused
// by every other.
const (
	LinkUnsubscribeAlerts = "unsubscribe-alerts"
	// LinkUnsubscribeKind signs "<user id>:<kind>": every mail of a kind
	// the user may turn off.
	LinkUnsubscribeKind = "unsubscribe-kind"
	// UnsubscribeLinkTTL is long: an alert mail is read and acted on long
	// after it was sent, and an unsubscribe link that stopped working would
	// leave the reader no way out but the spam button.
	UnsubscribeLinkTTL = 366 * 24 * time.Hour
)

// ReasonBadLink is the field reason of a link token that does not verify.
const ReasonBadLink = "is invalid or has expired"
