package domain

import "time"

// MailPreferences are the user's switches for mail that is not essential:
// application status changes and saved-search alerts. Address verification
// and password reset are always sent.
type MailPreferences struct {
	StatusUpdates bool `json:"status_updates"`
	Alerts        bool `json:"alerts"`
}

// UnsubscribeTarget is what a one-click unsubscribe link in an alert mail
// turns off: the alert mails of one saved search.
type UnsubscribeTarget struct {
	SavedSearchID string
	Name          string
	// MailAlerts is whether the search's alerts are still mailed.
	MailAlerts bool
}

// Link purposes and lifetimes: a token signed for one purpose is refused
// by every other.
const (
	LinkUnsubscribeAlerts = "unsubscribe-alerts"
	// UnsubscribeLinkTTL is long: an alert mail is read and acted on long
	// after it was sent, and an unsubscribe link that stopped working would
	// leave the reader no way out but the spam button.
	UnsubscribeLinkTTL = 366 * 24 * time.Hour
)

// ReasonBadLink is the field reason of a link token that does not verify.
const ReasonBadLink = "is invalid or has expired"
