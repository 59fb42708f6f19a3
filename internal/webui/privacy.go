package webui

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// registerPrivacy adds the personal-data pages: who read the graduate's
// résumé, the download of everything stored about the user, and the erasure
// of the account. Each calls the same app function as the API.
func (s *Site) registerPrivacy(g *gin.RouterGroup) {
	g.GET("/privacy", s.noticePage)
	g.GET("/account/privacy", signedIn(), s.privacyPage)
	g.GET("/account/export", signedIn(), s.exportData)
	g.POST("/account/delete", signedIn(), s.deleteAccount)
}

// PrivacyPage is the account's personal-data page: the download link, the
// reads of the graduate's résumé, and the form that erases the account.
type PrivacyPage struct {
	Layout
	// Graduate: the page lists résumé reads; Employer: it says what stays
	// the organisation's.
	Graduate, Employer bool
	// CanDelete: graduates and employers erase their own account; staff
	// accounts are managed with `gradzone user`.
	CanDelete bool
	Views     []domain.ResumeView
	// ViewsTotal counts every read; Views holds the latest 100.
	ViewsTotal int64
	Form       Form
}

func (*PrivacyPage) template() string { return "account/privacy" }

func (s *Site) renderPrivacy(c *gin.Context, status int, f Form) {
	cl := callerOf(c)
	v := &PrivacyPage{Layout: s.layout(c, s.cat.t(lang(c), "privacy.title")), Graduate: cl.Role == domain.RoleGraduate, Employer: cl.Role == domain.RoleEmployer,
		CanDelete: cl.Role == domain.RoleGraduate || cl.Role == domain.RoleEmployer, Form: f}
	if v.Graduate {
		var err error
		v.Views, v.ViewsTotal, err = s.App.ResumeViews(c.Request.Context(), cl, domain.Page{Page: 1, PerPage: domain.MaxPerPage})
		if err != nil {
			s.fail(c, err)
			return
		}
	}
	s.render(c, status, v)
}

func (s *Site) privacyPage(c *gin.Context) { s.renderPrivacy(c, http.StatusOK, Form{}) }

// exportData downloads the same JSON as GET /api/v1/me/export.
func (s *Site) exportData(c *gin.Context) {
	data, err := s.App.ExportData(c.Request.Context(), callerOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	// The notifications in the reader's language, as the messages page
	// shows them (stored, they are in Chinese).
	for i := range data.Notifications {
		data.Notifications[i].Title = data.Notifications[i].In(lang(c))
	}
	b, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+data.FileName()+`"`)
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
}

// deleteAccount erases the account once the box is ticked and the password
// is right, then signs this browser out.
func (s *Site) deleteAccount(c *gin.Context) {
	var err error
	if c.PostForm("confirm") != "yes" {
		// The confirm step: the box says the erasure cannot be undone.
		err = domain.FieldError("confirm", "must be ticked to confirm")
	} else {
		err = s.App.DeleteAccount(c.Request.Context(), callerOf(c), c.PostForm("password"))
	}
	if fields := fieldErrors(err); fields != nil {
		s.renderPrivacy(c, http.StatusUnprocessableEntity, s.failedForm(c, nil, fields))
		return
	}
	if domain.CodeOf(err) == domain.CodeLastEmployerUser {
		s.back(c, "/account/privacy", s.message(c, err), true)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.clearSession(c)
	s.back(c, "/", s.cat.t(lang(c), "privacy.deleted"), false)
}

// NoticePage is the privacy notice that registration asks to accept; its
// version is the one stored with each consent. Keep is how long an
// inactive graduate's résumé is kept, as configured
// (GRADZONE_RESUME_RETENTION), so the notice says what the job does.
type NoticePage struct {
	Layout
	Version, Keep string
}

func (*NoticePage) template() string { return "account/notice" }

func (s *Site) noticePage(c *gin.Context) {
	r := domain.DefaultRetention
	if s.Background != nil && s.Background.Retention != (domain.Retention{}) {
		r = s.Background.Retention
	}
	keep := s.cat.tf(lang(c), "notice.months", r.Months)
	if r.Months == 0 {
		keep = s.cat.tf(lang(c), "notice.days", r.Days)
	}
	s.render(c, http.StatusOK, &NoticePage{Layout: s.layout(c, s.cat.t(lang(c), "notice.title")), Version: domain.PrivacyNoticeVersion, Keep: keep})
}
