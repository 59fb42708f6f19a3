package webui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
)

// MePage is the graduate's home (/me): their applications with history and
// the moves open to them, recommendations, saved searches, and the profile
// and résumé forms.
type MePage struct {
	Layout
	Me              domain.Me
	Applications    []domain.Application
	Recommendations []app.Recommendation
	Saved           []SavedSearchRow
	// AlertSettings are the choices of each saved search's alert mail.
	AlertSettings []string
	// Form is the profile form: the stored profile, or what was sent after
	// a validation error.
	Form Form
}

func (*MePage) template() string { return "applications/me" }

// Degrees are the profile form's degree choices.
func (*MePage) Degrees() []string { return domain.Degrees }

// HoldsAccepted tells whether the graduate has accepted an offer not yet
// ended: accepting another then asks first, as only one can end in a hire
// this year.
func (v *MePage) HoldsAccepted() bool {
	for _, a := range v.Applications {
		if a.Status == domain.AppAccepted {
			return true
		}
	}
	return false
}

// SavedSearchRow is one of the graduate's saved searches with the address
// of its search on the site.
type SavedSearchRow struct {
	domain.SavedSearch
	Link string
}

func (s *Site) mePage(c *gin.Context) { showForm(s, c, s.meView, Form{}) }

func (s *Site) meView(c *gin.Context, form Form) (*MePage, error) {
	ctx := c.Request.Context()
	cl := callerOf(c)
	me, err := s.App.Me(ctx, cl)
	if err != nil {
		return nil, err
	}
	apps, _, err := s.App.Applications(ctx, cl, domain.ApplicationFilter{}, domain.Page{Page: 1, PerPage: 50})
	if err != nil {
		return nil, err
	}
	// The list has no history; each application is read in full for it.
	for i := range apps {
		if full, err := s.App.Application(ctx, cl, apps[i].ID); err == nil {
			apps[i] = full
		}
	}
	if form.Values == nil && me.Graduate != nil {
		g, sep := me.Graduate, punctuation(lang(c)).sep
		form.Values = map[string]string{"name": me.Name, "university": g.University, "degree": g.Degree, "graduation_year": strconv.Itoa(g.GraduationYear),
			"phone": g.Phone, "major": g.Major, "statement": g.Statement,
			"preferred_cities": strings.Join(g.PreferredCities, sep), "skills": strings.Join(g.Skills, sep)}
	}
	recs, _ := s.Search.Recommend(ctx, cl, s.today(), 5)
	saved, _ := s.App.SavedSearches(ctx, cl)
	v := &MePage{Layout: s.layout(c, s.cat.t(lang(c), "me.applications")), Me: me, Applications: apps,
		Recommendations: recs, AlertSettings: alertSettings, Form: form}
	for _, ss := range saved {
		v.Saved = append(v.Saved, SavedSearchRow{SavedSearch: ss, Link: "/?" + ss.Query(s.today()).Params().Encode()})
	}
	return v, nil
}

// deleteSavedSearch deletes one of the caller's saved searches (the API's
// DELETE /me/saved-searches/{id}). Another graduate's search is 404.
func (s *Site) deleteSavedSearch(c *gin.Context) {
	err := s.App.DeleteSavedSearch(c.Request.Context(), callerOf(c), c.Param("id"))
	if domain.CodeOf(err) == domain.CodeNotFound {
		s.fail(c, err)
		return
	}
	s.outcome(c, "/me#saved", "me.saved_deleted", err)
}

// alertSettings are the choices of a saved search's alert mail on /me.
var alertSettings = append(append([]string{}, domain.AlertFrequencies...), domain.AlertOff)

// setSearchFrequency sets how one of the caller's saved searches mails its
// alerts (immediate, daily, weekly or off): the use case of the API's PATCH
// /me/saved-searches/{id}. Another graduate's search is 404.
func (s *Site) setSearchFrequency(c *gin.Context) {
	id := c.Param("id")
	_, err := s.App.SetAlertFrequency(c.Request.Context(), callerOf(c), id, c.PostForm("alert_frequency"))
	if domain.CodeOf(err) == domain.CodeNotFound {
		s.fail(c, err)
		return
	}
	s.outcome(c, "/me#ss-"+id, "me.alerts_set", err)
}

// profileFields are the profile form's fields.
var profileFields = []string{"name", "university", "degree", "graduation_year", "phone", "major", "preferred_cities", "skills", "statement"}

// splitList splits a list typed in one field: 、 , ， or ; between items.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ';' })
}

// move applies a pipeline move from a form (either side).
func (s *Site) move(c *gin.Context) {
	cl := callerOf(c)
	moved, err := s.App.Transition(c.Request.Context(), cl, c.Param("id"), domain.Transition{To: c.PostForm("to"),
		Note: c.PostForm("note"), HiredOn: c.PostForm("hired_on"), Interview: interviewForm(c)})
	if form, refused := s.refusedInterview(c, err); refused && cl.Role == domain.RoleEmployer {
		// Its card's form again, on its board (another employer's
		// application is not found, and no board is shown).
		a, err := s.App.Application(c.Request.Context(), cl, c.Param("id"))
		if err != nil {
			s.fail(c, err)
			return
		}
		s.renderBoard(c, a.OpeningID, BoardForms{Interview: form, InterviewFor: a.ID})
		return
	}
	switch {
	case err != nil:
		s.flash(c, s.message(c, err), true)
	case cl.Role == domain.RoleEmployer && moved.Applicant != nil && moved.Applicant.Name != "":
		// On a board of many, the flash says who moved.
		// The move's word, as the graduate's notification says it (邀请面试,
		// not the column's 面试).
		term := termIn(lang(c), domain.ApplicationStatusTerms, c.PostForm("to"))
		s.flash(c, "✓ "+moved.Applicant.Name+punctuation(lang(c)).colon+term, false)
	default:
		s.flash(c, "✓ "+s.cat.t(lang(c), "status."+c.PostForm("to")), false)
	}
	back := safeNext(c.PostForm("back"))
	if back == "" {
		back = home(cl.Role)
	}
	c.Redirect(http.StatusSeeOther, back)
}

// interviewForm reads the interview fields of a move form, or nil when the
// form gave none. The browser's datetime-local value has no zone: it is a
// time in Asia/Shanghai, where every interview of the programme is.
// Anything else is passed on as typed, for app.Transition to refuse at its
// field.
func interviewForm(c *gin.Context) *domain.InterviewInput {
	// One form moves to several statuses; its interview fields go with the
	// move to interview only.
	if c.PostForm("to") != domain.AppInterview {
		return nil
	}
	in := typedInterview(func(n string) string { return c.PostForm("interview_" + n) })
	if in == (domain.InterviewInput{}) {
		return nil
	}
	return &in
}

// refusedInterview is the interview form as typed, with each reason at its
// field, when err refused an interview (a move to interview, a change) for
// its fields.
func (s *Site) refusedInterview(c *gin.Context, err error) (Form, bool) {
	fields := fieldErrors(err)
	named := make(map[string]string, len(fields)) // interview.starts_at → interview_starts_at
	for k, r := range fields {
		if name, ok := strings.CutPrefix(k, "interview."); ok {
			named["interview_"+name] = r
		}
	}
	if len(named) == 0 {
		return Form{}, false
	}
	return s.failedForm(c, interviewValues(c), named), true
}

// typedInterview is an interview as a form typed it: field gives the value
// of each of slotFieldNames (a form names them its own way: the board's
// interview_starts_at, the offer's slot2_starts_at), the times read as
// Beijing time (localTime).
func typedInterview(field func(name string) string) domain.InterviewInput {
	return domain.InterviewInput{StartsAt: localTime(field("starts_at")), EndsAt: localTime(field("ends_at")),
		Location: field("location"), OnlineURL: field("online_url")}
}

// interviewValues are an interview form's fields as posted.
func interviewValues(c *gin.Context) map[string]string {
	values := make(map[string]string, len(slotFieldNames))
	for _, n := range slotFieldNames {
		values["interview_"+n] = c.PostForm("interview_" + n)
	}
	return values
}

// interviewFields are the interview fields of one form on the board
// ("interview-fields"): Target names it ("bulk" or an application's ID)
// for its error messages' IDs; Form holds what was typed when it came
// back refused.
type interviewFields struct {
	Lang, Target string
	Form         Form
}

// typedField is one of them, for the "typed" templates.
type typedField struct{ Value, Error, ErrorID string }

// Field is the field name's value and reason.
func (f interviewFields) Field(name string) typedField {
	return typedField{Value: f.Form.Value(name), Error: f.Form.Error(name), ErrorID: "e-" + f.Target + "-" + name}
}

// localTime turns a datetime-local value (2026-12-05T14:30) into RFC 3339 in
// Asia/Shanghai.
func localTime(v string) string {
	v = strings.TrimSpace(v)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, domain.Shanghai); err == nil {
			return t.Format(time.RFC3339)
		}
	}
	return v
}
