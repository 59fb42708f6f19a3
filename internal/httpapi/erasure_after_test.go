package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/testutil"
)

// TestMailJobsCarryNoToken: the queued jobs of verification and reset mails
// hold the token's row ID, not the token: a copy of the job table (or the
// queue's web UI) opens no account (issue 12 item 7 of the remaining work).
func TestMailJobsCarryNoToken(t *testing.T) {
	a, mp := mailApp(t)
	email := testutil.MailAddress("jobargs")
	registerAt(t, a, email)
	_, verifyToken := a.LinkToken(mailTo(mp, email, 1).Text, "/verify-email")
	a.Must(http.StatusAccepted, "POST", "/api/v1/auth/password-reset", "", map[string]string{"email": email})
	_, resetToken := a.LinkToken(mailTo(mp, email, 2).Text, "/reset-password")

	rows, err := testutil.SQL(t, a.DBURL).Query(`SELECT kind, args::text, coalesce(metadata::text, ''), coalesce(errors::text, '') FROM river_job`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var kind, args, meta, errs string
		if err := rows.Scan(&kind, &args, &meta, &errs); err != nil {
			t.Fatal(err)
		}
		n++
		for _, tok := range []string{verifyToken, resetToken} {
			if strings.Contains(args+meta+errs, tok) {
				t.Errorf("job %s holds a mailed token: %s", kind, args)
			}
		}
	}
	if n < 2 {
		t.Fatalf("%d jobs: the mail jobs were not found", n)
	}
	// The derived tokens work: the links verify and reset.
	a.Must(http.StatusNoContent, "POST", "/api/v1/auth/verify-email", "", map[string]string{"token": verifyToken})
	a.Must(http.StatusNoContent, "POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": resetToken, "password": "a fresh passphrase"})
}

// TestErasedEmployerUserGetsNoNotifications: after an employer's user erased
// its account, neither an applicant's move nor the stale-application flag
// stores a notification for it.
func TestErasedEmployerUserGetsNoNotifications(t *testing.T) {
	w := newWorld(t, 2)
	g := w.a.Graduate()
	app := w.apply(g, w.opening)
	stale := w.apply(w.a.Graduate(), w.opening)
	w.a.Must(http.StatusOK, "POST", "/api/v1/openings/"+w.opening+"/close", w.emp.Token, nil)
	w.a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", w.emp.Token, map[string]any{"password": testutil.Password})
	db := testutil.SQL(t, w.a.DBURL)
	var before int
	db.QueryRow(`SELECT count(*) FROM notifications WHERE user_id = $1`, w.emp.ID).Scan(&before)

	w.move(g.Token, app, "withdrawn")
	db.Exec(`UPDATE applications SET created_at = now() - interval '8 days' WHERE id = $1`, stale)
	if _, err := w.a.Server.Store.FlagStaleApplications(context.Background()); err != nil {
		t.Fatal(err)
	}
	var after int
	db.QueryRow(`SELECT count(*) FROM notifications WHERE user_id = $1`, w.emp.ID).Scan(&after)
	if after != before {
		t.Fatalf("the erased employer user got %d new notifications", after-before)
	}
}
