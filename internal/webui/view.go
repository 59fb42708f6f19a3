package webui

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// View is what a template receives: one struct per page (SearchPage,
// WorkbenchPage, …), each built by one function of this package. Its methods
// are unexported, so only this package's page types satisfy it: a map, or any
// other loose value, cannot reach a template, and a misspelt field is a
// compile error in Go and a failing TestViewsRender for the template.
type View interface {
	// frame is the page's shared frame, filled by Site.layout.
	frame() *Layout
	// template names the page's file under web/templates, without ".html":
	// "search/search", "employer/workbench", ….
	template() string
}

// Layout is what every page shares, drawn by layout/layout.html: language,
// title, who is signed in, the CSRF token, the one-time flash message and the
// unread notification count. Page views embed it, so templates read .Lang,
// .CSRF, … directly beside the page's own fields.
type Layout struct {
	Lang  string
	Title string
	// Description is the page's meta description for search engines
	// (empty: the site's own description, so no page goes without one).
	Description string
	Path        string // the request URI, for the language switch
	Caller      domain.Caller
	UserName    string
	CSRF        string
	Flash       string
	FlashError  bool
	Unread      int64
	// Contact is the operator's address for the footer ("": none).
	Contact string
	// StaffNav: a staff page, which carries the staff menu.
	StaffNav bool
	// URLPath is the request's path without its query: the menu marks the
	// page it is on (Here).
	URLPath string
	// StaffYear is the year the dashboard or the targets table was asked
	// for (0: none, the current): the menu's links between the two keep it.
	StaffYear int
	// NoIndex asks search engines not to list the page.
	NoIndex bool
}

// YearQuery is "?year=N" for the menu's yearly pages, "" without a year.
func (l *Layout) YearQuery() string {
	if l.StaffYear == 0 {
		return ""
	}
	return "?year=" + strconv.Itoa(l.StaffYear)
}

func (l *Layout) frame() *Layout { return l }

// layout fills the frame for the current request. It consumes the flash
// cookie, so it is called once per rendered page, by the page's builder.
func (s *Site) layout(c *gin.Context, title string) Layout {
	l := Layout{Lang: lang(c), Title: title, Path: c.Request.URL.RequestURI(), Caller: callerOf(c), CSRF: s.csrfToken(c), Contact: s.ContactEmail}
	l.UserName = c.GetString("user_name")
	l.URLPath = c.Request.URL.Path
	l.StaffNav = l.Caller.Role.IsStaff() && (c.Request.URL.Path == "/staff" || strings.HasPrefix(c.Request.URL.Path, "/staff/"))
	if p := c.Request.URL.Path; l.StaffNav && (p == "/staff" || p == "/staff/targets") {
		if y, chosen := askedYear(c.Query("year"), 0); chosen {
			l.StaffYear = y
		}
	}
	if msg, err := c.Cookie("gz_flash"); err == nil && msg != "" {
		l.Flash, l.FlashError = strings.TrimPrefix(msg, "!"), strings.HasPrefix(msg, "!")
		s.setCookie(c, "gz_flash", "", -1)
	}
	if l.Caller.Signed() {
		_, _, unread, err := s.App.Notifications(c.Request.Context(), l.Caller, true, pageOne)
		if err == nil {
			l.Unread = unread
		}
	}
	return l
}

// Form is a submitted form carried back to its page after a validation
// error: every value as the user sent it, and the message for each field that
// failed (keyed like the API's `fields`). A fresh form has defaults in Values
// and no Errors.
type Form struct {
	Values map[string]string
	Errors map[string]string
}

// Value is the submitted (or default) value of a field; "" when absent.
func (f Form) Value(name string) string { return f.Values[name] }

// Error is the message for a field; "" when the field is fine.
func (f Form) Error(name string) string { return f.Errors[name] }

// HasErrors tells whether any field failed.
func (f Form) HasErrors() bool { return len(f.Errors) > 0 }

// ErrorPage is the page shown when a request cannot be answered.
type ErrorPage struct {
	Layout
	Heading, Message string
	// Back is the form's page, for a refusal it could not show itself.
	Back string
	// SignIn leads a reader whose session ended to sign in again and back.
	SignIn string
}

func (*ErrorPage) template() string { return "layout/error" }

// posted is the named fields of the submitted form, as sent.
func posted(c *gin.Context, names ...string) map[string]string {
	out := make(map[string]string, len(names))
	for _, n := range names {
		out[n] = c.PostForm(n)
	}
	return out
}

// failedForm carries a form back with its values and each field's reason
// translated for the reader (domain.Reasons, the table the API's `fields`
// share). The values come back as the checks read them (domain.Tidy): a
// title of zero-width characters only was refused as empty and shown again
// holding them, a box that looked empty and was not (a walk).
func (s *Site) failedForm(c *gin.Context, values, fields map[string]string) Form {
	for k, v := range values {
		values[k] = domain.Tidy(v)
	}
	f := Form{Values: values, Errors: make(map[string]string, len(fields))}
	for k, r := range fields {
		f.Errors[k] = domain.TranslateReason(lang(c), r)
	}
	return f
}

// pageParam is a list page's ?page=, 1 when it is missing or no page
// (a hand-edited address shows the first page, not an error).
func pageParam(c *gin.Context) int {
	if n, err := strconv.Atoi(c.Query("page")); err == nil && n >= 1 && n <= domain.MaxPage {
		return n
	}
	return 1
}

// Pager is a paged list's place, drawn by the "pager" template: Page of
// Pages is where the reader is (Pages 0: nothing listed); Prev and Next are
// the neighbouring pages' URLs with the same filters, "" when there is none.
type Pager struct {
	Page, Pages int
	Prev, Next  string
	// First is page one with the list's filters, for a page past the last.
	First string
}

// PastLast is a page asked for past the last of a list that has rows:
// the page says so and leads to page one ("past-last"), not "none".
func (p Pager) PastLast() bool { return p.Pages > 0 && p.Page > p.Pages }

// pagerOf places page in a list of total rows, per to a page, served at
// path with the list's filters (params; empty ones are left out).
func pagerOf(path string, params url.Values, page int, total int64, per int) Pager {
	p := Pager{Page: page, Pages: int((total + int64(per) - 1) / int64(per))}
	at := func(n int) string {
		q := url.Values{}
		for k, vs := range params {
			if len(vs) > 0 && vs[0] != "" {
				q.Set(k, vs[0])
			}
		}
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return path
		}
		return path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = at(min(page-1, max(p.Pages, 1)))
	}
	if page < p.Pages {
		p.Next = at(page + 1)
	}
	p.First = at(1)
	return p
}
