package webui

import (
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// OpeningPage is an opening as a visitor or graduate sees it, with the apply
// form when it is open.
type OpeningPage struct {
	Layout
	Opening domain.Opening
	// Via is the event tracking code the visitor came by, sent with the application.
	Via string
	// Placed warns a graduate already placed this year (applying is still allowed).
	Placed bool
	// NoResume: the graduate has no résumé; the apply form says so.
	NoResume bool
	// Applied is the signed-in graduate's application to this opening,
	// shown instead of the apply form (nil: not applied).
	Applied *domain.Application
	// JobPosting is the schema.org data search engines read ("" unless published).
	JobPosting template.JS
	// Saved: the signed-in graduate keeps this opening in its saved jobs.
	Saved bool
	// Reviews: the opening is under review and the caller reviews it, so
	// the page carries approve and reject (a walk read an opening from the
	// queue and found no way on but Back).
	Reviews bool
	// RefusedReason is a return's reason the server refused, back in its
	// box (a walk retyped it from memory).
	RefusedReason string
	// Form is a refused application: its cover letter, and why, beside it.
	Form Form
}

// reviewArgs is what the review-opening partial draws: the buttons, and
// for an opening back after its reviewer returned it, why it was returned
// and what the employer changed since.
type reviewArgs struct {
	Lang, CSRF, OpeningID, Title string
	Version                      int
	ReturnedFor                  *string
	ChangedSinceReturn           []domain.FieldChange
	// ChangedSinceApproval: what an approved opening's edit changed (the
	// opening's page lacked it; only the dashboard's card had it).
	ChangedSinceApproval []domain.FieldChange
	// Refused is a reason the server refused, kept in its box.
	Refused string
}

// changesArgs is what the field-changes partial draws: a table of fields
// as they were (under the heading Before, a catalogue key: as approved, as
// returned) and as they are, under a caption (a catalogue key).
type changesArgs struct {
	Lang, Caption, Before string
	Rows                  []domain.FieldChange
}

func (*OpeningPage) template() string { return "opening/opening" }

func (s *Site) openingPage(c *gin.Context) {
	v, err := s.openingView(c)
	if domain.CodeOf(err) == domain.CodeNotFound {
		// An old link to an opening since closed says so (410: search
		// engines drop it), rather than "page not found".
		if e, err := s.App.EndedOpening(c.Request.Context(), c.Param("id")); err == nil {
			p := &EndedOpeningPage{Layout: s.layout(c, e.Title), Opening: e,
				Similar: "/?" + domain.SearchQuery{SearchFilters: domain.SearchFilters{Industry: e.Industry, City: e.City}}.Params().Encode()}
			p.NoIndex = true
			// The graduate who applied still has the application (the
			// closing mail says it stands): the page shows it.
			if cl := callerOf(c); cl.Role == domain.RoleGraduate {
				if mine, _, err := s.App.Applications(c.Request.Context(), cl, domain.ApplicationFilter{OpeningID: e.ID}, pageOne); err == nil && len(mine) > 0 {
					p.Applied = &mine[0]
				}
			}
			s.render(c, http.StatusGone, p)
			return
		}
	}
	s.show(c, v, err)
}

// EndedOpeningPage is an opening that was public when it closed, for an old
// link: what it was, whose, and where similar ones are.
type EndedOpeningPage struct {
	Layout
	Opening domain.EndedOpening
	// Similar searches its industry in its city.
	Similar string
	// Applied is the signed-in graduate's application to it (nil: none).
	Applied *domain.Application
}

func (*EndedOpeningPage) template() string { return "opening/ended" }

func (s *Site) openingView(c *gin.Context) (*OpeningPage, error) {
	cl := callerOf(c)
	o, err := s.App.Opening(c.Request.Context(), cl, c.Param("id"))
	if err != nil {
		return nil, err
	}
	v := &OpeningPage{Opening: o, Via: c.Query("via"), JobPosting: s.jobPosting(o), RefusedReason: s.refusedReason(c),
		Reviews: o.Status == domain.OpeningPendingReview && cl.CanReview(domain.ReviewOpening, o.Scope())}
	if cl.Role == domain.RoleGraduate {
		mine, _, err := s.App.Applications(c.Request.Context(), cl, domain.ApplicationFilter{OpeningID: o.ID}, pageOne)
		if err == nil && len(mine) > 0 {
			v.Applied = &mine[0]
		}
		v.Saved = s.App.SavedOpeningIDs(c.Request.Context(), cl, []string{o.ID})[o.ID]
		if v.Applied == nil {
			// What the apply form warns of: a placement this year, no résumé.
			if me, err := s.App.Me(c.Request.Context(), cl); err == nil && me.Graduate != nil {
				v.Placed, v.NoResume = me.Graduate.PlacedThisYear, !me.Graduate.HasResume
			}
		}
	}
	v.Layout = s.layout(c, o.Title)
	v.Description = describe(o.Employer.Name+" · "+o.City+" · "+o.Title+"："+o.Description, metaDescriptionRunes)
	return v, nil
}

// apply records a graduate's application and returns to the opening.
func (s *Site) apply(c *gin.Context) {
	id := c.Param("id")
	via := c.PostForm("via")
	if via == "" {
		via, _ = c.Cookie("gz_via")
	}
	_, _, err := s.App.Apply(c.Request.Context(), callerOf(c), domain.ApplyRequest{OpeningID: id, CoverLetter: c.PostForm("cover_letter"), TrackingCode: via})
	// A letter refused is shown again with why, beside it (an audit found
	// only a flash at the top naming the field's key).
	if fields := fieldErrors(err); fields != nil {
		v, verr := s.openingView(c)
		if verr != nil {
			s.fail(c, verr)
			return
		}
		v.Form = s.failedForm(c, posted(c, "cover_letter"), fields)
		s.render(c, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		s.flash(c, s.message(c, err), true)
	} else {
		s.flash(c, s.cat.t(lang(c), "opening.applied"), false)
	}
	c.Redirect(http.StatusSeeOther, "/openings/"+id)
}
