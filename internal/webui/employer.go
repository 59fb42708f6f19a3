package webui

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

// WorkbenchPage is the employer's desk (/employer): the organisation and its
// verification, its openings with their actions, and the new-opening form.
type WorkbenchPage struct {
	Layout
	Me domain.Me
	// Openings are the open ones, what needs action first (workbenchOrder);
	// Closed are the closed ones, folded away below them.
	Openings []WorkbenchOpening
	Closed   []domain.Opening
	// Form is the new-opening form: defaults, or what was sent after an error.
	Form Form
	OpeningTerms
}

// OpeningTerms are the choices of an opening form's discipline, industry
// and degree (the "opening-terms" template).
type OpeningTerms struct {
	Industries  []domain.Term
	Disciplines []domain.Term
	Degrees     []string
}

// openingTerms are every opening form's choices.
var openingTerms = OpeningTerms{Industries: domain.Industries, Disciplines: domain.Disciplines, Degrees: domain.Degrees}

func (*WorkbenchPage) template() string { return "employer/workbench" }

func (s *Site) workbenchView(c *gin.Context, form Form) (*WorkbenchPage, error) {
	ctx := c.Request.Context()
	cl := callerOf(c)
	me, err := s.App.Me(ctx, cl)
	if err != nil {
		return nil, err
	}
	ops, _, err := s.App.ManagedOpenings(ctx, cl, "", domain.Page{Page: 1, PerPage: 100})
	if err != nil {
		return nil, err
	}
	if form.Values == nil {
		// The employer's own industry is the likely one; the discipline has
		// no likely value, so the form asks for it (no silent 哲学).
		form.Values = map[string]string{"headcount": "1", "deadline": s.today().AddDays(60).String(), "city": ""}
		if me.Employer != nil {
			form.Values["industry"] = me.Employer.Industry
		}
	}
	v := &WorkbenchPage{Layout: s.layout(c, s.cat.t(lang(c), "nav.employer")), Me: me, Form: form,
		OpeningTerms: openingTerms}
	v.Openings, v.Closed = s.workbenchOrder(c, ops)
	return v, nil
}

// WorkbenchOpening is an open opening with what waits on the employer.
type WorkbenchOpening struct {
	domain.Opening
	NewApplicants   int  // applications nobody has looked at (submitted)
	InterviewsToday int  // interviews starting today, Beijing time
	DeadlineSoon    bool // the deadline is within a week
	// Events are the events to come that list it (its zone's staff list
	// openings; the employer is told, and sees them here).
	Events []domain.ListedAt
}

// workbenchOrder splits the employer's openings into open and closed and
// orders the open ones by what needs action: new applicants, then today's
// interviews, then a near deadline, then the rest as listed (last changed
// first). An employer with many closed batches still sees first what
// waits on it.
func (s *Site) workbenchOrder(c *gin.Context, ops []domain.Opening) ([]WorkbenchOpening, []domain.Opening) {
	ctx, cl, today := c.Request.Context(), callerOf(c), s.today()
	count := func(status string, keep func(domain.Application) bool) map[string]int {
		out := map[string]int{}
		apps, _, err := s.App.Applications(ctx, cl, domain.ApplicationFilter{Status: status}, domain.Page{Page: 1, PerPage: 100})
		if err != nil {
			return out
		}
		for _, a := range apps {
			if keep(a) {
				out[a.OpeningID]++
			}
		}
		return out
	}
	fresh := count(domain.AppSubmitted, func(domain.Application) bool { return true })
	interviews := count(domain.AppInterview, func(a domain.Application) bool {
		return a.Interview != nil && domain.DateOf(a.Interview.StartsAt) == today
	})
	listed := map[string][]domain.ListedAt{}
	if all, err := s.App.EmployerListings(ctx, cl); err == nil {
		for _, l := range all {
			listed[l.OpeningID] = append(listed[l.OpeningID], l)
		}
	}
	var open []WorkbenchOpening
	var closed []domain.Opening
	for _, o := range ops {
		if o.Status == domain.OpeningClosed {
			closed = append(closed, o)
			continue
		}
		d, ok := domain.ParseDate(o.Deadline)
		open = append(open, WorkbenchOpening{Opening: o, NewApplicants: fresh[o.ID], InterviewsToday: interviews[o.ID], Events: listed[o.ID],
			DeadlineSoon: o.Status == domain.OpeningPublished && ok && !d.Before(today) && d.Before(today.AddDays(8))})
	}
	rank := func(w WorkbenchOpening) int {
		switch {
		case w.NewApplicants > 0:
			return 0
		case w.InterviewsToday > 0:
			return 1
		case w.DeadlineSoon:
			return 2
		}
		return 3
	}
	sort.SliceStable(open, func(i, j int) bool { return rank(open[i]) < rank(open[j]) })
	return open, closed
}

func (s *Site) employerPage(c *gin.Context) { showForm(s, c, s.workbenchView, Form{}) }

func (s *Site) createOpening(c *gin.Context) {
	f := c.PostForm
	num := func(k string) int { n, _ := strconv.Atoi(strings.TrimSpace(f(k))); return n }
	in := domain.OpeningInput{Title: f("title"), Description: f("description"), Discipline: f("discipline"), Industry: f("industry"),
		DegreeMin: f("degree_min"), Majors: splitList(f("majors")), Headcount: num("headcount"), City: f("city"),
		SalaryMin: num("salary_min"), SalaryMax: num("salary_max"), Deadline: f("deadline"), Idempotency: domain.SameContent()}
	_, replayed, err := s.App.CreateOpening(c.Request.Context(), callerOf(c), in)
	sent := posted(c, "title", "description", "discipline", "industry", "degree_min", "majors", "headcount",
		"city", "salary_min", "salary_max", "deadline")
	if s.refused(c, err, sent, func(f Form) { showRefused(s, c, s.workbenchView, f) }) {
		return
	}
	done := "employer.draft_saved"
	if replayed { // the same opening sent again: its first draft, which may be under review by now
		done = "employer.saved_before"
	}
	s.outcome(c, "/employer", done, nil)
}

func (s *Site) employerOpeningAction(action string) gin.HandlerFunc {
	return func(c *gin.Context) {
		var err error
		done := "employer.submitted"
		if action == "submit" {
			_, err = s.App.SubmitOpening(c.Request.Context(), callerOf(c), c.Param("id"))
		} else {
			_, err = s.App.CloseOpening(c.Request.Context(), callerOf(c), c.Param("id"))
			done = "employer.closed"
		}
		// From the workbench, or from the opening's own page (next).
		s.outcome(c, cmp.Or(safeNext(c.PostForm("next")), "/employer"), done, err)
	}
}

// deleteDraft deletes a draft and returns to the workbench (its own page is
// gone).
func (s *Site) deleteDraft(c *gin.Context) {
	s.outcome(c, "/employer", "employer.draft_deleted", s.App.DeleteDraft(c.Request.Context(), callerOf(c), c.Param("id")))
}

// BoardPage is one of the employer's openings: the edit form and its
// applicants as a board, one column per status.
type BoardPage struct {
	Layout
	Opening domain.Opening
	Columns []BoardColumn
	// Bulk is whether anyone on the board can still be shortlisted or
	// rejected: the bulk bar shows only then (and a tick box only beside
	// those it can move, Ticks).
	Bulk bool
	// Today is the default hiring date.
	Today string
	BoardForms
	OpeningTerms
}

// BoardForms are what the board's forms hold: as stored, or as typed when
// a post was refused for its fields.
type BoardForms struct {
	// Form is the edit form: the opening's values, or what was sent after a
	// validation error.
	Form Form
	// Interview is an interview form refused for its fields, with what was
	// typed (a walk lost the times it had typed): the bulk bar's
	// (InterviewFor "bulk", Ticked its ticks) or one card's (InterviewFor
	// its application's ID).
	Interview    Form
	InterviewFor string
	Ticked       []string
	// Refusal refuses the bulk bar's interview as a whole (nobody ticked),
	// said where the flash goes, with what was typed in Interview.
	Refusal string
}

// bulkForm names the bulk bar's interview form in BoardForms.InterviewFor.
const bulkForm = "bulk"

// HasErrors tells whether a form of the board was refused.
func (f BoardForms) HasErrors() bool {
	return f.Form.HasErrors() || f.Interview.HasErrors() || f.Refusal != ""
}

// InterviewOpen tells whether the interview form of target ("bulk" or an
// application's ID) opens expanded: it came back refused.
func (f BoardForms) InterviewOpen(target string) bool {
	return f.InterviewFor == target && (f.Interview.HasErrors() || f.Refusal != "")
}

// InterviewFields are the interview fields of target's form: empty, or as
// typed when it came back refused.
func (f BoardForms) InterviewFields(lang, target string) interviewFields {
	v := interviewFields{Lang: lang, Target: target}
	if f.InterviewFor == target {
		v.Form = f.Interview
	}
	return v
}

// IsTicked tells whether the bulk bar had the application ticked when its
// interview came back refused.
func (f BoardForms) IsTicked(id string) bool { return slices.Contains(f.Ticked, id) }

func (*BoardPage) template() string { return "employer/opening" }

// Ticks is whether a has a tick box on the board: whether the bulk bar's
// moves can still take it (a hired or rejected applicant's box answered
// only with an error: a walk).
func (*BoardPage) Ticks(a domain.Application) bool { return bulkMovable(a) }

// bulkMovable is whether an application may still be moved by the bulk
// bar: every move it offers is open to those an employer may still reject.
func bulkMovable(a domain.Application) bool {
	return domain.CheckTransition(domain.RoleEmployer, a.Status, "rejected") == nil
}

// BoardColumn is the applications in one status.
type BoardColumn struct {
	Status string
	Items  []domain.Application
	// Total counts the column's applications; Pager walks them a page at a
	// time when they are more than one page.
	Total int64
	// Revoked counts the hires among them whose placement staff revoked
	// (the hired column only): their cards stay, with their badge, but the
	// column's count is of hires (a walk read a revoked hire counted in
	// 已录用).
	Revoked int64
	Pager
}

// Counted is the column's count in its head: its applications, less the
// revoked hires, which the head names apart (已录用（2 · 已撤销 1）).
func (c BoardColumn) Counted() int64 { return c.Total - c.Revoked }

// boardPerColumn is how many applications a board column shows a page.
const boardPerColumn = 50

// boardStatuses orders the columns; empty ones are hidden except the three
// an employer always looks for.
var boardStatuses = []string{"submitted", "shortlisted", "interview", "offered", "accepted", "hired", "rejected", "withdrawn", "declined"}

func (s *Site) employerOpening(c *gin.Context) { s.renderBoard(c, c.Param("id"), BoardForms{}) }

// renderBoard shows the board of the opening: 200, or 422 when one of its
// forms was refused.
func (s *Site) renderBoard(c *gin.Context, opening string, forms BoardForms) {
	v, err := s.boardView(c, opening, forms)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if forms.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	if forms.Refusal != "" {
		v.Flash, v.FlashError = forms.Refusal, true
	}
	s.render(c, status, v)
}

func (s *Site) boardView(c *gin.Context, opening string, forms BoardForms) (*BoardPage, error) {
	ctx := c.Request.Context()
	cl := callerOf(c)
	o, err := s.App.Opening(ctx, cl, opening)
	if err == nil && o.Employer.ID != cl.EmployerID {
		err = domain.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if forms.Form.Values == nil {
		forms.Form.Values = map[string]string{"title": o.Title, "description": o.Description, "city": o.City, "deadline": o.Deadline,
			"headcount": strconv.Itoa(o.Headcount), "salary_min": strconv.Itoa(o.SalaryMin), "salary_max": strconv.Itoa(o.SalaryMax),
			"discipline": o.Discipline, "industry": o.Industry, "degree_min": o.DegreeMin, "majors": strings.Join(o.Majors, "、")}
	}
	v := &BoardPage{Opening: o, Today: s.today().String(), BoardForms: forms, OpeningTerms: openingTerms}
	// Each column is read on its own, a page at a time (?status=&page=
	// turns one column's page): the board read the 100 newest applications
	// of all, so from the 101st on the oldest applicants vanished from it,
	// with nothing to say so (a speed probe). ?app= opens the page of its
	// column that shows that application: a move comes back to it (a walk
	// moved one from a second page and landed on the first pages).
	// A refused interview comes back on the page of the card it was for,
	// or of a ticked card past its column's first page (the others' are
	// on their first pages): its form, or its tick, stays in sight.
	focus, focusPage := c.Query("status"), pageParam(c)
	focusOn := forms.Ticked
	if forms.InterviewFor != "" && forms.InterviewFor != bulkForm {
		focusOn = []string{forms.InterviewFor}
	}
	if id := c.Query("app"); id != "" {
		focusOn = []string{id}
	}
	for _, id := range focusOn {
		if st, rank, err := s.App.ApplicationRank(ctx, cl, id); err == nil && (rank >= boardPerColumn || len(focusOn) == 1) {
			focus, focusPage = st, int(rank/boardPerColumn)+1
			break
		}
	}
	anyone := false
	for _, st := range boardStatuses {
		page := 1
		if st == focus {
			page = focusPage
		}
		read := func(page int) ([]domain.Application, int64, error) {
			return s.App.Applications(ctx, cl, domain.ApplicationFilter{OpeningID: o.ID, Status: st}, domain.Page{Page: page, PerPage: boardPerColumn})
		}
		items, total, err := read(page)
		if err == nil && len(items) == 0 && page > 1 { // past the end (the column shrank since): its first page
			page = 1
			items, total, err = read(page)
		}
		if err != nil {
			return nil, err
		}
		col := BoardColumn{Status: st, Items: items, Total: total,
			Pager: pagerOf("/employer/openings/"+url.PathEscape(o.ID), url.Values{"status": {st}}, page, total, boardPerColumn)}
		if st == domain.AppHired && total > 0 {
			// Counted over the whole column, not its page.
			if _, col.Revoked, err = s.App.Applications(ctx, cl, domain.ApplicationFilter{OpeningID: o.ID, Status: st, RevokedHiresOnly: true},
				domain.Page{Page: 1, PerPage: 1}); err != nil {
				return nil, err
			}
		}
		for _, a := range items {
			v.Bulk = v.Bulk || bulkMovable(a)
		}
		if total > 0 || st == "submitted" || st == "offered" || st == "hired" {
			v.Columns = append(v.Columns, col)
		}
		anyone = anyone || total > 0
	}
	// No one could apply to an opening never published: its board is a
	// line saying when applicants come, not three empty columns (a walk).
	if !anyone && o.Status != domain.OpeningPublished && o.Status != domain.OpeningClosed {
		v.Columns = nil
	}
	// Its title says it is the board, not the public page (an audit).
	v.Layout = s.layout(c, o.Title+" · "+s.cat.t(lang(c), "employer.board"))
	// A board shown for a refused form is at the form's address (a move,
	// the bulk bar): its language switch opens the board, at the refused
	// card (a walk: it opened the bulk action's address, "page not found",
	// or a move's, which came back in the same language).
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		board := url.URL{Path: "/employer/openings/" + o.ID}
		if forms.InterviewFor != "" && forms.InterviewFor != bulkForm {
			board.RawQuery = url.Values{"app": {forms.InterviewFor}}.Encode()
		}
		v.Path = board.String()
	}
	return v, nil
}

// boardFields are the edit form's fields.
var boardFields = []string{"title", "description", "discipline", "industry", "degree_min", "majors", "headcount", "city", "deadline", "salary_min", "salary_max"}

// editOpening applies the edit form; field errors are shown at the field.
func (s *Site) editOpening(c *gin.Context) {
	f := c.PostForm
	str := func(k string) *string { v := f(k); return &v }
	// sent is a field the form sent, nil when it did not (it leaves the
	// opening's value as it is).
	sent := func(k string) *string {
		if v, ok := c.GetPostForm(k); ok {
			return &v
		}
		return nil
	}
	num := func(k string) *int { n, _ := strconv.Atoi(strings.TrimSpace(f(k))); return &n }
	var majors *[]string
	if m := sent("majors"); m != nil {
		list := splitList(*m)
		majors = &list
	}
	o, err := s.App.UpdateOpening(c.Request.Context(), callerOf(c), c.Param("id"), domain.OpeningPatch{
		Title: str("title"), Description: str("description"), City: str("city"), Deadline: str("deadline"),
		Discipline: sent("discipline"), Industry: sent("industry"), DegreeMin: sent("degree_min"), Majors: majors,
		Headcount: num("headcount"), SalaryMin: num("salary_min"), SalaryMax: num("salary_max")})
	if fields := fieldErrors(err); fields != nil {
		s.renderBoard(c, c.Param("id"), BoardForms{Form: s.failedForm(c, posted(c, boardFields...), fields)})
		return
	}
	// A draft or a returned opening stays as it is until it is submitted
	// (a walk took the saved edit for the resubmission).
	done := "employer.saved"
	if err == nil && (o.Status == domain.OpeningDraft || o.Status == domain.OpeningRejected) {
		done = "employer.saved_unsent"
	}
	s.outcome(c, "/employer/openings/"+c.Param("id"), done, err)
}

// bulk moves the ticked applicants and says how many moved where; the
// failures are listed in one flash.
func (s *Site) bulk(c *gin.Context) {
	// The opening is one path segment: the way back stays on the board
	// (a forms probe's ../../\evil.example left the site).
	back := "/employer"
	if o := c.PostForm("opening"); o != "" {
		back = "/employer/openings/" + url.PathEscape(o)
	}
	l := lang(c)
	ids := c.PostFormArray("ids")
	to := c.PostForm("to")
	if len(ids) == 0 && interviewForm(c) != nil {
		// An interview typed for nobody comes back as typed (a walk lost it).
		s.renderBoard(c, c.PostForm("opening"), BoardForms{Interview: Form{Values: interviewValues(c)}, InterviewFor: bulkForm,
			Refusal: s.cat.t(l, "bulk.none_ticked")})
		return
	}
	if len(ids) == 0 {
		s.back(c, back, s.cat.t(l, "bulk.none_ticked"), true)
		return
	}
	moved, err := s.App.BulkTransition(c.Request.Context(), callerOf(c), ids, to, "", interviewForm(c))
	if form, refused := s.refusedInterview(c, err); refused {
		s.renderBoard(c, c.PostForm("opening"), BoardForms{Interview: form, InterviewFor: bulkForm, Ticked: ids})
		return
	}
	var failed []string
	if err != nil {
		failed = append(failed, s.message(c, err))
	}
	for _, m := range moved {
		if m.Err != nil {
			failed = append(failed, s.message(c, m.Err))
		}
	}
	if len(failed) > 0 {
		s.back(c, back, strings.Join(failed, punctuation(l).clause), true)
		return
	}
	s.back(c, back, "✓ "+strings.ReplaceAll(s.cat.tf(l, "bulk.moved", len(moved)), "{status}", s.cat.t(l, "status."+to)), false)
}

// OrganisationPage lets a pending employer correct what it stated at
// sign-up (after staff returned it, with their reason); a verified
// employer's details are fixed, and the page says so.
type OrganisationPage struct {
	Layout
	OrgChoices
	Employer domain.Employer
	// Details are the employer's in words, shown once it is verified and
	// the form is gone (a walk found the page empty then).
	Details EmployerRow
	// Form holds the details as stored, or as typed when the save failed.
	Form Form
}

func (*OrganisationPage) template() string { return "employer/organisation" }

// organisationFields are the form's fields, named as at sign-up.
var organisationFields = []string{"org_name", "credit_code", "type", "size", "industry", "province_code", "zone_code"}

func (s *Site) organisationView(c *gin.Context, form Form) (*OrganisationPage, error) {
	me, err := s.App.Me(c.Request.Context(), callerOf(c))
	if err != nil {
		return nil, err
	}
	if me.Employer == nil {
		return nil, domain.ErrNotFound
	}
	e := *me.Employer
	if form.Values == nil {
		form.Values = map[string]string{"org_name": e.Name, "credit_code": e.CreditCode, "type": e.Type, "size": e.Size,
			"industry": e.Industry, "province_code": e.ProvinceCode, "zone_code": ""}
		if e.ZoneCode != nil {
			form.Values["zone_code"] = *e.ZoneCode
		}
	}
	return &OrganisationPage{Layout: s.layout(c, s.cat.t(lang(c), "organisation.title")), OrgChoices: s.orgChoices(c), Employer: e,
		Details: s.employerRow(lang(c), callerOf(c), e), Form: form}, nil
}

func (s *Site) organisationPage(c *gin.Context) { showForm(s, c, s.organisationView, Form{}) }

// correctOrganisation saves a pending employer's corrected details and
// goes back to the workbench; refused fields come back in the form.
func (s *Site) correctOrganisation(c *gin.Context) {
	_, err := s.App.CorrectEmployer(c.Request.Context(), callerOf(c), callerOf(c).EmployerID, postedOrganisation(c))
	if s.refused(c, takenBeside(err, map[domain.Code]string{domain.CodeCreditCodeTaken: "credit_code"}), posted(c, organisationFields...), func(f Form) { showRefused(s, c, s.organisationView, f) }) {
		return
	}
	s.outcome(c, "/employer", "organisation.saved", nil)
}
