package webui

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// SavedPage is the graduate's saved jobs (收藏, /me/saved): last saved
// first, a closed opening marked so, each with its remove button.
type SavedPage struct {
	Layout
	Items []domain.SavedOpening
	Total int64
}

func (*SavedPage) template() string { return "saved/saved" }

// saveArgs is what the save-toggle partial draws: a form that works without
// script, returning to Next.
type saveArgs struct {
	Lang, CSRF, OpeningID, Title, Next string
	Saved                              bool
}

// ofArgs feed the "of" partial: what a repeated row's button acts on.
type ofArgs struct{ Lang, Name string }

// registerSaved adds the graduate's saved jobs and résumé preview.
func (s *Site) registerSaved(g *gin.RouterGroup) {
	g.GET("/me/saved", signedIn(domain.RoleGraduate), s.savedPage)
	g.GET("/me/resume", signedIn(domain.RoleGraduate), s.resumePreview)
	g.POST("/openings/:id/save", signedIn(domain.RoleGraduate), s.toggleSaved(true))
	g.POST("/openings/:id/unsave", signedIn(domain.RoleGraduate), s.toggleSaved(false))
}

func (s *Site) savedPage(c *gin.Context) {
	items, total, err := s.App.SavedOpenings(c.Request.Context(), callerOf(c), domain.Page{Page: 1, PerPage: domain.MaxSavedOpenings})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, &SavedPage{Layout: s.layout(c, s.cat.t(lang(c), "saved.title")), Items: items, Total: total})
}

// toggleSaved saves or unsaves the opening and goes back where the form
// came from (the opening, a search page, the saved list).
func (s *Site) toggleSaved(save bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.Param("id")
		var err error
		msg := "saved.removed"
		if save {
			_, err = s.App.SaveOpening(c.Request.Context(), callerOf(c), id)
			msg = "saved.added"
		} else if err = s.App.UnsaveOpening(c.Request.Context(), callerOf(c), id); domain.CodeOf(err) == domain.CodeNotFound {
			err = nil // already not saved: the outcome asked for
		}
		if err != nil {
			s.flash(c, s.message(c, err), true)
		} else {
			s.flash(c, s.cat.t(lang(c), msg), false)
		}
		next := c.PostForm("next")
		if next == "" {
			next = "/openings/" + id
		}
		c.Redirect(http.StatusSeeOther, domain.SafeRedirect(next))
	}
}
