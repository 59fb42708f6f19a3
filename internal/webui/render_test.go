package webui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
)

// A probe's script that did not read its pages left ERROR lines ("render
// … broken pipe"): a reader who hangs up mid-page is logged at DEBUG, and
// only a template's own failure at ERROR.
func TestClientGoneIsNotAnError(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		ctx  context.Context
		err  error
		gone bool
	}{
		{context.Background(), &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}, true},
		{context.Background(), fmt.Errorf("write: %w", syscall.ECONNRESET), true},
		{cancelled, errors.New("short write"), true},
		{context.Background(), errors.New(`template: x: executing "y" at <.Z>: nil pointer evaluating`), false},
	} {
		if got := clientGone(tc.ctx, tc.err); got != tc.gone {
			t.Errorf("clientGone(%v) = %v, want %v", tc.err, got, tc.gone)
		}
	}
}

// A review: a form whose client went away mid-request answered through
// message, which logged the store's "context canceled" at ERROR, the fault
// fail already stopped logging. No one reads it: nothing is logged.
func TestMessageForAGoneClientLogsNothing(t *testing.T) {
	var log bytes.Buffer
	s := &Site{Log: slog.New(slog.NewTextHandler(&log, nil))}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("POST", "/account/resend-verification", nil).WithContext(cancelled)
	if msg := s.message(c, fmt.Errorf("postgres: %w", context.Canceled)); msg != "" || log.Len() > 0 {
		t.Errorf("message for a gone client: %q, logged %q", msg, log.String())
	}
}

// A flash is escaped once, by the cookie (a review found it escaped twice:
// a Chinese message took 5/3 of the bytes, and a flash set by another
// client of the cookie read as percent codes), and the next page shows it
// as it was written.
func TestFlashIsEscapedOnce(t *testing.T) {
	s := &Site{Accounts: &app.Accounts{Links: auth.NewLinks("test")}} // the layout signs the form token
	for _, tc := range []struct {
		msg     string
		isError bool
	}{{"已保存：100% 完成 & 通知", false}, {"未找到 a+b", true}} {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest("POST", "/account", nil)
		s.flash(c, tc.msg, tc.isError)
		cookies := w.Result().Cookies()
		if len(cookies) != 1 {
			t.Fatalf("flash set %d cookies", len(cookies))
		}
		if cookies[0].SameSite != http.SameSiteLaxMode || !cookies[0].HttpOnly {
			t.Errorf("flash cookie %q: SameSite %v, HttpOnly %v (a probe found no SameSite)", cookies[0].Raw, cookies[0].SameSite, cookies[0].HttpOnly)
		}
		if once, _ := url.QueryUnescape(cookies[0].Value); strings.TrimPrefix(once, "!") != tc.msg {
			t.Errorf("cookie %q unescaped once reads %q, want %q", cookies[0].Value, once, tc.msg)
		}
		next, _ := gin.CreateTestContext(httptest.NewRecorder())
		next.Request = httptest.NewRequest("GET", "/account", nil)
		next.Request.AddCookie(cookies[0])
		if l := s.layout(next, ""); l.Flash != tc.msg || l.FlashError != tc.isError {
			t.Errorf("the next page shows %q (error %v), want %q (%v)", l.Flash, l.FlashError, tc.msg, tc.isError)
		}
	}
}

// A form whose session ended while it ran (a password change elsewhere at
// the same moment) leads to the sign-in page and back to the form, saying
// why: a verify walk got a 400 "please sign in" page beside a 退出 button.
func TestSignedOutMidRequestLeadsToSignIn(t *testing.T) {
	cat, err := loadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	s := &Site{cat: cat}
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("POST", "http://site.test/account/password", nil)
	c.Request.Header.Set("Referer", "http://site.test/account")
	c.Set("lang", "zh")
	s.fail(c, domain.ErrUnauthenticated)
	if c.Writer.Status() != http.StatusSeeOther || w.Header().Get("Location") != "/login?next=%2Faccount" {
		t.Fatalf("%d to %q", c.Writer.Status(), w.Header().Get("Location"))
	}
	if f := w.Result().Cookies(); len(f) != 1 || !strings.Contains(f[0].Value, url.QueryEscape("!您已退出登录")) {
		t.Errorf("the flash: %+v", f)
	}
}

// Pages write an appointment past midnight with its end's date, as its
// mails do (a verify walk read 「23:30–00:15」 on the board and on /me).
func TestPagesWriteAnEndPastMidnightWithItsDate(t *testing.T) {
	start := time.Date(2026, 12, 6, 23, 30, 0, 0, domain.Shanghai)
	if got := fmtEnd(start, start.Add(45*time.Minute)); got != "2026-12-07 00:15" {
		t.Errorf("past midnight: %q", got)
	}
	if got := fmtEnd(start.Add(-2*time.Hour), start.Add(-time.Hour)); got != "22:30" {
		t.Errorf("the same evening: %q", got)
	}
}

// The language link is the page it is on, in the other language, and
// never another site's: a probe opened //evil.example, a 404 of the site's
// whose link read //evil.example?lang=en.
func TestLanguageLinkStaysOnTheSite(t *testing.T) {
	for path, want := range map[string]string{
		"/search?q=算法&page=2": "/search?lang=en&page=2&q=%E7%AE%97%E6%B3%95",
		"/openings/1?lang=zh": "/openings/1?lang=en",
		"//evil.example":      "/?lang=en",
		"///evil.example/x":   "/evil.example/x?lang=en",
		"/\\evil.example":     "/evil.example?lang=en",
		"/%2F%2Fevil.example": "/evil.example?lang=en",
		"/%E6%8B%9B%E8%81%98": "/%E6%8B%9B%E8%81%98?lang=en",
		"/":                   "/?lang=en",
	} {
		got := langURL("zh", path)
		if got != want {
			t.Errorf("langURL(zh, %q) = %q, want %q", path, got, want)
		}
		if u, err := url.Parse(got); err != nil || u.Host != "" || strings.HasPrefix(got, "//") {
			t.Errorf("langURL(zh, %q) = %q leaves the site", path, got)
		}
	}
}

// A fault of ours (an internal error, a recovered panic) shows the site's
// page in the reader's language with the request's reference to quote: it
// read 「操作未完成：internal error」, English in a Chinese page.
func TestInternalErrorPageSpeaksTheReadersLanguage(t *testing.T) {
	s := testSite(t)
	s.Accounts = &app.Accounts{Links: auth.NewLinks("test")}
	s.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	for lang, want := range map[string]string{"zh": "系统出错了，请稍后再试", "en": "Something went wrong; please try again later"} {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest("GET", "/me", nil).WithContext(domain.WithRequestID(context.Background(), "ref-5f3a9c21"))
		c.Set("lang", lang)
		s.fail(c, errors.New("postgres: something broke"))
		if body := w.Body.String(); w.Code != http.StatusInternalServerError || !strings.Contains(body, want) ||
			!strings.Contains(body, "ref-5f3a9c21") || strings.Contains(body, "internal error") || strings.Contains(body, "postgres") {
			t.Errorf("%s: %d %s", lang, w.Code, body)
		}
	}
}
