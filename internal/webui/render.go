// Package webui is the server-rendered site: Chinese first, English on
// request, working without JavaScript and on a phone. Sessions are the API's
// JWTs in HttpOnly SameSite cookies, refreshed silently; every form post
// carries a CSRF token.
//
// Files go by feature, each Go file with its templates under
// web/templates/<feature>/: search, opening, applications (the graduate's
// /me), account (sign-in, registration, profile, notifications), employer
// (workbench and board), staff (dashboard and review queues, imports,
// audit), reports, events. Every page is a typed view (view.go) built by one
// function and drawn by one template; Site.render accepts nothing else.
package webui

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/pinyin"
	"github.com/gradzone/gradzone/web"
)

// catalogues holds the message catalogues by language.
type catalogues map[string]map[string]string

func loadCatalogues() (catalogues, error) {
	out := catalogues{}
	for _, lang := range []string{"zh", "en"} {
		b, err := fs.ReadFile(web.FS, "i18n/"+lang+".json")
		if err != nil {
			return nil, err
		}
		m, err := readCatalogue(b)
		if err != nil {
			return nil, fmt.Errorf("i18n/%s.json: %w", lang, err)
		}
		out[lang] = m
	}
	return out, nil
}

// readCatalogue reads a catalogue's flat object of texts, refusing a key
// written twice: json.Unmarshal keeps the later one, and a page's new label
// given an existing key's name relabelled every count that key named
// (walk36: 已招录 read 录用名单 on the dashboards).
func readCatalogue(b []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not an object of texts (%v, %v)", t, err)
	}
	m := map[string]string{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		var text string
		if err := dec.Decode(&text); err != nil {
			return nil, fmt.Errorf("%q: %w", key, err)
		}
		if _, twice := m[key]; twice {
			return nil, fmt.Errorf("%q is written twice", key)
		}
		m[key] = text
	}
	// The object closes, and nothing follows it, as json.Unmarshal required
	// (review37: a catalogue cut short, a merge's half, was read whole).
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return nil, fmt.Errorf("the object of texts does not close (%v, %v)", t, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("more after the object of texts (%v)", err)
	}
	return m, nil
}

// lookup is the text for key in lang only, without falling back.
func (cat catalogues) lookup(lang, key string) (string, bool) {
	s, ok := cat[lang][key]
	return s, ok
}

func (cat catalogues) t(lang, key string) string {
	if s, ok := cat[lang][key]; ok {
		return s
	}
	if s, ok := cat["zh"][key]; ok {
		return s
	}
	return key
}

// tf is the text for key with the number or value v in place of {n} or
// {d}. A count of exactly 1 takes the key's ".one" form where there is one
// (English: "1 opening", not "1 openings"; Chinese has no plural and
// repeats the text).
func (cat catalogues) tf(lang, key string, v any) string {
	n := fmt.Sprint(v)
	r := cat.count(lang, key, n == "1")
	r = strings.ReplaceAll(r, "{n}", n)
	return strings.ReplaceAll(r, "{d}", n)
}

// count is key's text for a count: its ".one" form when the count is one
// and lang has that form. For a text filled by fmt.Sprintf (%d), which tf
// does not fill.
func (cat catalogues) count(lang, key string, one bool) string {
	if s, ok := cat.lookup(lang, key+".one"); ok && one {
		return s
	}
	return cat.t(lang, key)
}

// fieldArgs feed the "field" partial: they draw one labelled input; Prefix
// keeps its element IDs apart from the same field of another form on the
// page.
type fieldArgs struct {
	Lang, Label, Name, Type, Value, Error, Prefix string
	// OneTimeCode: a six-digit code field (the numeric keypad on a phone,
	// and the code the phone offers from a message).
	OneTimeCode bool
	// Autocomplete tells a password manager what a password field holds
	// (new-password: offer a strong one); MinLength is the browser's own
	// check of a new password's length.
	Autocomplete string
	MinLength    int
	// RefusedBy is the ID of a message that refused the whole form, tied
	// to this field, its first (refusedBy): the page puts the keyboard
	// there and the message is read with it.
	RefusedBy string
}

// fieldError feeds the "error" and "invalid" partials: a control's fault
// and the ID that ties the control to it (aria-describedby). An audit
// found selects and checkboxes marked invalid with no word of why.
type fieldError struct{ ID, Msg string }

type statusArgs struct{ Lang, S, Key string }

// appStatusKey is the catalogue key of an application's status: a
// rejected application reads 未通过 (as in its notifications and mail), not
// the 已驳回 of a rejected opening.
func appStatusKey(s string) string {
	if s == domain.AppRejected {
		return "status.app_rejected"
	}
	return "status." + s
}

// reasonArgs feed the "reason-input" partial: the language and the
// catalogue key of the input's label.
type reasonArgs struct {
	Lang, Label string
	// Refused is a reason the server refused, kept and marked invalid.
	Refused string
}

// withdrawArgs feed the "withdraw" and "leave-waitlist" partials: a
// graduate's button to take back a registration or a place on a waitlist,
// coming back to From ("mine": 我的活动; "": the event). Limited: the event
// has a number of places, so a place given back may go to someone else.
type withdrawArgs struct {
	Lang, CSRF, EventID, From string
	Limited                   bool
}

// gapArgs feed the "target-gap" partial: a number that may be negative.
type gapArgs struct {
	Lang string
	N    int64
}

// langForm is a form with the page's language, for a partial that draws
// some of the form's fields.
type langForm struct {
	Lang   string
	Prefix string // of the element IDs of its fields (fieldArgs.Prefix)
	Form
}

func (s *Site) funcs() template.FuncMap {
	return template.FuncMap{
		"t": s.cat.t,
		// place names a zone or province (code) in the reader's language.
		"place": s.placeName,
		// city is an employer's city in the reader's language: in English
		// when it is a city the site knows, else as the employer wrote it.
		"city": cityIn,
		"tf":   s.cat.tf,
		// rows fills a text's {rows} with row numbers ("7–8, 12").
		"rows": func(text, rows string) string { return strings.ReplaceAll(text, "{rows}", rows) },
		// mark shows search highlights, which the search layer already
		// escaped around <mark>; they are unescaped and escaped again here
		// so nothing but <mark> can ever be markup, whatever the source.
		"mark": func(s string) template.HTML {
			e := html.EscapeString(html.UnescapeString(s))
			e = strings.ReplaceAll(e, "&lt;mark&gt;", "<mark>")
			return template.HTML(strings.ReplaceAll(e, "&lt;/mark&gt;", "</mark>"))
		},
		"pct": func(v *float64) string {
			if v == nil {
				return "—"
			}
			return fmt.Sprintf("%.1f%%", *v)
		},
		"deref": func(v any) any {
			switch p := v.(type) {
			case *float64:
				if p != nil {
					return *p
				}
			case *string:
				if p != nil {
					return *p
				}
			case *time.Time:
				if p != nil {
					return *p
				}
			}
			return ""
		},
		"fmtTime":  func(t time.Time) string { return t.In(domain.Shanghai).Format("2006-01-02 15:04") },
		"fmtClock": func(t time.Time) string { return t.In(domain.Shanghai).Format("15:04") },
		// fmtEnd is an appointment's end after its start: a time of day,
		// with the date when it runs past midnight (as its mails write it).
		"fmtEnd": fmtEnd,
		// timeRange is an event's or an interview's time for the
		// "time-range" partial.
		"timeRange": timeRange,
		// signed is a change with its sign: +1, −2, 0.
		"signed": func(n int64) string {
			if n < 0 {
				return "−" + strconv.FormatInt(-n, 10)
			}
			if n > 0 {
				return "+" + strconv.FormatInt(n, 10)
			}
			return "0"
		},
		// day is a weekday in brackets after a date: （周五）, " (Fri)".
		"day": func(lang string, t time.Time) string {
			p := punctuation(lang)
			return p.open + domain.WeekdayIn(lang, t) + p.close
		},
		// dayBeijing is the weekday of an appointment after its time (a
		// reader plans by it), with the time zone in the same brackets
		// (（周日，北京时间）, " (Sun, Beijing time)"), as the mails write
		// it: two brackets in a row read badly (a walk).
		"dayBeijing": func(lang string, t time.Time) string {
			return strings.ReplaceAll(s.cat.t(lang, "time.day_beijing"), "{d}", domain.WeekdayIn(lang, t))
		},
		"fmtDate": func(t time.Time) string { return domain.DateOf(t).String() },
		// daysLeft is how soon a deadline comes, within two weeks ("" for
		// later, past or unreadable): a bare date hid an opening closing in
		// three days among those closing in months.
		"daysLeft": func(lang, deadline string) string {
			d, ok := domain.ParseDate(deadline)
			if !ok {
				return ""
			}
			switch n := s.today().DaysUntil(d); {
			case n == 0:
				return s.cat.t(lang, "opening.closes_today")
			case n > 0 && n <= 14:
				return s.cat.tf(lang, "opening.days_left", n)
			}
			return ""
		},
		"slot": func(lang string, iv *domain.Interview) slotArgs { return slotArgs{Lang: lang, Interview: iv} },
		// offered shows an offered time as the interview it would be.
		"offered": func(lang string, sl domain.InterviewSlot) slotArgs {
			return slotArgs{Lang: lang, Interview: &domain.Interview{StartsAt: sl.StartsAt, EndsAt: sl.EndsAt, Location: sl.Location, OnlineURL: sl.OnlineURL}}
		},
		"join": func(lang string, a []string) string { return strings.Join(a, punctuation(lang).sep) },
		// Punctuation between the page's own words and data: full-width in
		// Chinese, ASCII (with its spaces) in English.
		"colon": func(lang string) string { return punctuation(lang).colon },
		"lp":    func(lang string) string { return punctuation(lang).open },
		"rp":    func(lang string) string { return punctuation(lang).close },
		"sep":   func(lang string) string { return punctuation(lang).sep },
		// breakdownChanges: a submitted report's breakdowns moved since.
		"breakdownChanges": breakdownChanges,
		"comma":            func(lang string) string { return punctuation(lang).comma },
		"industry":         industryName,
		"inc":              func(i int) int { return i + 1 },
		"neg":              func(n int64) int64 { return -n },
		"reasonInput": func(lang, label string, refused ...string) reasonArgs {
			return reasonArgs{Lang: lang, Label: label, Refused: strings.Join(refused, "")}
		},
		"withdrawArgs": func(lang, csrf, eventID, from string, limited ...bool) withdrawArgs {
			return withdrawArgs{lang, csrf, eventID, from, len(limited) > 0 && limited[0]}
		},
		"gap": func(lang string, n int64) gapArgs { return gapArgs{lang, n} },
		"field": func(lang, label, name, typ string, value any, err string) fieldArgs {
			return fieldArgs{Lang: lang, Label: label, Name: name, Type: typ, Value: fmt.Sprint(value), Error: err}
		},
		"st": func(lang, s string) statusArgs { return statusArgs{lang, s, "status." + s} },
		// ast and appStatus name an application's status (appStatusKey).
		"ast":       func(lang, s string) statusArgs { return statusArgs{lang, s, appStatusKey(s)} },
		"appStatus": func(lang, status string) string { return s.cat.t(lang, appStatusKey(status)) },
		"formIn":    func(lang, prefix string, f Form) langForm { return langForm{lang, prefix, f} },
		"in":        func(prefix string, f fieldArgs) fieldArgs { f.Prefix = prefix; return f },
		// ac names what a field holds for the browser's autofill (WCAG 1.3.5).
		"ac": func(purpose string, f fieldArgs) fieldArgs { f.Autocomplete = purpose; return f },
		"fe": func(name, msg string) fieldError {
			return fieldError{ID: "err-" + strings.ReplaceAll(name, ".", "-"), Msg: msg}
		},
		"otc": func(f fieldArgs) fieldArgs { f.OneTimeCode = true; return f },
		"newPassword": func(f fieldArgs) fieldArgs {
			f.Autocomplete, f.MinLength = "new-password", domain.MinPasswordLength
			return f
		},
		"currentPassword": func(f fieldArgs) fieldArgs { f.Autocomplete = "current-password"; return f },
		"refusedBy":       func(id string, f fieldArgs) fieldArgs { f.RefusedBy = id; return f },
		"reviewBtn": func(lang, csrf string, o domain.Opening, refused ...string) reviewArgs {
			return reviewArgs{Lang: lang, CSRF: csrf, OpeningID: o.ID, Title: o.Title, Version: o.Version, ReturnedFor: o.ReturnedFor,
				ChangedSinceReturn: o.ChangedSinceReturn, ChangedSinceApproval: o.ChangedSinceApproval, Refused: strings.Join(refused, "")}
		},
		// salary is an opening's monthly pay, or 面议 when none is given
		// (both 0: the form's and an import's empty salary; a walk read 0–0).
		"salary": func(lang string, lo, hi int) string {
			if lo == 0 && hi == 0 {
				return s.cat.t(lang, "opening.negotiable")
			}
			return fmt.Sprintf("%d–%d %s", lo, hi, s.cat.t(lang, "opening.yuan"))
		},
		"changes": func(lang, caption, before string, rows []domain.FieldChange) changesArgs {
			return changesArgs{Lang: lang, Caption: caption, Before: before, Rows: rows}
		},
		"fieldValue": s.fieldValue,
		"saveBtn": func(lang, csrf, id, title, next string, saved bool) saveArgs {
			return saveArgs{Lang: lang, CSRF: csrf, OpeningID: id, Title: title, Next: next, Saved: saved}
		},
		"of":      func(lang, name string) ofArgs { return ofArgs{lang, name} },
		"langURL": langURL,
		// brief cuts a long text to n characters with "…" (a report's note
		// in its row; the versions page has it whole).
		"brief": describe,
	}
}

// langURL is the page at path (the request's URI) in the other language
// than lang. It is built from the path alone, which keeps one leading
// slash: a probe opened //evil.example, a 404 of the site's, whose
// language link url.Parse had read as the host evil.example.
func langURL(lang, path string) string {
	other := "en"
	if lang == "en" {
		other = "zh"
	}
	u, err := url.Parse(path)
	if err != nil {
		return "/?lang=" + other
	}
	q := u.Query()
	q.Set("lang", other)
	return (&url.URL{Path: "/" + strings.TrimLeft(u.Path, "/\\"), RawQuery: q.Encode()}).String()
}

// parse builds one template set per page: the layout, the partials and the
// page's file, named by its path under templates/ ("search/search").
func (s *Site) parse() error {
	s.pages = map[string]*template.Template{}
	entries, err := fs.Glob(web.FS, "templates/*/*.html")
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := strings.TrimSuffix(strings.TrimPrefix(e, "templates/"), ".html")
		if name == "layout/layout" || name == "layout/partials" {
			continue
		}
		t, err := template.New("layout.html").Funcs(s.funcs()).ParseFS(web.FS, "templates/layout/layout.html", "templates/layout/partials.html", e)
		if err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

// render writes a whole page.
func (s *Site) render(c *gin.Context, status int, v View) {
	s.renderTemplate(c, status, v, "layout.html")
}

// renderTemplate writes one named template of a page (the search results
// alone, for results as you type).
func (s *Site) renderTemplate(c *gin.Context, status int, v View, tmpl string) {
	t, ok := s.pages[v.template()]
	if !ok {
		c.String(http.StatusInternalServerError, "missing template")
		return
	}
	c.Status(status)
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	if err := t.ExecuteTemplate(c.Writer, tmpl, v); err != nil {
		// A reader who left mid-page is no fault of ours, and at ERROR it
		// would set off the error-rate alert.
		if clientGone(c.Request.Context(), err) {
			s.Log.Debug("render: the client went away", "page", v.template(), "err", err)
			return
		}
		s.Log.Error("render", "page", v.template(), "err", err)
	}
}

// clientGone says whether a failed write means the client hung up (an
// operation a canceled request cut short is domain.ClientGone).
func clientGone(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}

// setCookie sets one of the site's small cookies (flash, refusal,
// language) for the whole site: HttpOnly, SameSite=Lax like the session's,
// Secure behind https. gin escapes the value, and c.Cookie unescapes it.
func (s *Site) setCookie(c *gin.Context, name, value string, maxAge int) {
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie(name, value, maxAge, "/", "", s.secure, true)
}

// flash stores a one-time message shown on the next page; "!" marks errors.
// gin escapes a cookie's value and c.Cookie unescapes it: once each.
func (s *Site) flash(c *gin.Context, msg string, isError bool) {
	if isError {
		msg = "!" + msg
	}
	s.setCookie(c, "gz_flash", msg, 60)
}

// keepRefused carries a reason the server refused back into its box on the
// page at path, where the refusal goes: in a cookie, as the flash goes, not
// in the address (an audit found staff's text in the redirect, so in access
// logs and the browser's history). The cookie names its page, so a reason
// never lands in another opening's box; base64url keeps a 500-character
// reason within a cookie's 4 KB (escaped, it was lost past 270: a review).
// A longer one, refused for its length, comes back cut to keptReasonRunes:
// whole it would not fit, and the box would come back empty (review37).
func (s *Site) keepRefused(c *gin.Context, path, reason string) {
	if r := []rune(reason); len(r) > keptReasonRunes {
		reason = string(r[:keptReasonRunes])
	}
	if reason != "" {
		s.setCookie(c, "gz_refused", base64.RawURLEncoding.EncodeToString([]byte(path+"\n"+reason)), 60)
	}
}

// keptReasonRunes bounds what keepRefused carries (a reason, with the ID a
// list puts before it): more than the 500 a reason may have, few enough
// that 3-byte characters fit a cookie.
const keptReasonRunes = 700

// refusedReason is the reason keepRefused carried to this page, once; the
// cookie goes whichever page reads it.
func (s *Site) refusedReason(c *gin.Context) string {
	v, err := c.Cookie("gz_refused")
	if err != nil || v == "" {
		return ""
	}
	s.setCookie(c, "gz_refused", "", -1)
	raw, err := base64.RawURLEncoding.DecodeString(v)
	path, reason, ok := strings.Cut(string(raw), "\n")
	if err != nil || !ok || path != c.Request.URL.Path {
		return ""
	}
	return reason
}

// fail shows an error: not-found and scope errors as 404, others with their message.
func (s *Site) fail(c *gin.Context, err error) {
	if domain.ClientGone(c.Request.Context(), err) {
		c.AbortWithStatus(domain.StatusClientGone) // no one reads it; the access log says so
		return
	}
	code := domain.CodeOf(err)
	if code == domain.CodeUnauthenticated {
		// The session ended while the request ran (the password changed,
		// or a sign-out, elsewhere at the same moment): sign in again and
		// come back, as a request that came after it is sent (a verify
		// walk got a "please sign in" page that looked signed in).
		next := formPage(c)
		if next == "" && c.Request.Method == http.MethodGet {
			next = c.Request.URL.RequestURI()
		}
		s.flash(c, s.cat.t(lang(c), "error.signed_out"), true)
		c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(cmp.Or(next, "/")))
		return
	}
	status := http.StatusBadRequest
	msg, heading := s.cat.t(lang(c), "error.generic"), "error.title"
	var de *domain.Error
	errors.As(err, &de)
	switch {
	case code == domain.CodeNotFound:
		// Not a failure: an address that leads nowhere (or not for this reader).
		status, msg, heading = http.StatusNotFound, s.cat.t(lang(c), "error.not_found"), "error.not_found_title"
	case code == domain.CodeUnavailable || code == domain.CodeRateLimited:
		// A dependency down (503) or too many attempts (429): the styled
		// page says so and when to come back; never a 500.
		status = http.StatusServiceUnavailable
		if code == domain.CodeRateLimited {
			status = http.StatusTooManyRequests
		}
		if de.RetryAfter > 0 {
			c.Header("Retry-After", strconv.Itoa(de.RetryAfter))
		}
		msg = s.message(c, err)
	case code == domain.CodeInternal || de == nil:
		// Ours, not the reader's: what broke is in the log, found by the
		// reference the page gives to quote.
		ref := domain.RequestID(c.Request.Context())
		s.Log.Error("web", "path", c.Request.URL.Path, "request_id", ref, "err", err)
		status = http.StatusInternalServerError
		msg = s.cat.t(lang(c), "code.internal") + s.cat.tf(lang(c), "error.reference", ref)
	default:
		switch code {
		case domain.CodeForbidden:
			status = http.StatusForbidden
		case domain.CodeMethodNotAllowed:
			status = http.StatusMethodNotAllowed
		case domain.CodeTooLarge:
			status = http.StatusRequestEntityTooLarge
		}
		msg += s.message(c, err)
	}
	h := s.cat.t(lang(c), heading)
	v := &ErrorPage{Layout: s.layout(c, h), Heading: h, Message: msg}
	if code == domain.CodeTooLarge {
		v.Back = formPage(c)
	}
	s.render(c, status, v)
}

// fmtEnd is the end of an appointment from start to end as the pages
// write it (domain.LocalRange).
func fmtEnd(start, end time.Time) string {
	_, e := domain.LocalRange(start, end)
	return e
}

// rangeArgs feed the "time-range" partial: a span of time as
// domain.LocalRange writes it, and its start and end for their weekdays.
type rangeArgs struct {
	Lang, Start, End string
	OneDay           bool // the end is a time of day on the start's date
	At, EndAt        time.Time
}

func timeRange(lang string, start, end time.Time) rangeArgs {
	s, e := domain.LocalRange(start, end)
	return rangeArgs{Lang: lang, Start: s, End: e, OneDay: domain.SameLocalDay(start, end), At: start, EndAt: end}
}

// formPage is the page of this site a form was sent from (its Referer), so
// a refusal the form cannot show (a file over its limit, refused before any
// handler) leads back to it; "" when it was no page of this site.
func formPage(c *gin.Context) string {
	u, err := url.Parse(c.Request.Referer())
	if err != nil || u.Host != c.Request.Host || u.Path == "" {
		return ""
	}
	return safeNext(u.RequestURI())
}

// message is a refused action as one line, in the reader's language: the
// text for the error's code from the catalogue ("code.<code>"), else its
// message through domain.Reasons, then each field's label and reason.
func (s *Site) message(c *gin.Context, err error) string {
	var de *domain.Error
	if !errors.As(err, &de) {
		if domain.ClientGone(c.Request.Context(), err) {
			return "" // no one reads it: no fault to log (as fail says)
		}
		s.Log.Error("web", "err", err)
		return s.cat.t(lang(c), "error.title")
	}
	l := lang(c)
	m, ok := s.cat.lookup(l, "code."+string(de.Code))
	if !ok {
		m = domain.TranslateReason(l, de.Message)
	}
	// Too many attempts says for how long (a walk: "please wait", no time).
	if de.Code == domain.CodeRateLimited && de.RetryAfter > 0 {
		m = strings.ReplaceAll(s.cat.t(l, "code.rate_limited_wait"), "{d}", waitText(l, de.RetryAfter))
	}
	// A refusal for size names its limit, which only its message holds
	// (a walk: 文件过大, and no word of 5 MB).
	if de.Code == domain.CodeTooLarge && domain.HasReason(de.Message) {
		m = sentence(l, domain.TranslateReason(l, de.Message))
	}
	names := make([]string, 0, len(de.Fields))
	for f := range de.Fields {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		label, ok := s.cat.lookup(l, "field."+f)
		if !ok { // a nested field ("filters.degree") by its own name
			if label, ok = s.cat.lookup(l, "field."+f[strings.LastIndex(f, ".")+1:]); !ok {
				label = f
			}
		}
		m += fmt.Sprintf(s.cat.t(l, "common.field_reason"), label, domain.TranslateReason(l, de.Fields[f]))
	}
	return m
}

func lang(c *gin.Context) string { return c.GetString("lang") }

var pageOne = domain.Page{Page: 1, PerPage: 1}

// ErrorPage answers an error met before the site's own middleware ran (an
// unknown page, a request refused by the input checks) with the site's
// styled page: 404 for unknown pages, 400 for refused input. A signed-in
// reader keeps its header (signed in), without a refresh of the session.
func (s *Site) ErrorPage(c *gin.Context, err error) {
	if lang(c) == "" {
		s.pickLang(c)
	}
	if _, ok := c.Get("caller"); !ok {
		s.pickSession(c, false)
	}
	if domain.CodeOf(err) == domain.CodeValidation {
		err = &domain.Error{Code: domain.CodeInvalidJSON, Message: "the request holds characters that are not allowed (NUL or invalid UTF-8)"}
	}
	s.fail(c, err)
}

// slotArgs is what the interview-slot partial shows.
type slotArgs struct {
	Lang      string
	Interview *domain.Interview
}

// linkOutcome is how a page opened by a signed link (a check-in code, an
// unsubscribe link) answers err: 200 when it is nil, 422 with the message
// badLink put in *msg when the link is bad or expired (a validation
// error), else the error page, and ok is false: nothing is left to render.
func (s *Site) linkOutcome(c *gin.Context, err error, badLink string, msg *string) (status int, ok bool) {
	switch {
	case err == nil:
		return http.StatusOK, true
	case domain.CodeOf(err) == domain.CodeValidation:
		*msg = s.cat.t(lang(c), badLink)
		return http.StatusUnprocessableEntity, true
	}
	s.fail(c, err)
	return 0, false
}

// The endings most handlers share.

// show renders page v, or the error page when err is set.
func (s *Site) show(c *gin.Context, v View, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, v)
}

// showForm shows the page of a form that build makes with form: empty (on
// GET) or as refused (refused's again), or the error page.
func showForm[V View](s *Site, c *gin.Context, build func(*gin.Context, Form) (V, error), form Form) {
	v, err := build(c, form)
	s.show(c, v, err)
}

// showRefused shows a refused form's page again with 422, build making it
// with the refused form, or the error page.
func showRefused[V View](s *Site, c *gin.Context, build func(*gin.Context, Form) (V, error), form Form) {
	v, err := build(c, form)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusUnprocessableEntity, v)
}

// takenBeside puts a refusal that names no field (an address or a credit
// code already registered) beside the field it belongs to: fields maps each
// such code to its field. Any other error is returned as it is.
func takenBeside(err error, fields map[domain.Code]string) error {
	var de *domain.Error
	if errors.As(err, &de) && len(de.Fields) == 0 {
		if f, ok := fields[de.Code]; ok {
			return domain.FieldError(f, de.Message)
		}
	}
	return err
}

// done goes back to path saying what was done: the catalogue's key with
// its one placeholder ("{name}", "{title}") filled with value.
func (s *Site) done(c *gin.Context, path, key, placeholder, value string) {
	s.back(c, path, "✓ "+strings.ReplaceAll(s.cat.t(lang(c), key), placeholder, value), false)
}

// back redirects to path (303, after a form) with a one-time message.
func (s *Site) back(c *gin.Context, path, msg string, isError bool) {
	s.flash(c, msg, isError)
	c.Redirect(http.StatusSeeOther, path)
}

// outcome redirects to path saying how an action went: ✓ and the
// catalogue's sentence done ("me.profile_saved"), or why it failed.
func (s *Site) outcome(c *gin.Context, path, done string, err error) {
	if err != nil {
		s.back(c, path, s.message(c, err), true)
		return
	}
	s.back(c, path, "✓ "+s.cat.t(lang(c), done), false)
}

// refused answers a form's failed action: field errors show the form again
// (again gets it with values, the fields sent, and the reasons), any other
// error the error page. It says false when err is nil, so the handler goes on.
func (s *Site) refused(c *gin.Context, err error, values map[string]string, again func(Form)) bool {
	if fields := fieldErrors(err); fields != nil {
		again(s.failedForm(c, values, fields))
		return true
	}
	if err != nil {
		s.fail(c, err)
		return true
	}
	return false
}

// fieldErrors is what a form shows beside its fields: the reasons of a
// domain error that names fields, else nil (other errors go to fail or a
// flash).
func fieldErrors(err error) map[string]string {
	var de *domain.Error
	if errors.As(err, &de) && len(de.Fields) > 0 {
		return de.Fields
	}
	return nil
}

// uploaded reads the form's "file" field (app.ReadUpload) and its file's
// name: sent is false when there is none.
func uploaded(c *gin.Context, limit int64) (content []byte, name string, sent bool, err error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, "", false, nil
	}
	content, err = app.ReadUpload(fh, limit)
	return content, fh.Filename, true, err
}

// marks is the punctuation of one language (the funcs colon, lp, rp, sep,
// comma and join; clause between whole sentences).
type marks struct{ colon, open, close, sep, comma, clause string }

func punctuation(lang string) marks {
	if lang == "en" {
		return marks{colon: ": ", open: " (", close: ")", sep: ", ", comma: ", ", clause: "; "}
	}
	return marks{colon: "：", open: "（", close: "）", sep: "、", comma: "，", clause: "；"}
}

// cityIn is a city's name in lang: in English when it is a city the site
// knows, else as written.
func cityIn(lang, name string) string {
	if en := pinyin.PlaceName(name); lang == "en" && en != "" {
		return en
	}
	return name
}

// termIn is a code's name in lang, from its list of terms.
func termIn(lang string, ts []domain.Term, code string) string {
	if lang == "en" {
		return domain.TermEn(ts, code)
	}
	return domain.TermZh(ts, code)
}

// fieldValue is an opening field's value as a reviewer reads it: a code
// in words (a walk read science → engineering), nothing as （空）.
func (s *Site) fieldValue(lang, field, v string) string {
	switch {
	case v == "":
		return s.cat.t(lang, "common.empty")
	case field == "discipline":
		return termIn(lang, domain.Disciplines, v)
	case field == "industry":
		return termIn(lang, domain.Industries, v)
	case field == "degree_min":
		return s.cat.t(lang, "degree_min."+v)
	}
	return v
}

// industryName is an industry code's name in lang.
func industryName(lang, code string) string { return termIn(lang, domain.Industries, code) }
