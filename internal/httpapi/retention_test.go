package httpapi_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 12 item 10: the résumés of graduates inactive for longer than the
// retention (24 months by default) are deleted — the files from the object
// store (read back through the real S3 gateway) and the rows naming them,
// the version submitted with an application included — while the
// applications stay; a graduate active within the period, or who signs in
// again, keeps the résumé.
func TestResumeRetention(t *testing.T) {
	a := testutil.NewApp(t)
	fs := a.Server.Files
	if fs == nil {
		t.Fatal("no object store: start the S3 gateway with .ci/services up")
	}
	emp, reviewer := a.Publisher()
	opening := a.Publish(emp, reviewer, nil)
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	idle, recent, returning := a.Graduate(), a.Graduate(), a.Graduate()
	apps := map[string]string{}
	for _, g := range []testutil.Account{idle, recent, returning} {
		a.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", pdf)
		apps[g.ID] = a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+opening+"/applications", g.Token,
			map[string]string{"cover_letter": "您好"}).JSON()["id"].(string)
	}
	db := testutil.SQL(t, a.DBURL)
	files := func(g testutil.Account) []string {
		t.Helper()
		rows, err := db.Query(`SELECT resume_file FROM graduates WHERE user_id = $1 AND resume_file IS NOT NULL
			UNION SELECT resume_file FROM applications WHERE graduate_id = $1 AND resume_file IS NOT NULL`, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var f string
			if err := rows.Scan(&f); err != nil {
				t.Fatal(err)
			}
			out = append(out, f)
		}
		return out
	}
	inStore := func(f string) bool {
		_, err := fs.Stat(context.Background(), app.ResumeKey(f))
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	idleFiles := files(idle)
	if len(idleFiles) == 0 || !inStore(idleFiles[0]) {
		t.Fatalf("the idle graduate's résumé was not stored: %v", idleFiles)
	}
	back := func(g testutil.Account, months int) {
		if _, err := db.Exec(`UPDATE users SET last_active_at = now() - make_interval(months => $2) WHERE id = $1`, g.ID, months); err != nil {
			t.Fatal(err)
		}
	}
	back(idle, 25)
	back(recent, 23)
	back(returning, 25)
	a.Login(returning.Email) // signing in again is activity

	if err := a.Server.Background.ExpireResumes(context.Background()); err != nil {
		t.Fatal(err)
	}
	if left := files(idle); len(left) != 0 {
		t.Fatalf("rows still name the idle graduate's résumé: %v", left)
	}
	for _, f := range idleFiles {
		if inStore(f) {
			t.Fatalf("résumé %s still in the object store", f)
		}
	}
	// The application stays; the employer reads no résumé for it.
	a.Must(http.StatusOK, "GET", "/api/v1/applications/"+apps[idle.ID], emp.Token, nil)
	a.Must(http.StatusNotFound, "GET", "/api/v1/graduates/"+idle.ID+"/resume", emp.Token, nil)
	for _, g := range []testutil.Account{recent, returning} {
		f := files(g)
		if len(f) == 0 || !inStore(f[0]) {
			t.Fatalf("an active graduate lost the résumé: %v", f)
		}
		a.Must(http.StatusOK, "GET", "/api/v1/graduates/"+g.ID+"/resume", emp.Token, nil)
	}
}

// The retention runs as a periodic River job, unique per period: two
// replicas on one database run it once.
func TestResumeRetentionJobOncePerPeriod(t *testing.T) {
	a := testutil.NewApp(t)
	testutil.NewApp(t, testutil.DatabaseURL(a.DBURL))
	db := testutil.SQL(t, a.DBURL)
	count := func(state string) (n int) {
		q := `SELECT count(*) FROM river_job WHERE kind = 'resume_retention'`
		var err error
		if state == "" {
			err = db.QueryRow(q).Scan(&n)
		} else {
			err = db.QueryRow(q+` AND state = $1`, state).Scan(&n)
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.Now().Add(45 * time.Second)
	for count("completed") == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the retention job did not run: %d queued", count(""))
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // room for a second replica's insert, were it to make one
	if n := count(""); n != 1 {
		t.Fatalf("%d retention jobs for one period, want 1", n)
	}
}
