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
	// Offer is the form offering interview times (rows OfferRows), with
	// what was typed and each refusal beside its field after an error.
	Offer     Form
	OfferRows []int
	// Today is the Shanghai date: the latest a hire may be dated.
	Today string
}

// shownOfferRows is how many of the offer form's rows show at first: most
// offers are one or two times, and each row is many tab stops.
const shownOfferRows = 2

// MoreRows tells whether row i is the first of the rows folded behind
// 再添加时间.
func (p *ApplicantPage) MoreRows(i int) bool { return i == shownOfferRows }

// HasMoreRows tells whether some rows are folded.
func (p *ApplicantPage) HasMoreRows() bool { return len(p.OfferRows) > shownOfferRows }

// MoreRowsOpen tells whether the folded rows show: one of them holds a
// typed value or a refusal.
func (p *ApplicantPage) MoreRowsOpen() bool {
	for _, i := range p.OfferRows[min(shownOfferRows, len(p.OfferRows)):] {
		for _, n := range slotFieldNames {
			if f := slotField(i, n); p.Offer.Value(f) != "" || p.Offer.Error(f) != "" {
				return true
			}
		}
	}
	return false
}

// ApplicantName is the graduate's name, for the confirms that name them.
func (p *ApplicantPage) ApplicantName() string {
	if p.Application.Applicant == nil {
		return ""
	}
	return p.Application.Applicant.Name
}

// CanOffer tells whether interview times may be offered now: the move to
// interview is open from shortlisted only.
func (p *ApplicantPage) CanOffer() bool { return p.Application.Status == domain.AppShortlisted }

// CanMakeOffer tells whether the employer may make an offer now, with its
// details for the applicant (the status mail and 我的申请 carry them).
func (p *ApplicantPage) CanMakeOffer() bool {
	return p.CanMove(domain.AppOffered)
}

// CanMove tells whether the employer may move the application to status
// to from here, as on the board: shortlist, reject, or hire an applicant
// who accepted and took no other job (a walk found only the board could).
func (p *ApplicantPage) CanMove(to string) bool {
	if to == domain.AppHired && p.Application.PlacedElsewhere {
		return false
	}
	return domain.CheckTransition(domain.RoleEmployer, p.Application.Status, to) == nil
}

// CanChange tells whether the interview's time or place may be changed:
// at interview (the change form replaces the offer form).
func (p *ApplicantPage) CanChange() bool { return p.Application.Status == domain.AppInterview }

// ChangeValue is the change form's field (interview_starts_at, …): what
// was typed when the form came back with an error, else the interview's.
func (p *ApplicantPage) ChangeValue(name string) string {
	if v, ok := p.Offer.Values[name]; ok {
		return v
	}
	iv := p.Application.Interview
	if iv == nil {
		return ""
	}
	switch name {
	case "interview_starts_at":
		return iv.StartsAt.In(domain.Shanghai).Format(datetimeLocal)
	case "interview_ends_at":
		return iv.EndsAt.In(domain.Shanghai).Format(datetimeLocal)
	case "interview_location":
		return iv.Location
	case "interview_online_url":
		return iv.OnlineURL
	}
	return ""
}

// datetimeLocal is the layout of a datetime-local field's value.
const datetimeLocal = "2006-01-02T15:04"

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
	emp.POST("/applications/:id/slots", s.offerSlots)
	emp.POST("/applications/:id/interview", s.changeInterview)
}

func (s *Site) applicantPage(c *gin.Context) { s.renderApplicant(c, http.StatusOK, Form{}, Form{}) }

func (s *Site) renderApplicant(c *gin.Context, status int, form, offer Form) {
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
	s.render(c, status, &ApplicantPage{Layout: s.layout(c, title), Application: a, Assessment: as, Ratings: []int{1, 2, 3, 4, 5}, Form: form,
		Offer: offer, OfferRows: offerRows, Today: s.today().String()})
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
		s.renderApplicant(c, http.StatusUnprocessableEntity, s.failedForm(c, posted(c, "rating", "note"), de.Fields), Form{})
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, s.cat.t(lang(c), "applicant.saved"), false)
	c.Redirect(http.StatusSeeOther, "/employer/applications/"+id)
}

// offerRows are the rows of the offer form, one time each.
var offerRows = func() []int {
	r := make([]int, domain.MaxOfferedOnSite)
	for i := range r {
		r[i] = i
	}
	return r
}()

// slotField names the offer form's field of row i ("slot2_starts_at").
func slotField(i int, name string) string { return "slot" + strconv.Itoa(i) + "_" + name }

var slotFieldNames = []string{"starts_at", "ends_at", "location", "online_url"}

// offerSlots moves the application to interview offering the times typed
// in the form's filled rows (the same use case as the API's
// interview_slots). A refused time comes back beside its row's field with
// everything typed (422).
func (s *Site) offerSlots(c *gin.Context) {
	id := c.Param("id")
	values := map[string]string{}
	var in []domain.InterviewInput
	var rowOf []int // the form row of each time sent
	for i := range offerRows {
		for _, n := range slotFieldNames {
			values[slotField(i, n)] = c.PostForm(slotField(i, n))
		}
		row := typedInterview(func(n string) string { return values[slotField(i, n)] })
		if strings.TrimSpace(row.StartsAt+row.EndsAt+row.Location+row.OnlineURL) == "" {
			continue
		}
		in, rowOf = append(in, row), append(rowOf, i)
	}
	if in == nil {
		in = []domain.InterviewInput{} // none filled: refused at the form's top
	}
	_, err := s.App.Transition(c.Request.Context(), callerOf(c), id, domain.Transition{To: domain.AppInterview, Slots: in})
	if fields := fieldErrors(err); fields != nil {
		form := s.failedForm(c, values, slotFormErrors(fields, rowOf))
		if len(in) == 0 && form.Errors["interview_slots"] != "" {
			// The API's "1 to 10" is not the form's five rows: a walk
			// read it under the hint 「填写 1–5 个时间」.
			form.Errors["interview_slots"] = s.cat.t(lang(c), "slots.none_given")
		}
		s.renderApplicant(c, http.StatusUnprocessableEntity, Form{}, form)
		return
	}
	s.interviewOutcome(c, id, err, "slots.offered")
}

// interviewOutcome answers the offer or change of an interview that did
// not come back with field errors: the error page for an application
// that is not the caller's, else back to the applicant page saying how it
// went (done is the message's key).
func (s *Site) interviewOutcome(c *gin.Context, id string, err error, done string) {
	if code := domain.CodeOf(err); code == domain.CodeNotFound || code == domain.CodeForbidden {
		s.fail(c, err)
		return
	}
	if err != nil { // a move no longer open: said on the page it came from
		s.back(c, "/employer/applications/"+id, s.message(c, err), true)
		return
	}
	s.back(c, "/employer/applications/"+id, s.cat.t(lang(c), done), false)
}

// changeInterview gives the application at interview another time or
// place (the graduate is mailed the changed invitation). A refused value
// comes back beside its field with everything typed (422).
func (s *Site) changeInterview(c *gin.Context) {
	id := c.Param("id")
	in := typedInterview(func(n string) string { return c.PostForm("interview_" + n) })
	_, err := s.App.ChangeInterview(c.Request.Context(), callerOf(c), id, in)
	if form, refused := s.refusedInterview(c, err); refused {
		s.renderApplicant(c, http.StatusUnprocessableEntity, Form{}, form)
		return
	}
	s.interviewOutcome(c, id, err, "interview.changed")
}

// slotFormErrors renames the use case's fields (interview_slots[1].ends_at,
// numbered among the times sent) to the form's (slot3_ends_at).
func slotFormErrors(fields map[string]string, rowOf []int) map[string]string {
	out := make(map[string]string, len(fields))
	for k, r := range fields {
		var n int
		var name string
		if _, err := fmt.Sscanf(strings.Replace(k, "].", "] ", 1), "interview_slots[%d] %s", &n, &name); err == nil && n < len(rowOf) {
			out[slotField(rowOf[n], name)] = r
			continue
		}
		out["interview_slots"] = r
	}
	return out
}
