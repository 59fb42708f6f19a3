package webui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// ApplicantPage is one applicant as its employer sees it
// (/employer/applications/{id}): cover letter, résumé link, contact as the
// application use case shows it to this employer, status history, and the
// employer's private rating and note.
type ApplicantPage struct {
	Layout
	Application domain.Application
	Assessment  domain.Assessment
	// Ratings are the choices of the rating field, 1 to 5.
	Ratings []int
	// Form is the assessment form after a validation error (else empty:
	// the stored assessment is shown).
	Form Form
}

func (*ApplicantPage) template() string { return "employer/applicant" }

// Rating is the rating field's current value, "" when unrated.
func (p *ApplicantPage) Rating() string {
	if v, ok := p.Form.Values["rating"]; ok {
		return v
	}
	if p.Assessment.Rating == nil {
		return ""
	}
	return strconv.Itoa(*p.Assessment.Rating)
}

// Note is the note field's current value.
func (p *ApplicantPage) Note() string {
	if v, ok := p.Form.Values["note"]; ok {
		return v
	}
	return p.Assessment.Note
}

func (s *Site) registerApplicant(emp *gin.RouterGroup) {
	emp.GET("/applications/:id", s.applicantPage)
	emp.POST("/applications/:id/assessment", s.saveAssessment)
}

func (s *Site) applicantPage(c *gin.Context) { s.renderApplicant(c, http.StatusOK, Form{}) }

func (s *Site) renderApplicant(c *gin.Context, status int, form Form) {
	ctx, cl, id := c.Request.Context(), callerOf(c), c.Param("id")
	a, err := s.App.Application(ctx, cl, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	// Application lets staff read it too; the private assessment is the
	// employer's alone, and to any other employer it does not exist.
	as, err := s.App.Assessment(ctx, cl, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	title := s.cat.t(lang(c), "applicant.title")
	if a.Applicant != nil {
		title = a.Applicant.Name + " · " + title
	}
	s.render(c, status, &ApplicantPage{Layout: s.layout(c, title), Application: a, Assessment: as, Ratings: []int{1, 2, 3, 4, 5}, Form: form})
}

// saveAssessment stores the rating and note; a refused value comes back
// beside its field with what was typed (422).
func (s *Site) saveAssessment(c *gin.Context) {
	id := c.Param("id")
	in := domain.Assessment{ApplicationID: id, Note: c.PostForm("note")}
	if r := strings.TrimSpace(c.PostForm("rating")); r != "" {
		n, err := strconv.Atoi(r)
		if err != nil {
			n = 0 // not a number: the rule's message says what is allowed
		}
		in.Rating = &n
	}
	_, err := s.App.SetAssessment(c.Request.Context(), callerOf(c), in)
	var de *domain.Error
	if errors.As(err, &de) && len(de.Fields) > 0 {
		s.renderApplicant(c, http.StatusUnprocessableEntity, s.failedForm(c, posted(c, "rating", "note"), de.Fields))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, s.cat.t(lang(c), "applicant.saved"), false)
	c.Redirect(http.StatusSeeOther, "/employer/applications/"+id)
}
