package app

// The mails of events: the registration's confirmation and the reminder
// the day before, each with the registration's check-in QR code shown in
// the HTML part (an inline image) and attached for clients that hide
// images. The check-in link is signed when the mail is sent, so a stored
// job never holds a token.

import (
	"net/url"
	"strings"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
)

// checkinQRContentID names the QR image the HTML part shows (cid:…).
const checkinQRContentID = "checkin-qr@gradzone"

func init() {
	for _, k := range []domain.MailKind{domain.MailEventRegistered, domain.MailEventReminder} {
		mailLinks[k] = func(base string, d map[string]string) string { return base + "/me/events" }
		mailExtras[k] = checkinQRImage
	}
}

// prepareEventMail adds the check-in link to an event mail's data d.
func (b *Background) prepareEventMail(req domain.MailRequest, d map[string]string) {
	if req.Kind != domain.MailEventRegistered && req.Kind != domain.MailEventReminder || b.Links == nil {
		return
	}
	ends, err := time.Parse(time.RFC3339, d["ends_at"])
	if err != nil || d["event_id"] == "" {
		return
	}
	d["checkin_url"] = CheckinURL(b.PublicURL, CheckinToken(b.Links, d["event_id"], req.UserID, ends))
	d["event_url"] = strings.TrimRight(b.PublicURL, "/") + "/events/" + url.PathEscape(d["event_id"])
}

// checkinQRImage draws the mail's check-in link as a QR code, inline.
func checkinQRImage(m *domain.MailMessage, v MailView) error {
	link := v.Data["checkin_url"]
	if link == "" {
		return nil
	}
	png, err := CheckinQR(link)
	if err != nil {
		return err
	}
	m.Attachments = append(m.Attachments, domain.MailAttachment{Name: "checkin-qr.png", ContentType: "image/png",
		Data: png, ContentID: checkinQRContentID})
	return nil
}
