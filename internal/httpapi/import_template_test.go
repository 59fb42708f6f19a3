package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/gradzone/gradzone/internal/testutil"
)

// Issue 15 finding 8: the templates' own example rows failed validation.
// Uploaded unchanged, each template's example row is imported: the
// employers template's, then the openings template's (which names a
// verified employer of the zone).
func TestImportTemplatesExampleRowsImport(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	for _, kind := range []string{"employers", "openings"} {
		if kind == "openings" {
			a.VerifiedEmployer("51", "sichuan-chengdu")
		}
		tpl := a.Must(http.StatusOK, "GET", "/api/v1/imports/templates/"+kind+".xlsx", admin.Token, nil)
		r := a.UploadFile("/api/v1/imports/"+kind, admin.Token, kind+".xlsx", tpl.Body)
		if r.Status != http.StatusAccepted {
			t.Fatalf("%s: start %d %s", kind, r.Status, r.Body)
		}
		job := waitImport(t, a, admin.Token, r.JSON()["id"].(string))
		if job["status"] != "done" || job["created"] != 1.0 || len(job["errors"].([]any)) != 0 {
			t.Errorf("%s template uploaded as downloaded: %v", kind, job)
		}
	}
}

// Issue 15 item 8: every enumerated column takes the Chinese (or English)
// label as well as the code.
func TestImportAcceptsLabels(t *testing.T) {
	a := testutil.NewApp(t)
	admin := a.ZoneAdmin("sichuan-chengdu")
	code1, code2 := testutil.RandomCreditCode(), testutil.RandomCreditCode()
	emps := xlsx(t, [][]any{
		{"单位名称", "统一社会信用代码", "单位类型", "单位规模", "所属行业"},
		{"标签科技有限公司", code1, "企业", "小型", "人工智能"},
		{"Label Institute", code2, "Institute", "Large", "Biomedicine"},
	})
	r := a.UploadFile("/api/v1/imports/employers", admin.Token, "e.xlsx", emps)
	if job := waitImport(t, a, admin.Token, r.JSON()["id"].(string)); job["created"] != 2.0 {
		t.Fatalf("employers with labels: %v", job)
	}
	db := testutil.SQL(t, a.DBURL)
	var typ, size, industry string
	db.QueryRow(`SELECT type, size, industry FROM employers WHERE credit_code = $1`, code1).Scan(&typ, &size, &industry)
	if typ != "enterprise" || size != "small" || industry != "ai" {
		t.Errorf("labels stored as %q %q %q, want the codes", typ, size, industry)
	}
	ops := xlsx(t, [][]any{
		excelHeaders("openings"),
		{code1, "标签岗位", "描述", "工学", "人工智能", "硕士", "软件工程", 2, "成都", 6000, 9000, testutil.InDays(60)},
	})
	r = a.UploadFile("/api/v1/imports/openings", admin.Token, "o.xlsx", ops)
	if job := waitImport(t, a, admin.Token, r.JSON()["id"].(string)); job["created"] != 1.0 {
		t.Fatalf("openings with labels: %v", job)
	}
	var discipline, degree string
	db.QueryRow(`SELECT discipline, industry, degree_min FROM openings WHERE title = '标签岗位'`).Scan(&discipline, &industry, &degree)
	if discipline != "engineering" || industry != "ai" || degree != "master" {
		t.Errorf("opening labels stored as %q %q %q", discipline, industry, degree)
	}
}
