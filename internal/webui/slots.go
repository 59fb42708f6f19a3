package webui

// Interview times: the graduate picks one of the times an employer offered,
// on 我的申请 (signed in) or from the mail's link (the link's token is the
// authority); the employer's side (offering) is on the applicant page
// (applicant.go).

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
)

// PickPage is /interview/pick?token=: the time a mailed link picks, with a
// button to pick it (GET), or the outcome (POST).
type PickPage struct {
	Layout
	Token  string
	Target domain.SlotLink
	// Done: the time is the application's interview now.
	Done bool
	// Error is why the link does nothing: bad or expired, or used.
	Error string
}

func (*PickPage) template() string { return "applications/pick" }

// Mine tells whether the reader is the graduate the time was offered to
// (signed in): the page need not say to sign in to see it.
func (p *PickPage) Mine() bool { return p.Caller.Signed() && p.Caller.UserID == p.Target.GraduateID }

// registerSlots adds the graduate's pick on the site and the mailed pick
// link. The link's routes need no sign-in and take no CSRF token, like the
// unsubscribe link: the signed single-purpose token is the authority, and
// a GET (a mail scanner prefetching it) changes nothing.
func (s *Site) registerSlots(r *gin.Engine, me *gin.RouterGroup) {
	me.POST("/applications/:id/slots/:slot/pick", s.pickSlot)
	g := r.Group("/interview/pick", s.withLang, s.withSession)
	g.GET("", s.pickLinkPage)
	g.POST("", s.pickByLink)
}

// pickSlot picks an offered time for one of the caller's applications and
// goes back to it on 我的申请.
func (s *Site) pickSlot(c *gin.Context) {
	id := c.Param("id")
	_, err := s.App.PickInterviewSlot(c.Request.Context(), callerOf(c), id, c.Param("slot"))
	if domain.CodeOf(err) == domain.CodeNotFound {
		s.fail(c, err) // not the caller's application or time: as if none
		return
	}
	msg := s.cat.t(lang(c), "slots.picked")
	if err != nil {
		msg = s.message(c, err)
	}
	s.back(c, "/me#app-"+id, msg, err != nil)
}

func (s *Site) pickLinkPage(c *gin.Context) {
	tok := c.Query("token")
	t, err := s.App.InterviewPickTarget(c.Request.Context(), tok)
	if err == nil && t.Picked {
		err = errLinkUsed
	}
	s.renderPick(c, tok, t, false, err)
}

func (s *Site) pickByLink(c *gin.Context) {
	tok := c.Query("token")
	if tok == "" {
		tok = c.PostForm("token")
	}
	_, t, err := s.App.PickInterviewSlotByLink(c.Request.Context(), tok)
	s.renderPick(c, tok, t, err == nil, err)
}

// errLinkUsed stands for app.ErrPickLinkUsed on the confirm page.
var errLinkUsed = &domain.Error{Code: domain.CodeInvalidState}

// renderPick shows the confirm page, the outcome, or why the link does
// nothing: 422 for a bad or expired link, 409 for a used one, a time
// withdrawn or no longer open, each in the reader's language.
func (s *Site) renderPick(c *gin.Context, tok string, t domain.SlotLink, done bool, err error) {
	v := &PickPage{Layout: s.layout(c, s.cat.t(lang(c), "pick.title")), Token: tok, Target: t, Done: done}
	status := http.StatusOK
	switch code := domain.CodeOf(err); {
	case err == nil:
	case code == domain.CodeValidation:
		status, v.Error = http.StatusUnprocessableEntity, s.cat.t(lang(c), "pick.bad_link")
	case errors.Is(err, app.ErrPickTimeWithdrawn):
		status, v.Error = http.StatusConflict, s.cat.t(lang(c), "pick.withdrawn")
	case code == domain.CodeInvalidState:
		status, v.Error = http.StatusConflict, s.cat.t(lang(c), "pick.used")
		if t.Slot.ID != "" && !t.Picked {
			v.Error = s.message(c, err) // the time passed, was taken, or the application moved on
		}
	default:
		s.fail(c, err)
		return
	}
	s.render(c, status, v)
}
