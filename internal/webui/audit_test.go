package webui_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 15 finding 7: the audit log showed raw JSON with English keys. It
// now says in Chinese who did what to which record, and each change as
// field: before → after.
func TestAuditLogInReadersLanguage(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.Employer("51", "sichuan-chengdu")
	admin := a.ZoneAdmin("sichuan-chengdu")
	a.Must(http.StatusOK, "POST", "/api/v1/employers/"+emp.EmployerID+"/verify", admin.Token, nil)
	w := newWebClient(t, a, admin.Email)
	page := w.get("/staff/audit")
	i := strings.Index(page, `data-testid="audit-row"`)
	if i < 0 {
		t.Fatalf("no audit row on the page")
	}
	row := page[i:]
	row = row[:strings.Index(row, "</tr>")]
	for _, want := range []string{"工作人员", "认证单位", "单位 " + emp.EmployerID[:8], "状态：待认证 → 已认证"} {
		if !strings.Contains(row, want) {
			t.Errorf("audit row lacks %q:\n%s", want, row)
		}
	}
	if strings.Contains(row, "{") || strings.Contains(row, "employer.verified") {
		t.Errorf("audit row still shows raw data:\n%s", row)
	}
	if page := w.get("/staff/audit?lang=en"); !strings.Contains(page, "Verified an employer") || !strings.Contains(page, "Status") {
		t.Errorf("English audit page untranslated")
	}
}

// Every audit kind the store writes has a label in both languages, so a
// new kind cannot reach the page as a raw code.
func TestEveryAuditKindHasALabel(t *testing.T) {
	kind := regexp.MustCompile(`"((?:employer|opening|placement|quota|report)\.[a-z_]+)"`)
	files, _ := filepath.Glob("../postgres/*.go")
	seen := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, m := range kind.FindAllStringSubmatch(string(b), -1) {
			seen[m[1]] = true
		}
	}
	if len(seen) < 8 {
		t.Fatalf("found %d audit kinds in internal/postgres; the pattern is stale", len(seen))
	}
	for _, lang := range []string{"zh", "en"} {
		b, err := os.ReadFile("../../web/i18n/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		for k := range seen {
			if !strings.Contains(string(b), `"audit.kind.`+k+`"`) {
				t.Errorf("web/i18n/%s.json has no \"audit.kind.%s\"", lang, k)
			}
		}
	}
}
