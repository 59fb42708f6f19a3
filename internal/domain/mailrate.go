package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// MailLimits bound the mail one recipient and one recipient domain get,
// across every replica (issue 13): a receiving provider (qq.com, 163.com)
// that sees a burst from us starts to defer or junk our mail, and one
// person should not get more than a handful of mails an hour whatever goes
// wrong upstream. A zero limit is no limit.
type MailLimits struct {
	PerRecipient    int
	RecipientWindow time.Duration
	PerDomain       int
	DomainWindow    time.Duration
}

// DefaultMailLimits: 30 mails an hour to one address, 600 a minute to one
// domain (GRADZONE_MAIL_PER_RECIPIENT_HOUR, GRADZONE_MAIL_PER_DOMAIN_MINUTE).
var DefaultMailLimits = MailLimits{PerRecipient: 30, RecipientWindow: time.Hour, PerDomain: 600, DomainWindow: time.Minute}

// MailRateCounter is one limit a mail counts against: at most Limit mails
// per fixed window of length Window for Key.
type MailRateCounter struct {
	Key    string
	Window time.Duration
	Limit  int
}

// WindowStart is the start of the fixed window holding now.
func (c MailRateCounter) WindowStart(now time.Time) time.Time { return now.Truncate(c.Window) }

// Counters are the limits a mail of kind to email counts against.
// Verification and password-reset mails are exempt from the per-recipient
// limit: the person is waiting for them, and their requests are already
// limited per address when made (RequestLimits); they still count against
// their domain, which protects the site's standing with the provider.
func (l MailLimits) Counters(kind MailKind, email string) []MailRateCounter {
	email = strings.ToLower(strings.TrimSpace(email))
	var cs []MailRateCounter
	if l.PerRecipient > 0 && l.RecipientWindow > 0 && kind != MailVerifyEmail && kind != MailPasswordReset {
		// Hashed: the counter outlives an erased account and may be logged,
		// and neither may keep the address.
		sum := sha256.Sum256([]byte(email))
		cs = append(cs, MailRateCounter{Key: "to:" + hex.EncodeToString(sum[:]), Window: l.RecipientWindow, Limit: l.PerRecipient})
	}
	if i := strings.LastIndexByte(email, '@'); i >= 0 && l.PerDomain > 0 && l.DomainWindow > 0 {
		cs = append(cs, MailRateCounter{Key: "domain:" + email[i+1:], Window: l.DomainWindow, Limit: l.PerDomain})
	}
	return cs
}

// ErrMailNotSent marks a send that reached no mail server (it could not
// connect): nothing went out, so the mail's rate slots are given back (an
// ops probe: a few minutes of SMTP outage used up a recipient's hour in
// failed tries, and the mails then waited for the next hour).
var ErrMailNotSent = errors.New("the mail server could not be reached: nothing was sent")

// MailRefused says the recipient's mail server refused the address for
// good (SMTP 5xx at RCPT TO: no such mailbox, a closed one). Trying again
// cannot help and costs the sender its standing with that server, so the
// mail is not retried and the address stops counting as verified.
type MailRefused struct {
	// Code is the reply's basic and enhanced status codes ("550 5.1.1"):
	// what logs and the job's error carry. Reply is the server's whole
	// answer, which often repeats the address: only the user's own row
	// keeps it, to show the user.
	Code, Reply string
}

func (e *MailRefused) Error() string {
	return "the recipient's mail server refused the address for good: " + e.Code
}

// MailThrottled says a mail is over one of its limits: it should wait Wait
// (until its window ends) and be tried again. It is not a failure.
type MailThrottled struct {
	Key  string
	Wait time.Duration
}

func (e *MailThrottled) Error() string {
	return fmt.Sprintf("mail over its rate limit (%s): wait %s", e.Key, e.Wait)
}
