package webui_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"

	"github.com/gradzone/gradzone/internal/testutil"
)

// js evaluates a JavaScript expression giving a string.
func js(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	return query(t, ctx, expr, chromedp.Evaluate[string](expr))
}

// fieldValue is the current value of the first element matching sel.
func fieldValue(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return js(t, ctx, `(function(){var e=document.querySelector(`+"`"+sel+"`"+`);return e?e.value:"<missing>"})()`)
}

// focused names the focused element: its name attribute.
func focused(t *testing.T, ctx context.Context) string {
	t.Helper()
	return js(t, ctx, `document.activeElement ? (document.activeElement.getAttribute("name") || "") : ""`)
}

// chineseMessage fails unless the text is a Chinese message (no English
// internal text such as "must be …").
func chineseMessage(t *testing.T, what, s string) {
	t.Helper()
	han := false
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			han = true
		}
	}
	if !han || strings.Contains(s, "must") || strings.Contains(s, "invalid") {
		t.Errorf("%s: message %q is not Chinese", what, s)
	}
}

// TestBrowserFormsKeepEveryValue reproduces issue 15 finding 1 at phone size:
// after a validation error every form comes back with what was typed and
// chosen (selects included), each message in Chinese beside its field, and
// the focus on the first field in error.
func TestBrowserFormsKeepEveryValue(t *testing.T) {
	a := testutil.NewApp(t)
	emp := a.VerifiedEmployer("51", "sichuan-chengdu")
	zone := a.ZoneAdmin("sichuan-chengdu")
	g := a.Graduate()
	ctx := browser(t, 390, 844)
	base := a.URL

	// 1. Employer registration: a wrong credit code keeps province, zone and
	// every other choice.
	form := employerSignUpForm
	do(t, ctx, chromedp.Navigate(base+"/register"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="register-employer"]`)))
	do(t, ctx, employerSignUp{name: "王经理", email: "keep-values@corp.cn", org: "成都保留输入科技有限公司",
		creditCode: "91510100MA0000000X", typ: "institute", size: "large", industry: "biomedicine"}.fill()...)
	submit(t, ctx, `[data-testid="register-employer"]`)
	for name, want := range map[string]string{"name": "王经理", "email": "keep-values@corp.cn", "org_name": "成都保留输入科技有限公司",
		"credit_code": "91510100MA0000000X", "type": "institute", "size": "large", "industry": "biomedicine",
		"province_code": "51", "zone_code": "sichuan-chengdu"} {
		if got := fieldValue(t, ctx, form+`[name="`+name+`"]`); got != want {
			t.Errorf("registration %s came back %q, want %q", name, got, want)
		}
	}
	chineseMessage(t, "credit code", js(t, ctx, `(document.querySelector('`+form+`[name="credit_code"] ~ .field-error')||{}).textContent||""`))
	if js(t, ctx, `String(document.querySelector('`+form+`[name="consent"]').checked)`) != "true" {
		t.Error("registration: the accepted privacy notice came back unticked")
	}
	if f := focused(t, ctx); f != "credit_code" {
		t.Errorf("registration: focus on %q, want the credit code", f)
	}

	// 2. The opening form: a too short title keeps the chosen industry,
	// degree and discipline; after fixing the title, those go live.
	login(t, ctx, base, emp.Email, testutil.Password)
	createOpening(t, ctx, base, "岗",
		chromedp.SetValue(chromedp.CSS(`#f-discipline`), "medicine"),
		chromedp.SetValue(chromedp.CSS(`#f-industry`), "biomedicine"),
		chromedp.SetValue(chromedp.CSS(`#f-degree_min`), "doctor"))
	for sel, want := range map[string]string{"#f-discipline": "medicine", "#f-industry": "biomedicine", "#f-degree_min": "doctor",
		"#f-description": "参与课题研究", "#f-city": "成都", "#f-salary_min": "6000", "#f-salary_max": "9000", "#f-title": "岗"} {
		if got := fieldValue(t, ctx, sel); got != want {
			t.Errorf("opening form %s came back %q, want %q", sel, got, want)
		}
	}
	chineseMessage(t, "title", text(t, ctx, `#e-title`))
	if f := focused(t, ctx); f != "title" {
		t.Errorf("opening form: focus on %q, want the title", f)
	}
	do(t, ctx, chromedp.SetValue(chromedp.CSS(`#f-title`), "岗位名称已修正"))
	submit(t, ctx, `[data-testid="create-opening"]`)
	ops := a.Must(http.StatusOK, "GET", "/api/v1/openings/manage", emp.Token, nil).JSON()["items"].([]any)
	var made map[string]any
	for _, o := range ops {
		if o.(map[string]any)["title"] == "岗位名称已修正" {
			made = o.(map[string]any)
		}
	}
	if made == nil || made["industry"] != "biomedicine" || made["degree_min"] != "doctor" || made["discipline"] != "medicine" {
		t.Errorf("opening saved as %v, want the choices made before the error (openings: %v)", made, ops)
	}
	// A title and a city of zero-width characters only are refused and
	// come back really empty (a walk: the boxes looked empty and held them
	// still); the city's reason under its box leaves the labels of its row
	// level (the headcount's dropped below the city's).
	createOpening(t, ctx, base, "", chromedp.SetValue(chromedp.CSS(`#f-title`), "\u200b\u200d\ufeff"), chromedp.SetValue(chromedp.CSS(`#f-city`), "\u200b"))
	for _, sel := range []string{"#f-title", "#f-city"} {
		if got := fieldValue(t, ctx, sel); got != "" {
			t.Errorf("opening form %s of zero-width characters came back %q", sel, got)
		}
	}
	if drop := js(t, ctx, `String(Math.round(document.querySelector('label[for="f-headcount"]').getBoundingClientRect().top - document.querySelector('label[for="f-city"]').getBoundingClientRect().top))`); drop != "0" {
		t.Errorf("with the city's reason shown, the headcount's label is %s px below the city's", drop)
	}
	logout(t, ctx)

	// 3. The profile form keeps what was typed, not what was stored.
	login(t, ctx, base, g.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(base+"/me"), chromedp.WaitVisible(chromedp.CSS(`#f-phone`)),
		chromedp.SetValue(chromedp.CSS(`#f-phone`), "12345"),
		chromedp.SetValue(chromedp.CSS(`#f-major`), "新的专业"),
		chromedp.SetValue(chromedp.CSS(`#f-skills`), "Go、SQL"),
		chromedp.SetValue(chromedp.CSS(`#statement`), "我的陈述"))
	submit(t, ctx, `form[action="/me/profile"] button`)
	for sel, want := range map[string]string{"#f-phone": "12345", "#f-major": "新的专业", "#f-skills": "Go、SQL", "#statement": "我的陈述"} {
		if got := fieldValue(t, ctx, sel); got != want {
			t.Errorf("profile %s came back %q, want %q", sel, got, want)
		}
	}
	chineseMessage(t, "phone", text(t, ctx, `#e-phone`))
	if f := focused(t, ctx); f != "phone" {
		t.Errorf("profile: focus on %q, want the phone", f)
	}
	logout(t, ctx)

	// 4. The event form keeps kind, title, times and link (next March:
	// an event starts within two years).
	start := fmt.Sprintf("%d-03-01T10:00", time.Now().Year()+1)
	end := fmt.Sprintf("%d-03-01T09:00", time.Now().Year()+1)
	login(t, ctx, base, zone.Email, testutil.Password)
	do(t, ctx, chromedp.Navigate(base+"/staff/events"), chromedp.WaitVisible(chromedp.CSS(`form[action="/staff/events"]`)),
		chromedp.SetValue(chromedp.CSS(`#ek`), "livestream"),
		chromedp.SetValue(chromedp.CSS(`#f-title`), "春季直播带岗"),
		chromedp.SetValue(chromedp.CSS(`#f-starts_at`), start),
		chromedp.SetValue(chromedp.CSS(`#f-ends_at`), end),
		chromedp.SetValue(chromedp.CSS(`#f-stream_url`), "https://live.example.cn/1"))
	submit(t, ctx, `form[action="/staff/events"] button[type="submit"]`)
	for sel, want := range map[string]string{"#ek": "livestream", "#f-title": "春季直播带岗", "#f-starts_at": start,
		"#f-ends_at": end, "#f-stream_url": "https://live.example.cn/1"} {
		if got := fieldValue(t, ctx, sel); got != want {
			t.Errorf("event form %s came back %q, want %q", sel, got, want)
		}
	}
	chineseMessage(t, "ends_at", text(t, ctx, `#e-ends_at`))
	if f := focused(t, ctx); f != "ends_at" {
		t.Errorf("event form: focus on %q, want the end time", f)
	}
}
