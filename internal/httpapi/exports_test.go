package httpapi_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// Finding 4 of issue 12: a graduate's name that looks like a formula must not
// reach a spreadsheet as a live formula through placements.csv.
func TestPlacementsCSVNeutralisesFormulas(t *testing.T) {
	w := newWorld(t, 5)
	a := w.a
	const evil = `=HYPERLINK("http://x","y")`
	body := testutil.GraduateBody(fmt.Sprintf("formula-%d@example.cn", time.Now().UnixNano()))
	body["name"] = evil
	r := a.Must(http.StatusCreated, "POST", "/api/v1/auth/register", "", body)
	g := r.JSON()["access_token"].(string)
	app := a.Must(http.StatusCreated, "POST", "/api/v1/openings/"+w.opening+"/applications", g, nil).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token, map[string]string{"to": "offered"})
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", g, map[string]string{"to": "accepted"})
	a.Must(http.StatusOK, "POST", "/api/v1/applications/"+app+"/transitions", w.emp.Token,
		map[string]string{"to": "hired", "hired_on": domain.DateOf(time.Now()).String()})

	res := a.Must(http.StatusOK, "GET", "/api/v1/placements.csv", w.admin.Token, nil)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(res.Body), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	if len(recs) != 2 {
		t.Fatalf("%d records: %v", len(recs), recs)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "graduate" {
			col = i
		}
	}
	if got := recs[1][col]; got != "'"+evil {
		t.Fatalf("graduate cell %q: a spreadsheet would run it as a formula", got)
	}
	for _, rec := range recs[1:] {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q starts with a formula character", cell)
			}
		}
	}
}
