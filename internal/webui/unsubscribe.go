package webui

import (
	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// UnsubscribePage is /unsubscribe?token=: what the link in a mail turns
// off, with a button to do it (GET), or the result (POST).
type UnsubscribePage struct {
	Layout
	Token  string
	Target domain.UnsubscribeTarget
	// Words prefixes the catalogue keys of what the page says: a saved
	// search's ("unsubscribe.") or a mail kind's ("unsubscribe.kind_").
	Words string
	// Done: the link's mails are off now.
	Done bool
	// Error is the refusal, for a bad or expired link.
	Error string
}

func (*UnsubscribePage) template() string { return "mail/unsubscribe" }

// registerUnsubscribe adds the one-click unsubscribe of mails (RFC 8058):
// an alert's turns off its saved search's mails, another's its kind's. It needs no sign-in and takes no CSRF token: the signed token
// in the link is the authority, and a mail client posts
// `List-Unsubscribe=One-Click` to the link with no cookie. A GET (a person
// who clicked the link) changes nothing: it shows a button, because link
// scanners of mail providers open every link of a mail.
func (s *Site) registerUnsubscribe(r *gin.Engine) {
	g := r.Group("/unsubscribe", s.withLang, s.withSession)
	g.GET("", s.unsubscribePage)
	g.POST("", s.unsubscribe)
}

func (s *Site) unsubscribePage(c *gin.Context) {
	tok := c.Query("token")
	t, err := s.App.UnsubscribeTarget(c.Request.Context(), tok)
	s.renderUnsubscribe(c, tok, t, false, err)
}

func (s *Site) unsubscribe(c *gin.Context) {
	tok := c.Query("token")
	if tok == "" {
		tok = c.PostForm("token")
	}
	t, err := s.App.Unsubscribe(c.Request.Context(), tok)
	s.renderUnsubscribe(c, tok, t, err == nil, err)
}

func (s *Site) renderUnsubscribe(c *gin.Context, tok string, t domain.UnsubscribeTarget, done bool, err error) {
	v := &UnsubscribePage{Token: tok, Target: t, Done: done, Words: "unsubscribe."}
	if t.Kind != "" {
		v.Words, v.Target.Name = "unsubscribe.kind_", s.cat.t(lang(c), "mailkind."+string(t.Kind))
	}
	v.Layout = s.layout(c, s.cat.t(lang(c), v.Words+"title"))
	if status, ok := s.linkOutcome(c, err, "unsubscribe.bad_link", &v.Error); ok {
		s.render(c, status, v)
	}
}
