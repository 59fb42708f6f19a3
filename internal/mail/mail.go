// Package mail sends mail over SMTP. It is the only importer of go-mail:
// the rest of gradzone renders a domain.MailMessage and hands it to
// Sender.Deliver through app.Mailer (Send and SendAll take this package's
// Message).
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
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

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
	// …), in order; every mail says Auto-Submitted: auto-generated.
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

// Sender delivers Messages through one SMTP server. It is safe for
// concurrent use: each send takes an open connection no other send is
// using, or opens one, and keeps it open afterwards for the next send, so
// a queue of mails does not pay a TCP (and TLS, and AUTH) handshake per
// mail.
type Sender struct {
	smtp      config.SMTP
	from      *netmail.Address
	msgDomain string
	tls       *tls.Config
	timeout   time.Duration
	// client holds the settings (host, TLS, AUTH) the connections are
	// opened with; it is built once in New.
	client *gomail.Client
	// idle holds the open connections no send is using, up to its
	// capacity; the rest are closed.
	idle chan *conn
}

// conn is one open SMTP connection.
type conn struct {
	c    *smtp.Client
	sent int       // mails sent on it
	used time.Time // when it was last put back
}

const (
	// maxIdle bounds the connections kept open: about one per mail
	// worker (internal/jobs).
	maxIdle = 16
	// idleFor is how long an unused connection is kept. Servers drop idle
	// clients after minutes (Postfix: 300 s); a dropped one is noticed
	// anyway (the NOOP before each send) and replaced.
	idleFor = 30 * time.Second
	// perConn is how many mails one connection carries before it is
	// closed: relays limit mails per session, and a long-lived session
	// would pin one server of a load-balanced relay.
	perConn = 100
)

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
	s := &Sender{smtp: sm, from: addr, timeout: 15 * time.Second, idle: make(chan *conn, maxIdle)}
	s.msgDomain = addr.Address[strings.LastIndex(addr.Address, "@")+1:]
	for _, o := range opts {
		o(s)
	}
	if s.client, err = s.newClient(); err != nil {
		return nil, err
	}
	return s, nil
}

// Close ends the kept connections (QUIT). The Sender still works after
// it, opening new ones.
func (s *Sender) Close() { s.drain((*smtp.Client).Quit) }

// drain ends every kept connection with end (QUIT, or a plain close).
func (s *Sender) drain(end func(*smtp.Client) error) {
	for {
		select {
		case c := <-s.idle:
			_ = end(c.c)
		default:
			return
		}
	}
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
	c, err := s.take(ctx)
	if err == nil {
		err = s.client.SendWithSMTPClient(c.c, msgs...)
		if c.sent > 0 && connLost(err) {
			// A kept connection the server dropped meanwhile: the check
			// that failed runs before MAIL FROM, so nothing went out on
			// it. The other kept ones are likely gone too (a restarted
			// server): close them all and send on a fresh one.
			_ = c.c.Close()
			s.drain(func(c *smtp.Client) error { return c.Close() })
			if c, err = s.take(ctx); err == nil {
				err = s.client.SendWithSMTPClient(c.c, msgs...)
			}
		}
	}
	if err != nil {
		if c != nil {
			// What the server holds after a failure is unknown: never reuse it.
			_ = c.c.Close()
		}
		if refused := refusedForGood(err); refused != nil {
			err = refused
		}
		return ids, fmt.Errorf("smtp %s:%d: %w", s.smtp.Host, s.smtp.Port, err)
	}
	s.put(c, len(msgs))
	return ids, nil
}

// take returns a kept connection, or opens one. A kept connection that
// waited longer than idleFor is closed instead.
func (s *Sender) take(ctx context.Context) (*conn, error) {
	for {
		select {
		case c := <-s.idle:
			if time.Since(c.used) > idleFor {
				_ = c.c.Close()
				continue
			}
			return c, nil
		default:
			c, err := s.client.DialToSMTPClientWithContext(ctx)
			if err != nil {
				return nil, fmt.Errorf("%w: dial: %w", domain.ErrMailNotSent, err)
			}
			return &conn{c: c}, nil
		}
	}
}

// put keeps c for the next send after it carried n more mails, unless it
// carried perConn or maxIdle are kept already.
func (s *Sender) put(c *conn, n int) {
	c.sent += n
	c.used = time.Now()
	if c.sent < perConn {
		select {
		case s.idle <- c:
			return
		default:
		}
	}
	_ = c.c.Quit()
}

// connLost tells whether a send failed because the connection was gone
// before anything was sent (go-mail's check before MAIL FROM).
func connLost(err error) bool {
	var se *gomail.SendError
	return errors.As(err, &se) && se.Reason == gomail.ErrConnCheck
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

// refusedForGood returns the refusal when err is the one recipient of a
// mail refused with a permanent reply to RCPT TO that blames the address
// (addressAtFault: no such mailbox, a disabled one), else nil. A 5xx
// elsewhere (the login, MAIL FROM, the message) or one that blames the
// sender is this site's trouble, retried and alerted on like any failure;
// so is a refusal of one of several recipients (go-mail keeps one reply
// for all of them; the site mails one user a message anyway).
func refusedForGood(err error) *domain.MailRefused {
	var se *gomail.SendError
	if !errors.As(err, &se) || se.Reason != gomail.ErrSMTPRcptTo || se.IsTemp() || se.ErrorCode()/100 != 5 {
		return nil
	}
	// go-mail's text is "<what it did>: <the reply>, affected recipient(s): …".
	reply := strings.TrimPrefix(se.Error(), se.Reason.String()+": ")
	reply, rcpts, _ := strings.Cut(reply, ", affected recipient(s): ")
	rcpts, _, _ = strings.Cut(rcpts, ", affected message ID")
	if strings.Contains(rcpts, ", ") {
		return nil
	}
	// …and its reply's text after the code quoted ("550 \"5.1.0 …\"").
	if code, text, ok := strings.Cut(reply, " "); ok {
		if t, err := strconv.Unquote(text); err == nil {
			reply = code + " " + t
		}
	}
	if !addressAtFault(se.ErrorCode(), reply) {
		return nil
	}
	// The codes, for logs: the enhanced one read from the reply, which
	// go-mail gives only when the server announced ENHANCEDSTATUSCODES.
	code := strconv.Itoa(se.ErrorCode())
	if m := enhancedCode.FindStringSubmatch(reply); m != nil {
		code += " " + m[1]
	}
	// A reply of several lines ("550-5.1.1 …" then "550 5.1.1 …") is one,
	// and text the store takes: a server answering in Latin-1, or with a
	// control character, made a refusal Postgres would not record
	// (SQLSTATE 22021), and the job was tried again and again (review38).
	reply = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(reply, "\uFFFD"))
	reply = strings.Join(strings.Fields(reply), " ")
	if len(reply) > 300 { // SMTP allows 512 bytes a line; the page shows it
		reply = strings.ToValidUTF8(reply[:300], "")
	}
	return &domain.MailRefused{Code: code, Reply: reply}
}

// enhancedCode finds a reply's enhanced status code (RFC 3463) after its
// basic one: "550 5.1.1 …" gives "5.1.1".
var enhancedCode = regexp.MustCompile(`^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b`)

// addressAtFault tells whether a permanent reply to RCPT TO blames the
// address itself (a hard bounce) rather than the sender: with an enhanced
// code, 5.1.x (bad mailbox or domain; not 5.1.7/5.1.8, the sender's
// address) or 5.2.1 (mailbox disabled); 5.2.2 (full: RFC 5321 4.5.3.1.10
// says retry), 5.7.x (relay denied, policy, DMARC), 5.3-5.6 (systems,
// routing, protocol, content) are the sender's or passing. Without one,
// 550/551/553 only (552 is retried; 554 is a policy more often than not).
func addressAtFault(code int, reply string) bool {
	if m := enhancedCode.FindStringSubmatch(reply); m != nil {
		switch esc := m[1]; {
		case esc == "5.1.7" || esc == "5.1.8":
			return false
		case strings.HasPrefix(esc, "5.1."), esc == "5.2.1":
			return true
		}
		return false
	}
	return code == 550 || code == 551 || code == 553
}

// newClient builds the go-mail client the connections are opened with.
func (s *Sender) newClient() (*gomail.Client, error) {
	// The greeting names the sender's domain, not this machine (in a
	// cluster, a pod's name).
	opts := []gomail.Option{gomail.WithPort(s.smtp.Port), gomail.WithTimeout(s.timeout), gomail.WithHELO(s.msgDomain)}
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
	gm := gomail.NewMsg(gomail.WithEncoding(gomail.EncodingQP), gomail.WithCharset(gomail.CharsetUTF8), gomail.WithNoDefaultUserAgent())
	gm.FromMailAddress(s.from)
	// Every mail of the site is automatic: out-of-office replies and
	// auto-responders leave it unanswered (RFC 3834; X-Auto-Response-
	// Suppress is Exchange's word for it).
	gm.SetGenHeader("Auto-Submitted", "auto-generated")
	gm.SetGenHeader("X-Auto-Response-Suppress", "All")
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
			// RFC 2392: the header's ID in angle brackets; cid: URLs without.
			opts = append(opts, gomail.WithFileContentID("<"+a.ContentID+">"))
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
