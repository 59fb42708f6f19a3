package httpapi_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/jobs"
	"github.com/gradzone/gradzone/internal/loadtest"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/internal/testutil"
)

// queueMails inserts one send_mail job per request, as a change that
// causes a mail does.
func queueMails(t *testing.T, a *testutil.App, reqs ...domain.Job) {
	t.Helper()
	ins, err := jobs.NewInserter()
	if err != nil {
		t.Fatal(err)
	}
	tx, err := testutil.SQL(t, a.DBURL).Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := ins.InsertTx(context.Background(), tx, reqs); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// snoozedMail returns when the one send_mail job waiting for a later time
// is due, failing unless exactly one waits.
func snoozedMail(t *testing.T, a *testutil.App) time.Time {
	t.Helper()
	var at []time.Time
	db := testutil.SQL(t, a.DBURL)
	deadline := time.Now().Add(10 * time.Second)
	for len(at) != 1 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		at = testutil.Column[time.Time](t, db, `SELECT scheduled_at FROM river_job WHERE kind = 'send_mail' AND state = 'scheduled'`)
	}
	if len(at) != 1 {
		t.Fatalf("%d send_mail jobs waiting, want the one over the limit", len(at))
	}
	return at[0]
}

// TestMailPerRecipientLimit: with 2 mails an hour per address, the third
// mail to one person waits (its job snoozed until the hour ends) and is
// not sent; a second replica on the same database sees the same count.
// The verification mail is exempt and does not count.
func TestMailPerRecipientLimit(t *testing.T) {
	// The window is the clock hour: keep the test inside one.
	if left := time.Until(time.Now().Truncate(time.Hour).Add(time.Hour)); left < time.Minute {
		time.Sleep(left + time.Second)
	}
	mp := testutil.NewMailpit(t)
	a := testutil.NewApp(t, testutil.PublicURL(publicURL), testutil.MailLimits(2, 0))
	email := testutil.MailAddress("rate")
	g := registerAt(t, a, email)
	mailTo(mp, email, 1) // verification, exempt
	a.MarkVerified(g.ID)
	status := func(n string) domain.Job {
		return postgres.MailJob(domain.MailApplicationStatus, g.ID, map[string]string{"opening_title": "T" + n, "status_zh": "已查看", "status_en": "viewed"}, "")
	}
	queueMails(t, a, status("1"), status("2"), status("3"))
	mailTo(mp, email, 3)
	due := snoozedMail(t, a)
	if next := time.Now().Truncate(time.Hour).Add(time.Hour); due.Before(next.Add(-2*time.Second)) || due.After(next.Add(2*time.Second)) {
		t.Fatalf("throttled mail due at %s, want the end of the hour %s", due, next)
	}
	time.Sleep(time.Second)
	if n := len(mp.Messages(email)); n != 3 {
		t.Fatalf("%d mails, want verification and 2 under the limit", n)
	}

	b := testutil.NewApp(t, testutil.DatabaseURL(a.DBURL), testutil.MailLimits(2, 0))
	err := b.Server.Background.SendMail(context.Background(), "other-replica", *status("4").Mail)
	var throttled *domain.MailThrottled
	if !errors.As(err, &throttled) || throttled.Wait <= 0 || throttled.Wait > time.Hour || !strings.HasPrefix(throttled.Key, "to:") || strings.Contains(throttled.Key, "@") {
		t.Fatalf("second replica sent past the shared limit: %v", err)
	}
	// The limit is the recipient's: another address still gets mail.
	other := registerAt(t, a, testutil.MailAddress("rate-other"))
	mailTo(mp, other.Email, 1)
}

// TestMailPerDomainLimit: with 2 mails a minute per domain, the third
// sign-up at one domain gets its verification mail only when the minute
// ends — once.
func TestMailPerDomainLimit(t *testing.T) {
	if left := time.Until(time.Now().Truncate(time.Minute).Add(time.Minute)); left < 15*time.Second {
		time.Sleep(left + time.Second)
	}
	mp := testutil.NewMailpit(t)
	a := testutil.NewApp(t, testutil.PublicURL(publicURL), testutil.MailLimits(0, 2))
	domainPart := strings.TrimSuffix(testutil.MailAddress("d"), "@example.test") + ".example.test"
	var emails []string
	for _, who := range []string{"a", "b", "c"} {
		emails = append(emails, who+"@"+domainPart)
		registerAt(t, a, emails[len(emails)-1])
	}
	due := snoozedMail(t, a)
	if next := time.Now().Truncate(time.Minute).Add(time.Minute); due.Before(next.Add(-2*time.Second)) || due.After(next.Add(2*time.Second)) {
		t.Fatalf("throttled mail due at %s, want the end of the minute %s", due, next)
	}
	got := 0
	for _, e := range emails {
		got += len(mp.Messages(e))
	}
	if got != 2 {
		t.Fatalf("%d mails to the domain before the minute ended, want 2", got)
	}
	for _, e := range emails { // the third arrives after the minute
		mp.WaitFor(e, 1, 90*time.Second)
	}
	time.Sleep(time.Second)
	for _, e := range emails {
		if n := len(mp.Messages(e)); n != 1 {
			t.Fatalf("%d mails to %s, want 1", n, e)
		}
	}
}

// An ops probe stopped the mail server: each failed try took a slot of the
// recipient's hourly limit, so a few minutes of outage used up the hour and
// the mails waited for the next one after the server was back. A try that
// reaches no server gives its slot back; the limit still holds after.
func TestMailOutageSpendsNoSlots(t *testing.T) {
	if left := time.Until(time.Now().Truncate(time.Hour).Add(time.Hour)); left < time.Minute {
		time.Sleep(left + time.Second)
	}
	mp := testutil.StartMailpit(t)
	var logged loadtest.SyncBuffer
	a := testutil.NewAppLogged(t, slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelWarn})),
		testutil.PublicURL(publicURL), testutil.MailLimits(2, 0), testutil.SMTPAt(mp.SMTPURL()))
	email := testutil.MailAddress("outage")
	g := registerAt(t, a, email)
	mailTo(mp.Mailpit, email, 1) // verification, exempt
	a.MarkVerified(g.ID)
	send := func(n string) error {
		req := postgres.MailJob(domain.MailApplicationStatus, g.ID, map[string]string{"opening_title": "T" + n, "status_zh": "已查看", "status_en": "viewed"}, "")
		return a.Server.Background.SendMail(context.Background(), "outage-"+n, *req.Mail)
	}
	mp.Stop()
	for _, n := range []string{"1", "2", "1", "2", "1"} {
		if err := send(n); !errors.Is(err, domain.ErrMailNotSent) {
			t.Fatalf("a send while the mail server is down: %v", err)
		}
	}
	// An operator watching warnings sees the outage (an operator probe:
	// the queue logs its retries at INFO only).
	if !strings.Contains(logged.String(), `"level":"WARN","msg":"mail not sent; the queue tries again"`) {
		t.Errorf("no warning of mail not sent:\n%s", logged.String())
	}
	mp.Start()
	for _, n := range []string{"1", "2"} {
		if err := send(n); err != nil {
			t.Fatalf("mail %s once the server is back: %v", n, err)
		}
	}
	mailTo(mp.Mailpit, email, 3)
	var throttled *domain.MailThrottled
	if err := send("3"); !errors.As(err, &throttled) {
		t.Errorf("a third mail in the hour: %v", err)
	}
}
