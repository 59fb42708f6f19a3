package testutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/server"
)

// Mailpit reads the mail that tests sent, through the HTTP API of the
// Mailpit that `.ci/services up` started (GRADZONE_MAILPIT_URL). Mailpit is
// shared by every test package running at once, so a test sends to its own
// addresses (MailAddress) and asks for those; DeleteAll is for a test that
// owns the whole mailbox.
type Mailpit struct {
	T   testing.TB
	URL string
}

// NewMailpit connects to the test Mailpit, or fails the test saying how to
// start it.
func NewMailpit(t testing.TB) *Mailpit {
	t.Helper()
	u := os.Getenv("GRADZONE_MAILPIT_URL")
	if u == "" {
		t.Fatal("GRADZONE_MAILPIT_URL is not set: run the suite with `make test`, or `.ci/services up` and source its env")
	}
	return &Mailpit{T: t, URL: strings.TrimRight(u, "/")}
}

// MailAddress returns an address no other test uses, at a domain that
// can never deliver anywhere real.
func MailAddress(prefix string) string {
	return randomName(prefix+"-") + "@example.test"
}

// MailAddr is a name and an address as Mailpit reports them.
type MailAddr struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// MailSummary is one message in a list.
type MailSummary struct {
	ID          string     `json:"ID"`
	MessageID   string     `json:"MessageID"`
	From        MailAddr   `json:"From"`
	To          []MailAddr `json:"To"`
	Subject     string     `json:"Subject"`
	Created     time.Time  `json:"Created"`
	Attachments int        `json:"Attachments"`
}

// MailAttachment is one attached file; Data is filled by Message.
type MailAttachment struct {
	PartID      string `json:"PartID"`
	FileName    string `json:"FileName"`
	ContentType string `json:"ContentType"`
	Size        int    `json:"Size"`
	Data        []byte `json:"-"`
}

// Mail is a whole message: bodies, every header, attachments with content.
type Mail struct {
	ID          string              `json:"ID"`
	MessageID   string              `json:"MessageID"`
	From        MailAddr            `json:"From"`
	To          []MailAddr          `json:"To"`
	Subject     string              `json:"Subject"`
	Text        string              `json:"Text"`
	HTML        string              `json:"HTML"`
	Attachments []MailAttachment    `json:"Attachments"`
	Inline      []MailAttachment    `json:"Inline"`
	Headers     map[string][]string `json:"-"`
	// Raw is the message exactly as received (for MIME structure checks).
	Raw []byte `json:"-"`
}

// Header returns the first value of a header, by its canonical name.
func (m Mail) Header(name string) string {
	for k, v := range m.Headers {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// Messages lists the messages sent to address, newest first.
func (m *Mailpit) Messages(address string) []MailSummary {
	m.T.Helper()
	var res struct {
		Messages []MailSummary `json:"messages"`
	}
	q := url.Values{"query": {fmt.Sprintf("to:%q", address)}, "limit": {"500"}}
	m.get("/api/v1/search?"+q.Encode(), &res)
	// The search matches substrings; keep exact recipients only.
	out := res.Messages[:0]
	for _, s := range res.Messages {
		for _, to := range s.To {
			if strings.EqualFold(to.Address, address) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// WaitFor waits until at least n messages for address have arrived (mail
// sent by a background job lands a moment later) and returns them.
func (m *Mailpit) WaitFor(address string, n int, timeout time.Duration) []MailSummary {
	m.T.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := m.Messages(address)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			m.T.Fatalf("mailpit: %d message(s) for %s after %s, want %d", len(got), address, timeout, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// WaitForSubject waits until a message for address whose subject contains
// part has arrived and returns it in full (the newest such).
func (m *Mailpit) WaitForSubject(address, part string, timeout time.Duration) Mail {
	m.T.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, s := range m.Messages(address) {
			if strings.Contains(s.Subject, part) {
				return m.Message(s.ID)
			}
		}
		if time.Now().After(deadline) {
			m.T.Fatalf("mailpit: no message for %s with %q in the subject after %s", address, part, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Message returns one message with its headers, raw source and attachment
// contents.
func (m *Mailpit) Message(id string) Mail {
	m.T.Helper()
	var msg Mail
	m.get("/api/v1/message/"+url.PathEscape(id), &msg)
	m.get("/api/v1/message/"+url.PathEscape(id)+"/headers", &msg.Headers)
	msg.Raw = m.bytes("/api/v1/message/" + url.PathEscape(id) + "/raw")
	for _, files := range [][]MailAttachment{msg.Attachments, msg.Inline} {
		for i, a := range files {
			files[i].Data = m.bytes("/api/v1/message/" + url.PathEscape(id) + "/part/" + url.PathEscape(a.PartID))
		}
	}
	return msg
}

// DeleteFor removes the messages sent to address.
func (m *Mailpit) DeleteFor(address string) {
	m.T.Helper()
	q := url.Values{"query": {fmt.Sprintf("to:%q", address)}}
	m.do(http.MethodDelete, "/api/v1/search?"+q.Encode(), nil)
}

// DeleteAll empties the mailbox. Only for a test that runs alone: other
// packages' tests share this Mailpit.
func (m *Mailpit) DeleteAll() {
	m.T.Helper()
	m.do(http.MethodDelete, "/api/v1/messages", nil)
}

func (m *Mailpit) get(path string, v any) {
	m.T.Helper()
	if err := json.Unmarshal(m.bytes(path), v); err != nil {
		m.T.Fatalf("mailpit %s: %v", path, err)
	}
}

func (m *Mailpit) bytes(path string) []byte {
	m.T.Helper()
	return m.do(http.MethodGet, path, nil)
}

func (m *Mailpit) do(method, path string, body []byte) []byte {
	m.T.Helper()
	req, err := http.NewRequest(method, m.URL+path, bytes.NewReader(body))
	if err != nil {
		m.T.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		m.T.Fatalf("mailpit %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		m.T.Fatalf("mailpit %s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return b
}

// PrivateMailpit is a Mailpit of one test's own, which it can stop and
// start again.
type PrivateMailpit struct {
	*Mailpit
	*Process
	SMTPPort int
}

// StartMailpit starts a private Mailpit from GRADZONE_MAILPIT_BIN, with
// Mailpit's own flags added (e.g. "--enable-chaos").
func StartMailpit(t testing.TB, flags ...string) *PrivateMailpit {
	bin := os.Getenv("GRADZONE_MAILPIT_BIN")
	if bin == "" {
		t.Fatal("GRADZONE_MAILPIT_BIN is not set: run the suite with `make test`")
	}
	dir, httpPort := t.TempDir(), freePort(t)
	m := &PrivateMailpit{Mailpit: &Mailpit{T: t, URL: fmt.Sprintf("http://127.0.0.1:%d", httpPort)}, SMTPPort: freePort(t)}
	m.Process = startProcess(t, "mailpit", m.URL+"/api/v1/info", func() *exec.Cmd {
		return exec.Command(bin, append([]string{"--smtp", fmt.Sprintf("127.0.0.1:%d", m.SMTPPort), "--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
			"--database", filepath.Join(dir, "mailpit.db"), "--max", "0", "--smtp-auth-accept-any", "--smtp-auth-allow-insecure",
			"--disable-version-check"}, flags...)...)
	})
	return m
}

// RefuseRecipients makes a Mailpit started with --enable-chaos answer every
// RCPT TO with code (550: the mailbox is gone for good), as a recipient's
// server would; 0 takes every recipient again.
func (m *Mailpit) RefuseRecipients(code int) {
	probability := 100
	if code == 0 {
		code, probability = 451, 0
	}
	m.do("PUT", "/api/v1/chaos", fmt.Appendf(nil, `{"Recipient":{"ErrorCode":%d,"Probability":%d}}`, code, probability))
}

// SMTPURL is its GRADZONE_SMTP_URL.
func (m *PrivateMailpit) SMTPURL() string { return fmt.Sprintf("smtp://127.0.0.1:%d", m.SMTPPort) }

// SMTPAt sends the app's mail to url.
func SMTPAt(url string) Option {
	return func(c *config.Config, _ *server.Options) { c.SMTPURL = url }
}
