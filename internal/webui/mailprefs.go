package webui

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// registerMailPrefs adds the mail settings page (我的 → 邮件设置, linked
// from every mail's footer) and the province's 催报 button. Each calls the
// same app function as the API.
func (s *Site) registerMailPrefs(g *gin.RouterGroup) {
	g.GET("/account/notifications", signedIn(), s.mailPrefsPage)
	g.POST("/account/notifications", signedIn(), s.saveMailPrefs)
	g.POST("/staff/reports/remind", signedIn(domain.RolesAtLeast(domain.LevelProvince)...), s.chaseReports)
}

// MailPrefsPage is the mail settings: a switch per kind the user's role
// receives (fixed ones shown on and disabled), the default alert
// frequency, the language.
type MailPrefsPage struct {
	Layout
	Kinds       []MailKindSwitch
	Frequency   string
	Frequencies []string
	Language    string
	Languages   []string
	Form        Form
}

// MailKindSwitch is one kind's row on the page.
type MailKindSwitch struct {
	Kind  string
	On    bool
	Fixed bool
}

func (*MailPrefsPage) template() string { return "account/mailprefs" }

func (s *Site) renderMailPrefs(c *gin.Context, status int, p domain.MailPreferences, f Form) {
	v := &MailPrefsPage{Layout: s.layout(c, s.cat.t(lang(c), "mailprefs.title")), Frequency: p.AlertFrequency,
		Frequencies: domain.AlertFrequencies, Language: p.Language, Languages: domain.MailLanguages, Form: f}
	for _, i := range domain.MailKinds {
		if on, ok := p.Kinds[i.Kind]; ok {
			v.Kinds = append(v.Kinds, MailKindSwitch{Kind: string(i.Kind), On: on, Fixed: i.Fixed})
		}
	}
	s.render(c, status, v)
}

func (s *Site) mailPrefsPage(c *gin.Context) {
	p, err := s.App.MailPreferences(c.Request.Context(), callerOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderMailPrefs(c, http.StatusOK, p, Form{})
}

// saveMailPrefs stores the form: a checkbox per kind shown (unticked is
// off), the frequency and the language.
func (s *Site) saveMailPrefs(c *gin.Context) {
	cl := callerOf(c)
	ctx := c.Request.Context()
	cur, err := s.App.MailPreferences(ctx, cl)
	if err != nil {
		s.fail(c, err)
		return
	}
	ch := domain.MailPreferencesChange{Kinds: map[domain.MailKind]bool{}}
	for k := range cur.Kinds {
		if info, _ := k.Info(); !info.Fixed {
			ch.Kinds[k] = c.PostForm("kind_"+string(k)) == "on"
		}
	}
	// Only graduates are offered an alert frequency (they save searches).
	if freq, ok := c.GetPostForm("alert_frequency"); ok {
		ch.AlertFrequency = &freq
	}
	lng := c.PostForm("language")
	ch.Language = &lng
	_, err = s.App.SetMailPreferences(ctx, cl, ch)
	var de *domain.Error
	if errors.As(err, &de) && de.Code == domain.CodeValidation {
		s.renderMailPrefs(c, http.StatusUnprocessableEntity, cur, s.failedForm(c, posted(c, "alert_frequency", "language"), de.Fields))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "✓ "+s.cat.t(lang(c), "mailprefs.saved"), false)
	c.Redirect(http.StatusSeeOther, "/account/notifications")
}

// chaseReports is the province's 催报 button on the reports page. Like the
// API it takes a province (the ministry's); province staff chase their own.
func (s *Site) chaseReports(c *gin.Context) {
	cl := callerOf(c)
	y, _ := strconv.Atoi(c.PostForm("year"))
	m, _ := strconv.Atoi(c.PostForm("month"))
	r, err := s.App.ChaseReports(c.Request.Context(), cl, c.PostForm("province"), y, m)
	if err != nil {
		s.flash(c, s.message(c, err), true)
	} else {
		l := lang(c)
		msg := fmt.Sprintf(s.cat.count(l, "staff.chase_done", r.Reminded == 1), r.Reminded, r.AlreadyReminded)
		if len(r.Unreached) == 0 {
			s.flash(c, "✓ "+msg, false)
		} else {
			// Who was not reached is named: staff must call them instead.
			names := make([]string, len(r.Unreached))
			for i, z := range r.Unreached {
				names[i] = s.placeName(l, z, "")
			}
			msg += punctuation(l).clause + fmt.Sprintf(s.cat.count(l, "staff.chase_unreached", len(r.Unreached) == 1), len(r.Unreached), strings.Join(names, punctuation(l).sep))
			s.flash(c, msg, true)
		}
	}
	c.Redirect(http.StatusSeeOther, reportsOf(c, y, m))
}
