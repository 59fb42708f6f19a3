// Package mail sends mail over SMTP. It is the only importer of go-mail:
// the rest of gradzone builds a Message and calls Sender.Send.
//
// GRADZONE_SMTP_URL says where: smtp://[user:pass@]host:port upgrades with
// STARTTLS whenever the server offers it, smtps://… speaks TLS from the
// first byte. Credentials are only ever sent with a mechanism that does not
// reveal the password on an unencrypted connection.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/domain"
)

// Message is one mail to one or more recipients. Text is required; HTML is
// the alternative a mail client shows when it can.
type Message struct {
	To      []string
	Subject string
	Text    string
	HTML    string
	// Headers are added as given (List-Unsubscribe, List-Unsubscribe-Post,
	// Auto-Submitted, …), in order.
	Headers []Header
	// Alternatives are further renderings of the same content, after the
	// text and HTML parts: an invitation's text/calendar; method=REQUEST
	// part, which calendar clients act on.
	Alternatives []Part
	Attachments  []Attachment
	// MessageID, without angle brackets, is used when set: a job that was
	// retried after a crash then sends the same ID and a receiver can
	// recognise the duplicate. Empty: a fresh random one.
	MessageID string
}

// Header is one extra header line.
type Header struct{ Name, Value string }

// Part is an alternative body with its full content type
// (e.g. `text/calendar; method=REQUEST`).
type Part struct {
	ContentType string
	Body        string
}

// Attachment is a file sent with the mail.
type Attachment struct {
	Name        string
	ContentType string // e.g. text/calendar; charset=utf-8; method=REQUEST
	Data        []byte
	// ContentID, when set, embeds the file inline for the HTML part to show
	// as cid:<ContentID> (a check-in QR code), instead of attaching it.
	ContentID string
}

// Sender delivers Messages through one SMTP server.
type Sender struct {
	smtp      config.SMTP
	from      *netmail.Address
	msgDomain string
	tls       *tls.Config
	timeout   time.Duration
}

// Option adjusts a Sender.
type Option func(*Sender)

// WithTLSConfig replaces the TLS settings (tests trust their own CA this way).
func WithTLSConfig(c *tls.Config) Option { return func(s *Sender) { s.tls = c } }

// WithTimeout bounds connecting and each SMTP command (default 15 s).
func WithTimeout(d time.Duration) Option { return func(s *Sender) { s.timeout = d } }

// New reads GRADZONE_SMTP_URL and GRADZONE_MAIL_FROM.
func New(smtpURL, from string, opts ...Option) (*Sender, error) {
	sm, err := config.ParseSMTPURL(smtpURL)
	if err != nil {
		return nil, fmt.Errorf("GRADZONE_SMTP_URL: %w", err)
	}
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("GRADZONE_MAIL_FROM %q: %w", from, err)
	}
	s := &Sender{smtp: sm, from: addr, timeout: 15 * time.Second}
	s.msgDomain = addr.Address[strings.LastIndex(addr.Address, "@")+1:]
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// From is the sender address mails go out with.
func (s *Sender) From() string { return s.from.Address }

// Send delivers m and returns its Message-ID (without angle brackets). An
// error from the server says in its text whether it was temporary (4xx);
// see Temporary.
func (s *Sender) Send(ctx context.Context, m Message) (string, error) {
	ids, err := s.SendAll(ctx, []Message{m})
	if len(ids) == 0 {
		return "", err
	}
	return ids[0], err
}

// SendAll delivers several messages over one connection; it returns each
// one's Message-ID, in order, and the joined errors of those that failed.
func (s *Sender) SendAll(ctx context.Context, ms []Message) ([]string, error) {
	msgs := make([]*gomail.Msg, 0, len(ms))
	ids := make([]string, 0, len(ms))
	for i, m := range ms {
		gm, id, err := s.build(m)
		if err != nil {
			return nil, fmt.Errorf("message %d: %w", i, err)
		}
		msgs = append(msgs, gm)
		ids = append(ids, id)
	}
	c, err := s.client()
	if err != nil {
		return nil, err
	}
	if err := c.DialAndSendWithContext(ctx, msgs...); err != nil {
		return ids, fmt.Errorf("smtp %s:%d: %w", s.smtp.Host, s.smtp.Port, err)
	}
	return ids, nil
}

// Deliver sends a mail the site rendered (it implements app.Mailer) and
// returns its Message-ID. A MessageID without "@" gets the sender's domain.
func (s *Sender) Deliver(ctx context.Context, m domain.MailMessage) (string, error) {
	msg := Message{To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML, MessageID: m.MessageID}
	if msg.MessageID != "" && !strings.Contains(msg.MessageID, "@") {
		msg.MessageID += "@" + s.msgDomain
	}
	for _, h := range m.Headers {
		msg.Headers = append(msg.Headers, Header{Name: h.Name, Value: h.Value})
	}
	for _, p := range m.Alternatives {
		msg.Alternatives = append(msg.Alternatives, Part{ContentType: p.ContentType, Body: p.Body})
	}
	for _, a := range m.Attachments {
		msg.Attachments = append(msg.Attachments, Attachment{Name: a.Name, ContentType: a.ContentType, Data: a.Data, ContentID: a.ContentID})
	}
	return s.Send(ctx, msg)
}

// Temporary tells whether a send error is worth retrying later: the server
// answered 4xx, or could not be reached at all.
func Temporary(err error) bool {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return se.IsTemp() || se.ErrorCode() == 0
	}
	return err != nil
}

func (s *Sender) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.smtp.Port), gomail.WithTimeout(s.timeout)}
	if s.smtp.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.tls != nil {
		opts = append(opts, gomail.WithTLSConfig(s.tls))
	}
	if s.smtp.Username != "" {
		// AutoDiscover picks the strongest mechanism the server offers and,
		// without TLS, only ones that do not send the password in clear.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.smtp.Username), gomail.WithPassword(s.smtp.Password))
	}
	c, err := gomail.NewClient(s.smtp.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client: %w", err)
	}
	return c, nil
}

func (s *Sender) build(m Message) (*gomail.Msg, string, error) {
	if len(m.To) == 0 {
		return nil, "", errors.New("no recipient")
	}
	if strings.TrimSpace(m.Text) == "" {
		return nil, "", errors.New("no plain-text body")
	}
	gm := gomail.NewMsg(gomail.WithEncoding(gomail.EncodingQP), gomail.WithCharset(gomail.CharsetUTF8))
	gm.FromMailAddress(s.from)
	if err := gm.To(m.To...); err != nil {
		return nil, "", fmt.Errorf("recipient: %w", err)
	}
	gm.Subject(m.Subject)
	gm.SetDate()
	id := m.MessageID
	if id == "" {
		id = s.newMessageID()
	}
	gm.SetMessageIDWithValue(id)
	for _, h := range m.Headers {
		if strings.ContainsAny(h.Name+h.Value, "\r\n") {
			return nil, "", fmt.Errorf("header %q holds a line break", h.Name)
		}
		gm.SetGenHeader(gomail.Header(h.Name), h.Value)
	}
	gm.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		gm.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, p := range m.Alternatives {
		gm.AddAlternativeString(gomail.ContentType(p.ContentType), p.Body)
	}
	for _, a := range m.Attachments {
		opts := []gomail.FileOption{}
		if a.ContentType != "" {
			opts = append(opts, gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
		}
		if a.ContentID != "" {
			opts = append(opts, gomail.WithFileContentID(a.ContentID))
			if err := gm.EmbedReader(a.Name, bytes.NewReader(a.Data), opts...); err != nil {
				return nil, "", fmt.Errorf("inline file %s: %w", a.Name, err)
			}
			continue
		}
		if err := gm.AttachReader(a.Name, bytes.NewReader(a.Data), opts...); err != nil {
			return nil, "", fmt.Errorf("attachment %s: %w", a.Name, err)
		}
	}
	return gm, id, nil
}

// newMessageID is 128 random bits at the sender's domain (RFC 5322 3.6.4):
// unique without asking the host its name.
func (s *Sender) newMessageID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b) + "@" + s.msgDomain
}
