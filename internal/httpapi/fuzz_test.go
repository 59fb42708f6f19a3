package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// Fuzz targets of issue 12 item 11: the decode-and-validate step of each
// request a stranger can shape. Whatever arrives, the answer is a result or
// a domain error that maps to a 4xx — never a panic or an internal error
// (which the server would answer with 500). `make fuzz` runs each for 60 s,
// `make test` for 10 s; `go test` runs the seeds below.

func fuzzContext(method, target string, body []byte) *gin.Context {
	gin.SetMode(gin.TestMode)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(method, "/", bytes.NewReader(body))
	c.Request.URL.RawQuery = target
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 64<<10)
	return c
}

// clientError fails unless err is nil or a domain error answered with a 4xx.
func clientError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	de, ok := err.(*domain.Error)
	if !ok {
		t.Fatalf("error %v is not a domain error: it would be a 500", err)
	}
	if st, known := statusOf[de.Code]; known && (st < 400 || st >= 500) {
		t.Fatalf("error %#v would be answered %d", err, st)
	}
}

// fuzzBody fuzzes the decoding of a request body into a T, from the seeds:
// decoding answers nothing or a client error, and a body that decodes is
// handed to check, which validates it further.
func fuzzBody[T any](f *testing.F, seeds []string, check func(t *testing.T, req T)) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req T
		err := decode(fuzzContext("POST", "", body), &req)
		clientError(t, err)
		if err == nil {
			check(t, req)
		}
	})
}

func FuzzSearchParams(f *testing.F) {
	for _, s := range []string{"", "q=人工智能&zone=sichuan-chengdu&sort=newest&page=2&per_page=50", "q=kyzl&degree=master&industry=ai",
		"page=0", "per_page=1000", "sort=%00", "q=" + strings.Repeat("a", 300), "zone=%ff%fe", "q=%E4%BA", "city=成都&province=51&employer_type=university"} {
		f.Add(s)
	}
	a := &API{Deps: Deps{Now: time.Now}}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := a.parseSearch(fuzzContext("GET", raw, nil))
		clientError(t, err)
		if err == nil && (q.Page < 1 || q.PerPage < 1 || q.PerPage > 100) {
			t.Fatalf("accepted out-of-range query %+v", q)
		}
	})
}

func FuzzRegisterBody(f *testing.F) {
	fuzzBody(f, []string{`{"role":"graduate","email":"a@b.cn","password":"correct-horse-42","name":"李华","university":"四川大学","degree":"master","major":"计算机","graduation_year":2026,"consent":true}`,
		`{"role":"employer","email":"hr@x.cn","password":"correct-horse-42","name":"王","employer":{"name":"某公司","credit_code":"91510100MA61234567","type":"enterprise","size":"small","industry":"ai","province_code":"51","zone_code":"sichuan-chengdu"},"consent":true}`,
		`{"role":"ministry_admin"}`, `{"graduation_year":"2026"}`, `[]`, `{"email":"a\u0000@b.cn"}`, `{"role":"employer","employer":null}`, ``, `{`},
		func(t *testing.T, req registerRequest) {
			switch domain.Role(req.Role) {
			case domain.RoleGraduate:
				r := domain.GraduateRegistration{Email: req.Email, Password: req.Password, Name: req.Name, University: req.University,
					Degree: req.Degree, Major: req.Major, GraduationYear: req.GraduationYear}
				clientError(t, r.Validate(2026))
			case domain.RoleEmployer:
				if req.Employer == nil {
					return
				}
				r := domain.EmployerRegistration{Email: req.Email, Password: req.Password, Name: req.Name, Organisation: *req.Employer}
				clientError(t, r.Validate())
			}
		})
}

func FuzzLoginBody(f *testing.F) {
	fuzzBody(f, []string{`{"email":"a@b.cn","password":"x"}`, `{"email":1}`, `{"email":"a\u0000@example.test","password":"x"}`, `null`, `{} {}`, "\xff"},
		func(t *testing.T, req loginRequest) { _ = domain.NormalizeEmail(req.Email) })
}

func FuzzCreateOpeningBody(f *testing.F) {
	good, _ := json.Marshal(map[string]any{"title": "人工智能科研助理", "description": "协助算法研究", "discipline": "engineering", "industry": "ai",
		"degree_min": "bachelor", "majors": []string{"软件工程"}, "headcount": 2, "city": "成都", "salary_min": 6000, "salary_max": 9000, "deadline": "2027-06-30"})
	today := domain.DateOf(time.Date(2026, 12, 1, 0, 0, 0, 0, domain.Shanghai))
	fuzzBody(f, []string{string(good), `{"headcount":-1}`, `{"majors":"x"}`, `{"deadline":"2027-02-30"}`, `{"salary_min":1e309}`, `{"title":"\ud800"}`},
		func(t *testing.T, in domain.OpeningInput) { clientError(t, in.Validate(today)) })
}

func FuzzTransitionBody(f *testing.F) {
	fuzzBody(f, []string{`{"to":"hired","hired_on":"2026-11-30"}`, `{"to":"offered","note":"好"}`, `{"to":"nope"}`, `{"hired_on":"99999-01-01"}`, `{"to":null}`},
		func(t *testing.T, req transitionRequest) {
			for _, role := range []domain.Role{domain.RoleGraduate, domain.RoleEmployer, domain.RoleZoneAdmin} {
				for _, from := range domain.ApplicationStatuses {
					clientError(t, domain.CheckTransition(role, from, req.To))
				}
			}
			_, _ = domain.ParseDate(req.HiredOn)
		})
}

// A panic is answered 500 in the shape of where it happened: the site's
// styled page for a page (it was the API's JSON), the contract's JSON for
// the API, and JSON still when the styled page fails too. Both panics are
// in the log (the page's was swallowed: nothing said why the page broke).
func TestPanicAnsweredInTheShapeOfItsPath(t *testing.T) {
	pageFails := false
	var log bytes.Buffer
	h, err := NewHandler(Deps{
		Log: slog.New(slog.NewTextHandler(&log, nil)),
		WebError: func(c *gin.Context, err error) {
			if pageFails {
				panic("the page broke too")
			}
			c.String(http.StatusInternalServerError, "<p>styled: %s</p>", domain.CodeOf(err))
		},
		Extra: func(r *gin.Engine) error {
			r.GET("/boom", func(*gin.Context) { panic("planted") })
			r.GET("/api/v1/boom", func(*gin.Context) { panic("planted") })
			// A download that broke after its headers were set, before a byte.
			for _, p := range []string{"/boom.csv", "/api/v1/boom.csv"} {
				r.GET(p, func(c *gin.Context) {
					c.Header("Content-Type", "text/csv; charset=utf-8")
					c.Header("Content-Disposition", `attachment; filename="placements.csv"`)
					c.Header("Cache-Control", "public, max-age=300")
					panic("planted")
				})
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path      string
		pageFails bool
		want      string
	}{
		{"/boom", false, "<p>styled: internal</p>"},
		{"/api/v1/boom", false, `"code":"internal"`},
		{"/boom", true, `"code":"internal"`},
		{"/boom.csv", false, "<p>styled: internal</p>"},
		{"/api/v1/boom.csv", false, `"code":"internal"`},
	} {
		pageFails = tc.pageFails
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", tc.path, nil))
		if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), tc.want) || strings.Contains(w.Body.String(), "planted") {
			t.Errorf("%s (page fails: %v): %d %s", tc.path, tc.pageFails, w.Code, w.Body)
		}
		// The answer is not the download the handler began: not a CSV
		// file to save, nor one a shared cache keeps.
		if h := w.Header(); strings.Contains(h.Get("Content-Type"), "csv") || h.Get("Content-Disposition") != "" || strings.Contains(h.Get("Cache-Control"), "public") {
			t.Errorf("%s: answered with the download's headers: %v", tc.path, h)
		}
	}
	if !strings.Contains(log.String(), "the page broke too") {
		t.Error("the styled page's own panic is not in the log")
	}
	// Each is in the access log, at ERROR as every 5xx (a panic unwound
	// past accessLog, and its request had no line).
	if n := strings.Count(log.String(), "level=ERROR msg=request "); n != 5 {
		t.Errorf("%d access lines of a panic at ERROR, want 5", n)
	}
}
