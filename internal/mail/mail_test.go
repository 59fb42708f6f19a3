package mail_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/mail"
	"github.com/gradzone/gradzone/internal/testutil"
)

func sender(t *testing.T, opts ...mail.Option) *mail.Sender {
	t.Helper()
	u := os.Getenv("GRADZONE_SMTP_URL")
	if u == "" {
		t.Fatal("GRADZONE_SMTP_URL is not set: run with `make test` (it starts Mailpit)")
	}
	s, err := mail.New(u, "高新区人才对接 <noreply@gradzone.example>", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//gradzone//test//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:iv-1@gradzone\r\nDTSTAMP:20260901T010000Z\r\nDTSTART:20260902T020000Z\r\nSEQUENCE:0\r\nSUMMARY:面试\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// One mail with every part the product needs arrives whole: Chinese subject
// and bodies, the HTML alternative, a calendar attachment, the one-click
// unsubscribe headers and the Message-ID Send returned.
func TestSendReadBackThroughMailpit(t *testing.T) {
	mp := testutil.NewMailpit(t)
	to := testutil.MailAddress("graduate")
	s := sender(t)
	id, err := s.Send(context.Background(), mail.Message{
		To:      []string{to},
		Subject: "面试邀请：研发助理",
		Text:    "您好，张三：\n请于 9 月 2 日 10:00 参加面试。\n",
		HTML:    "<p>您好，<b>张三</b>：</p><p>请于 9 月 2 日 10:00 参加面试。</p>",
		Headers: []mail.Header{
			{Name: "List-Unsubscribe", Value: "<https://jobs.example.cn/unsubscribe?t=abc>"},
			{Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click"},
		},
		Attachments: []mail.Attachment{{Name: "invite.ics", ContentType: "text/calendar; method=REQUEST", Data: []byte(ics)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(id, "@gradzone.example") || len(id) < 30 {
		t.Fatalf("Message-ID %q: want random@sender-domain", id)
	}
	got := mp.WaitFor(to, 1, 10*time.Second)
	if len(got) != 1 {
		t.Fatalf("%d mails, want 1", len(got))
	}
	m := mp.Message(got[0].ID)
	if m.MessageID != id {
		t.Errorf("Message-ID: got %q, sent %q", m.MessageID, id)
	}
	if m.Subject != "面试邀请：研发助理" || m.From.Address != "noreply@gradzone.example" || m.From.Name != "高新区人才对接" {
		t.Errorf("subject/from: %q %+v", m.Subject, m.From)
	}
	if !strings.Contains(m.Text, "请于 9 月 2 日 10:00 参加面试") || !strings.Contains(m.HTML, "<b>张三</b>") {
		t.Errorf("bodies: text %q html %q", m.Text, m.HTML)
	}
	if m.Header("List-Unsubscribe") != "<https://jobs.example.cn/unsubscribe?t=abc>" || m.Header("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("unsubscribe headers: %v", m.Headers)
	}
	if m.Header("Date") == "" {
		t.Error("no Date header")
	}
	// A mail audit: no mail said it was automatic, so out-of-office
	// replies answered it (RFC 3834), and each named the mail library and
	// greeted the server with the machine's host name (a pod's, in a
	// cluster) rather than the sender's domain.
	if m.Header("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted: %q", m.Header("Auto-Submitted"))
	}
	if m.Header("X-Mailer") != "" || m.Header("User-Agent") != "" {
		t.Errorf("the mail names its library: %q %q", m.Header("X-Mailer"), m.Header("User-Agent"))
	}
	if received := m.Header("Received"); !strings.HasPrefix(received, "from gradzone.example ") {
		t.Errorf("the server was greeted as %q", received)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("attachments: %+v", m.Attachments)
	}
	a := m.Attachments[0]
	if a.FileName != "invite.ics" || !strings.HasPrefix(a.ContentType, "text/calendar") || string(a.Data) != ics {
		t.Errorf("attachment: %s %s %q", a.FileName, a.ContentType, a.Data)
	}
	if !strings.Contains(string(m.Raw), "multipart/alternative") {
		t.Error("text and HTML must be alternatives of each other")
	}
}

// A caller-chosen Message-ID (a retried job's send key) is kept, and a
// calendar alternative part goes out as such.
func TestChosenMessageIDAndCalendarAlternative(t *testing.T) {
	mp := testutil.NewMailpit(t)
	to := testutil.MailAddress("employer")
	s := sender(t)
	ids, err := s.SendAll(context.Background(), []mail.Message{
		{To: []string{to}, Subject: "one", Text: "1", MessageID: "job-42.send-1@gradzone.example"},
		{To: []string{to}, Subject: "two", Text: "2", Alternatives: []mail.Part{{ContentType: "text/calendar; method=REQUEST", Body: ics}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if ids[0] != "job-42.send-1@gradzone.example" || ids[1] == ids[0] || ids[1] == "" {
		t.Fatalf("ids %v", ids)
	}
	got := mp.WaitFor(to, 2, 10*time.Second)
	byID := map[string]testutil.MailSummary{}
	for _, g := range got {
		byID[g.MessageID] = g
	}
	if byID[ids[0]].Subject != "one" || byID[ids[1]].Subject != "two" {
		t.Fatalf("by Message-ID: %+v", byID)
	}
	raw := string(mp.Message(byID[ids[1]].ID).Raw)
	if !strings.Contains(raw, "Content-Type: text/calendar; method=REQUEST") || !strings.Contains(raw, "BEGIN:VEVENT") {
		t.Errorf("calendar part missing:\n%s", raw)
	}
}

func TestRejectsBadMessagesBeforeConnecting(t *testing.T) {
	s := sender(t)
	ctx := context.Background()
	for name, m := range map[string]mail.Message{
		"no recipient":  {Subject: "x", Text: "x"},
		"no text":       {To: []string{"a@example.test"}, Subject: "x", HTML: "<p>x</p>"},
		"bad recipient": {To: []string{"not an address"}, Subject: "x", Text: "x"},
		"header inject": {To: []string{"a@example.test"}, Subject: "x", Text: "x", Headers: []mail.Header{{Name: "X-A", Value: "v\r\nBcc: victim@example.test"}}},
	} {
		if _, err := s.Send(ctx, m); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestUnreachableServerIsTemporary(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	s, err := mail.New("smtp://"+addr, "noreply@gradzone.example", mail.WithTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Send(context.Background(), mail.Message{To: []string{"a@example.test"}, Subject: "x", Text: "x"})
	if err == nil || !mail.Temporary(err) {
		t.Fatalf("want a temporary error, got %v", err)
	}
}

// Only a permanent reply to RCPT TO is the address's own refusal
// (domain.MailRefused, never tried again); a temporary one, and a 5xx to
// MAIL FROM (the site's sender, not the recipient), stay ordinary failures
// the queue retries. Private Mailpits refuse as a real server would.
func TestRefusedRecipientIsRefusedForGood(t *testing.T) {
	bin, dir := mailpitBin(t), t.TempDir()
	for _, c := range []struct {
		name    string
		flags   []string
		to      string
		refused bool
	}{
		{"no such mailbox", []string{"--smtp-allowed-recipients", `@accepted\.test$`}, "gone@refused.test", true},
		{"accepted beside it", []string{"--smtp-allowed-recipients", `@accepted\.test$`}, "here@accepted.test", false},
		// go-mail keeps one reply for all refused recipients: whose it was
		// cannot be told (the site mails one user a message anyway).
		{"two refused at once", []string{"--smtp-allowed-recipients", `@accepted\.test$`}, "a@refused.test,b@refused.test", false},
		{"mailbox busy", []string{"--chaos-triggers", "Recipient:451:100"}, "busy@accepted.test", false},
		{"sender refused", []string{"--chaos-triggers", "Sender:550:100"}, "any@accepted.test", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			smtpPort := freePort(t)
			startMailpit(t, bin, dir, strings.ReplaceAll(c.name, " ", "-"), smtpPort, nil, c.flags...)
			s, err := mail.New("smtp://127.0.0.1:"+smtpPort, "noreply@gradzone.example", mail.WithTimeout(5*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Send(context.Background(), mail.Message{To: strings.Split(c.to, ","), Subject: "x", Text: "x"})
			var refused *domain.MailRefused
			switch {
			case c.refused && !errors.As(err, &refused):
				t.Fatalf("want the address refused for good, got %v", err)
			case c.refused && (!strings.HasPrefix(refused.Reply, "550 5.1.0 Requested action not taken") || refused.Code != "550 5.1.0"):
				t.Errorf("reply %q (code %q), want the server's own words", refused.Reply, refused.Code)
			case c.refused && strings.Contains(err.Error(), c.to):
				t.Errorf("the error names the address: %v", err)
			case !c.refused && errors.As(err, &refused):
				t.Fatalf("%v taken for the address's refusal", err)
			case c.name == "accepted beside it" && err != nil:
				t.Fatalf("send: %v", err)
			case c.name != "accepted beside it" && err == nil:
				t.Fatal("accepted")
			}
		})
	}
}

// Production relays want a login and TLS. A private Mailpit that demands
// STARTTLS (smtp://) or TLS from the first byte (smtps://) with a
// certificate from this test's own CA shows both modes really encrypt, log
// in, and refuse a server they cannot verify.
func TestTLSModesAndLogin(t *testing.T) {
	bin, dir := mailpitBin(t), t.TempDir()
	pool := writeCert(t, dir)
	for _, mode := range []struct{ name, scheme, flag string }{
		{"starttls", "smtp", "--smtp-require-starttls"},
		{"implicit", "smtps", "--smtp-require-tls"},
	} {
		t.Run(mode.name, func(t *testing.T) {
			smtpPort := freePort(t)
			mp, _ := startMailpit(t, bin, dir, mode.name, smtpPort, []string{"MP_SMTP_AUTH=mailer:s3cret-pw"},
				"--smtp-tls-cert", filepath.Join(dir, "cert.pem"), "--smtp-tls-key", filepath.Join(dir, "key.pem"), mode.flag)
			trusted := mail.WithTLSConfig(&tls.Config{RootCAs: pool, ServerName: "localhost", MinVersion: tls.VersionTLS12})
			msg := mail.Message{To: []string{"a@example.test"}, Subject: mode.name, Text: "over TLS"}
			ctx := context.Background()

			good := fmt.Sprintf("%s://mailer:s3cret-pw@localhost:%s", mode.scheme, smtpPort)
			s, err := mail.New(good, "noreply@gradzone.example", trusted, mail.WithTimeout(5*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Send(ctx, msg); err != nil {
				t.Fatalf("send: %v", err)
			}
			if got := mp.WaitFor("a@example.test", 1, 5*time.Second); got[0].Subject != mode.name {
				t.Fatalf("got %+v", got)
			}
			untrusted, _ := mail.New(good, "noreply@gradzone.example", mail.WithTimeout(5*time.Second))
			if _, err := untrusted.Send(ctx, msg); err == nil {
				t.Error("a certificate from an unknown CA must be refused")
			}
			wrongPW, _ := mail.New(fmt.Sprintf("%s://mailer:nope@localhost:%s", mode.scheme, smtpPort), "noreply@gradzone.example", trusted, mail.WithTimeout(5*time.Second))
			if _, err := wrongPW.Send(ctx, msg); err == nil {
				t.Error("a wrong password must be refused")
			}
			if n := len(mp.Messages("a@example.test")); n != 1 {
				t.Errorf("%d mails arrived, want only the good one", n)
			}
		})
	}
}

// A Sender keeps its connections open between sends: many mails sent at
// once from several goroutines all arrive, once each; after the server
// went away and came back (every kept connection dead), the next send
// notices, opens a fresh connection and gets through.
func TestKeptConnections(t *testing.T) {
	bin, dir := mailpitBin(t), t.TempDir()
	smtpPort := freePort(t)
	mp, stop := startMailpit(t, bin, dir, "first", smtpPort, nil)
	s, err := mail.New("smtp://127.0.0.1:"+smtpPort, "noreply@gradzone.example", mail.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	const workers, each = 4, 15
	errs := make(chan error, workers*each)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				_, err := s.Send(ctx, mail.Message{To: []string{"many@example.test"}, Subject: fmt.Sprintf("m %d-%d", w, i), Text: "x"})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("send: %v", err)
		}
	}
	got := mp.WaitFor("many@example.test", workers*each, 10*time.Second)
	subjects := map[string]bool{}
	for _, m := range got {
		subjects[m.Subject] = true
	}
	if len(got) != workers*each || len(subjects) != workers*each {
		t.Fatalf("%d mails with %d distinct subjects, want %d of each", len(got), len(subjects), workers*each)
	}

	stop()
	mp, _ = startMailpit(t, bin, dir, "second", smtpPort, nil)
	if _, err := s.Send(ctx, mail.Message{To: []string{"after@example.test"}, Subject: "after restart", Text: "x"}); err != nil {
		t.Fatalf("send after the server restarted: %v", err)
	}
	if got := mp.WaitFor("after@example.test", 1, 5*time.Second); got[0].Subject != "after restart" {
		t.Fatalf("got %+v", got)
	}
}

func mailpitBin(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("GRADZONE_MAILPIT_BIN")
	if bin == "" {
		t.Fatal("GRADZONE_MAILPIT_BIN is not set: run with `make test`")
	}
	return bin
}

// startMailpit runs a private Mailpit taking SMTP on smtpPort (with the
// extra environment and flags), its database and log in dir under name;
// stop ends it (also done at the test's end).
func startMailpit(t *testing.T, bin, dir, name, smtpPort string, env []string, flags ...string) (mp *testutil.Mailpit, stop func()) {
	t.Helper()
	uiPort := freePort(t)
	cmd := exec.Command(bin, append([]string{"--smtp", "127.0.0.1:" + smtpPort, "--listen", "127.0.0.1:" + uiPort,
		"--database", filepath.Join(dir, name+".db"), "--disable-version-check"}, flags...)...)
	cmd.Env = append(os.Environ(), env...)
	out, _ := os.Create(filepath.Join(dir, name+".log"))
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop = func() { once.Do(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }) }
	t.Cleanup(stop)
	waitHTTP(t, "http://127.0.0.1:"+uiPort+"/api/v1/info", filepath.Join(dir, name+".log"))
	return &testutil.Mailpit{T: t, URL: "http://127.0.0.1:" + uiPort}, stop
}

// writeCert makes a CA and a certificate for localhost signed by it.
func writeCert(t *testing.T, dir string) *x509.CertPool {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "gradzone test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	_ = os.WriteFile(filepath.Join(dir, "cert.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return pool
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, p, _ := net.SplitHostPort(ln.Addr().String())
	return p
}

func waitHTTP(t *testing.T, url, logFile string) {
	t.Helper()
	for range 200 {
		if r, err := http.Get(url); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, _ := os.ReadFile(logFile)
	t.Fatalf("mailpit did not start:\n%s", b)
}

// review35a: a 5xx to RCPT TO that is the sender's trouble (relay denied,
// policy, a full mailbox, too many recipients) is not the address's refusal
// for good; only a bad or disabled mailbox (5.1.x, 5.2.1) is. A scripted
// server answers RCPT TO with each reply. The reply kept (want, where
// given) is text Postgres takes: review38 met a server answering in
// Latin-1, whose refusal the store could not record (SQLSTATE 22021), so
// the job was retried, each try mailing the address again, until it was
// discarded with the user never told.
func TestSendersTroubleAtRcptIsNotRefusedForGood(t *testing.T) {
	for _, c := range []struct {
		reply   string
		refused bool
		want    string
	}{
		{"550 5.1.1 <x@example.test>: Recipient address rejected: User unknown in local recipient table", true, ""},
		{"550 5.2.1 The email account that you tried to reach is disabled", true, ""},
		{"550 5.1.1 Empf\xe4nger unbekannt", true, "550 5.1.1 Empf\uFFFDnger unbekannt"},
		{"550 5.1.1 no\x00such\x07user", true, "550 5.1.1 no such user"},
		{"554 5.7.1 <x@example.test>: Relay access denied", false, ""},                   // Postfix, a relay that no longer trusts us
		{"550 5.7.1 Client host rejected: cannot find your hostname", false, ""},         // the sender's IP/rDNS
		{"550 5.7.26 Unauthenticated email is not accepted from this domain", false, ""}, // our DMARC
		{"552 5.2.2 Mailbox full", false, ""},                                            // RFC 5321 4.5.3.1.10 / RFC 3463: retry
		{"550 5.4.5 Daily user sending quota exceeded", false, ""},                       // our quota
	} {
		t.Run(c.reply[:9], func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			go func() {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				defer conn.Close()
				r := bufio.NewReader(conn)
				fmt.Fprint(conn, "220 scripted ESMTP\r\n")
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
					case strings.HasPrefix(cmd, "EHLO"):
						fmt.Fprint(conn, "250-scripted\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n")
					case strings.HasPrefix(cmd, "RCPT"):
						fmt.Fprint(conn, c.reply+"\r\n")
					case strings.HasPrefix(cmd, "QUIT"):
						fmt.Fprint(conn, "221 bye\r\n")
						return
					default:
						fmt.Fprint(conn, "250 2.0.0 ok\r\n")
					}
				}
			}()
			s, err := mail.New("smtp://"+ln.Addr().String(), "noreply@gradzone.example", mail.WithTimeout(5*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Send(context.Background(), mail.Message{To: []string{"x@example.test"}, Subject: "x", Text: "x"})
			var refused *domain.MailRefused
			if got := errors.As(err, &refused); got != c.refused {
				t.Errorf("%q: refused for good %v, want %v (err %v)", c.reply, got, c.refused, err)
			} else if got && c.want != "" && refused.Reply != c.want {
				t.Errorf("%q: the reply kept %q, want %q", c.reply, refused.Reply, c.want)
			}
		})
	}
}
