package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/gradzone/gradzone/internal/testutil"
)

// testPDF is a minimal document the upload accepts as a PDF.
var testPDF = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

func uploadResume(t *testing.T, a *testutil.App, g testutil.Account) {
	t.Helper()
	if r := a.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", testPDF); r.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
}

// Issue 12 finding 10: an employer read a graduate's résumé forever after the
// graduate withdrew. Access lasts only while an application to one of the
// employer's openings is not withdrawn.
func TestResumeClosedAfterWithdrawal(t *testing.T) {
	w := newWorld(t, 2)
	g := w.a.Graduate()
	uploadResume(t, w.a, g)
	path := "/api/v1/graduates/" + g.ID + "/resume"
	app := w.apply(g, w.opening)
	w.a.Must(http.StatusOK, "GET", path, w.emp.Token, nil)
	w.move(g.Token, app, "withdrawn")
	w.a.Must(http.StatusNotFound, "GET", path, w.emp.Token, nil)
	// A résumé uploaded after the withdrawal is not readable either.
	uploadResume(t, w.a, g)
	w.a.Must(http.StatusNotFound, "GET", path, w.emp.Token, nil)
	// The graduate still reads its own.
	w.a.Must(http.StatusOK, "GET", path, g.Token, nil)
	// An application to another opening of the same employer opens it again.
	second := w.a.Publish(w.emp, w.admin, nil)
	w.apply(g, second)
	w.a.Must(http.StatusOK, "GET", path, w.emp.Token, nil)
}
