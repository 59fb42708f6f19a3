package webui

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/web"
)

// Site is the web UI's dependencies.
type Site struct {
	Store     *postgres.Store
	Accounts  *app.Accounts
	Search    *app.Search
	Imports   *app.Imports
	Log       *slog.Logger
	UploadDir string
	Now       func() time.Time

	secure bool
	cat    catalogues
	pages  map[string]*template.Template
}

// Register adds the site's routes to r. secure marks cookies Secure (TLS).
func (s *Site) Register(r *gin.Engine, secure bool) error {
	s.secure = secure
	if s.Now == nil {
		s.Now = time.Now
	}
	var err error
	if s.cat, err = loadCatalogues(); err != nil {
		return err
	}
	if err := s.parse(); err != nil {
		return err
	}
	static, _ := fs.Sub(web.FS, "static")
	r.GET("/static/*path", func(c *gin.Context) {
		// Assets are embedded and change only with the binary: cache a day.
		c.Header("Cache-Control", "public, max-age=86400")
		c.FileFromFS(c.Param("path"), http.FS(static))
	})
	g := r.Group("/", s.withLang, s.withSession, s.checkCSRF)
	g.GET("/", s.searchPage)
	g.GET("/openings/:id", s.openingPage)
	g.POST("/openings/:id/apply", signedIn(domain.RoleGraduate), s.apply)
	g.GET("/login", s.loginPage)
	g.POST("/login", s.login)
	g.GET("/register", s.registerPage)
	g.POST("/register", s.register)
	g.POST("/logout", s.logout)
	g.GET("/events", s.eventsPage)
	g.GET("/events/:id", s.eventPage)
	g.POST("/events/:id/register", signedIn(domain.RoleGraduate), s.registerEvent)
	g.GET("/notifications", signedIn(), s.notificationsPage)
	g.POST("/notifications/read", signedIn(), s.readNotifications)
	g.POST("/applications/:id/move", signedIn(domain.RoleGraduate, domain.RoleEmployer), s.move)

	me := g.Group("/me", signedIn(domain.RoleGraduate))
	me.GET("", s.mePage)
	me.POST("/profile", s.saveProfile)
	me.POST("/resume", s.uploadResume)
	me.POST("/saved-searches", s.saveSearch)

	emp := g.Group("/employer", signedIn(domain.RoleEmployer))
	emp.GET("", s.employerPage)
	emp.POST("/openings", s.createOpening)
	emp.GET("/openings/:id", s.employerOpening)
	emp.POST("/openings/:id/edit", s.editOpening)
	emp.POST("/openings/:id/submit", s.employerOpeningAction("submit"))
	emp.POST("/openings/:id/close", s.employerOpeningAction("close"))
	emp.POST("/applications/bulk", s.bulk)

	st := g.Group("/staff", signedIn(domain.RoleZoneAdmin, domain.RoleProvinceAdmin, domain.RoleMinistryAdmin))
	st.GET("", s.staffPage)
	st.POST("/employers/:id/verify", s.verify)
	st.POST("/openings/:id/approve", s.review(true))
	st.POST("/openings/:id/reject", s.review(false))
	st.POST("/quotas", s.setQuota)
	st.GET("/reports", s.reportsPage)
	st.POST("/reports/submit", s.submitReport)
	st.POST("/reports/review", s.reviewReport)
	st.POST("/reports/province-submit", s.submitProvinceReport)
	st.GET("/events", s.staffEvents)
	st.POST("/events", s.createEvent)
	st.POST("/events/:id/openings", s.attachOpenings)
	st.GET("/imports", s.importsPage)
	st.POST("/imports/:kind", s.startImport)
	st.GET("/audit", s.auditPage)
	return nil
}

func (s *Site) today() domain.Date { return domain.DateOf(s.Now()) }

// --- search ---

type facetValue struct {
	Facet, Value, Label string
	Count               int64
	URL                 string
	On                  bool
}

type facetGroup struct {
	Name   string
	Values []facetValue
}

type sortLink struct {
	Value, URL string
	On         bool
}

var facetParam = map[string]string{"zone": "zone", "province": "province", "industry": "industry", "degree_min": "degree", "employer_type": "employer_type"}

func (s *Site) searchPage(c *gin.Context) {
	l := lang(c)
	q := domain.SearchQuery{Q: strings.TrimSpace(c.Query("q")), Zone: c.Query("zone"), Province: c.Query("province"),
		Industry: c.Query("industry"), Degree: c.Query("degree"), EmployerType: c.Query("employer_type"), City: c.Query("city"),
		Sort: c.DefaultQuery("sort", "relevance"), Page: 1, PerPage: 20, Today: s.today()}
	if n, err := strconv.Atoi(c.Query("page")); err == nil && n >= 1 && n <= 500 {
		q.Page = n
	}
	var v domain.Validation
	domain.SearchFilters{Zone: q.Zone, Province: q.Province, Industry: q.Industry, Degree: q.Degree, EmployerType: q.EmployerType, City: q.City}.Validate(&v)
	if !domain.OneOf(q.Sort, domain.Sorts) || v.Err() != nil || len([]rune(q.Q)) > 200 {
		q = domain.SearchQuery{Sort: "relevance", Page: 1, PerPage: 20, Today: s.today()}
	}
	res, err := s.Search.Search(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	params := url.Values{}
	for k, val := range map[string]string{"q": q.Q, "zone": q.Zone, "province": q.Province, "industry": q.Industry,
		"degree": q.Degree, "employer_type": q.EmployerType, "city": q.City, "sort": q.Sort} {
		if val != "" && !(k == "sort" && val == "relevance") {
			params.Set(k, val)
		}
	}
	link := func(set map[string]string) string {
		p := url.Values{}
		for k, vs := range params {
			p[k] = vs
		}
		for k, val := range set {
			if val == "" {
				p.Del(k)
			} else {
				p.Set(k, val)
			}
		}
		return "/?" + p.Encode()
	}
	zoneNames := map[string]string{}
	if zs, err := s.Store.Zones(c.Request.Context(), ""); err == nil {
		for _, z := range zs {
			zoneNames[z.Code] = z.NameZh
		}
	}
	provNames := map[string]string{}
	if ps, err := s.Store.Provinces(c.Request.Context()); err == nil {
		for _, p := range ps {
			provNames[p.Code] = p.NameZh
		}
	}
	label := func(facet, v string) string {
		switch facet {
		case "zone":
			return zoneNames[v]
		case "province":
			return provNames[v]
		case "industry":
			if l == "en" {
				return domain.TermEn(domain.Industries, v)
			}
			return domain.TermZh(domain.Industries, v)
		case "degree_min":
			return s.cat.t(l, "degree."+v)
		case "employer_type":
			return s.cat.t(l, "etype."+v)
		}
		return v
	}
	current := map[string]string{"zone": q.Zone, "province": q.Province, "industry": q.Industry, "degree_min": q.Degree, "employer_type": q.EmployerType}
	var groups []facetGroup
	for _, name := range domain.FacetNames {
		g := facetGroup{Name: name}
		for val, n := range res.Facets[name] {
			on := current[name] == val
			target := val
			if on {
				target = ""
			}
			g.Values = append(g.Values, facetValue{Facet: name, Value: val, Label: label(name, val), Count: n, On: on,
				URL: link(map[string]string{facetParam[name]: target, "page": ""})})
		}
		sortFacet(g.Values)
		if len(g.Values) > 12 {
			g.Values = g.Values[:12]
		}
		groups = append(groups, g)
	}
	var sorts []sortLink
	for _, so := range domain.Sorts {
		sorts = append(sorts, sortLink{Value: so, On: so == q.Sort, URL: link(map[string]string{"sort": so, "page": ""})})
	}
	hidden := map[string]string{}
	for k := range params {
		if k != "q" {
			hidden[k] = params.Get(k)
		}
	}
	data := map[string]any{"Query": q, "Result": res, "Facets": groups, "Sorts": sorts, "Hidden": hidden,
		"Filtered": q.Zone != "" || q.Province != "" || q.Industry != "" || q.Degree != "" || q.EmployerType != "" || q.City != ""}
	if q.Page > 1 {
		data["Prev"] = link(map[string]string{"page": strconv.Itoa(q.Page - 1)})
	}
	if int64(q.Page*q.PerPage) < res.Total {
		data["Next"] = link(map[string]string{"page": strconv.Itoa(q.Page + 1)})
	}
	if c.Query("partial") == "1" {
		s.renderTemplate(c, http.StatusOK, "search", "results", s.page(c, "", data))
		return
	}
	s.render(c, http.StatusOK, "search", "", data)
}

func sortFacet(v []facetValue) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && (v[j].Count > v[j-1].Count || (v[j].Count == v[j-1].Count && v[j].Value < v[j-1].Value)); j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

// --- openings and applying ---

func (s *Site) openingPage(c *gin.Context) {
	cl := callerOf(c)
	o, err := s.Store.Opening(c.Request.Context(), cl, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	data := map[string]any{"Opening": o, "Via": c.Query("via")}
	if cl.Role == domain.RoleGraduate {
		placed, _ := s.Store.PlacedThisYear(c.Request.Context(), cl.UserID, s.today().Year)
		data["Placed"] = placed
	}
	s.render(c, http.StatusOK, "opening", o.Title, data)
}

func (s *Site) apply(c *gin.Context) {
	id := c.Param("id")
	via := c.PostForm("via")
	if via == "" {
		via, _ = c.Cookie("gz_via")
	}
	_, _, err := s.Store.Apply(c.Request.Context(), callerOf(c), postgres.ApplyRequest{OpeningID: id, CoverLetter: c.PostForm("cover_letter"), TrackingCode: via})
	if err != nil {
		s.flash(c, s.message(c, err), true)
	} else {
		s.flash(c, s.cat.t(lang(c), "opening.applied"), false)
	}
	c.Redirect(http.StatusSeeOther, "/openings/"+id)
}

// message is a domain error as one line for a flash.
func (s *Site) message(c *gin.Context, err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		m := de.Message
		for f, r := range de.Fields {
			m += "（" + f + "：" + r + "）"
		}
		return m
	}
	s.Log.Error("web", "err", err)
	return s.cat.t(lang(c), "error.title")
}

// --- accounts ---

func (s *Site) loginPage(c *gin.Context) {
	s.render(c, http.StatusOK, "login", s.cat.t(lang(c), "login.title"), map[string]string{"Next": safeNext(c.Query("next"))})
}

func (s *Site) login(c *gin.Context) {
	email := c.PostForm("email")
	sess, err := s.Accounts.Login(c.Request.Context(), email, c.PostForm("password"))
	if err != nil {
		msg := s.cat.t(lang(c), "login.failed")
		if domain.CodeOf(err) == domain.CodeRateLimited {
			msg = s.message(c, err)
		}
		s.render(c, http.StatusUnauthorized, "login", s.cat.t(lang(c), "login.title"), map[string]string{"Next": safeNext(c.PostForm("next")), "Email": email, "Error": msg})
		return
	}
	s.setSession(c, sess)
	next := safeNext(c.PostForm("next"))
	if next == "" {
		next = home(sess.User.Role)
	}
	c.Redirect(http.StatusSeeOther, next)
}

func home(r domain.Role) string {
	switch {
	case r == domain.RoleGraduate:
		return "/me"
	case r == domain.RoleEmployer:
		return "/employer"
	case r.IsStaff():
		return "/staff"
	}
	return "/"
}

func (s *Site) logout(c *gin.Context) {
	cl := callerOf(c)
	if cl.Signed() {
		tok, _ := c.Cookie(accessCookie)
		rt, _ := c.Cookie(refreshCookie)
		if _, jti, exp, err := s.Accounts.Authenticate(c.Request.Context(), tok); err == nil {
			_ = s.Accounts.Logout(c.Request.Context(), cl, jti, exp, rt)
		}
	}
	s.clearSession(c)
	c.Redirect(http.StatusSeeOther, "/")
}

func (s *Site) registerData(c *gin.Context, form map[string]string, errs map[string]string) map[string]any {
	zones, _ := s.Store.Zones(c.Request.Context(), "")
	provinces, _ := s.Store.Provinces(c.Request.Context())
	if errs == nil {
		errs = map[string]string{}
	}
	if form == nil {
		form = map[string]string{}
	}
	return map[string]any{"Zones": zones, "Provinces": provinces, "Industries": domain.Industries, "Degrees": domain.Degrees,
		"Types": domain.EmployerTypes, "Sizes": domain.EmployerSizes, "Year": s.today().Year, "Form": form, "Errors": errs}
}

func (s *Site) registerPage(c *gin.Context) {
	s.render(c, http.StatusOK, "register", s.cat.t(lang(c), "register.title"), s.registerData(c, nil, nil))
}

func (s *Site) register(c *gin.Context) {
	ctx := c.Request.Context()
	f := func(k string) string { return c.PostForm(k) }
	var sess domain.Session
	var err error
	switch f("role") {
	case "graduate":
		year, _ := strconv.Atoi(f("graduation_year"))
		sess, err = s.Accounts.RegisterGraduate(ctx, domain.GraduateRegistration{Email: f("email"), Password: f("password"), Name: f("name"),
			University: f("university"), Degree: f("degree"), Major: f("major"), GraduationYear: year})
	case "employer":
		sess, err = s.Accounts.RegisterEmployer(ctx, domain.EmployerRegistration{Email: f("email"), Password: f("password"), Name: f("name"),
			OrgName: f("org_name"), CreditCode: f("credit_code"), Type: f("type"), Size: f("size"), Industry: f("industry"),
			ProvinceCode: f("province_code"), ZoneCode: f("zone_code")})
	default:
		err = domain.FieldError("role", "must be graduate or employer")
	}
	if err != nil {
		errs := map[string]string{}
		if de, ok := err.(*domain.Error); ok {
			for k, v := range de.Fields {
				errs[k] = v
			}
			if len(de.Fields) == 0 {
				errs["email"] = de.Message
			}
		} else {
			s.fail(c, err)
			return
		}
		form := map[string]string{}
		for _, k := range []string{"name", "email", "university", "major", "org_name", "credit_code"} {
			form[k] = f(k)
		}
		s.render(c, http.StatusUnprocessableEntity, "register", s.cat.t(lang(c), "register.title"), s.registerData(c, form, errs))
		return
	}
	s.setSession(c, sess)
	c.Redirect(http.StatusSeeOther, home(sess.User.Role))
}

// --- graduate ---

func (s *Site) mePage(c *gin.Context) {
	s.renderMe(c, nil)
}

func (s *Site) renderMe(c *gin.Context, errs map[string]string) {
	ctx := c.Request.Context()
	cl := callerOf(c)
	me, err := s.Store.Me(ctx, cl)
	if err != nil {
		s.fail(c, err)
		return
	}
	apps, _, err := s.Store.Applications(ctx, cl, postgres.ApplicationFilter{}, postgres.Page{Page: 1, PerPage: 50})
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range apps {
		if full, err := s.Store.Application(ctx, cl, apps[i].ID); err == nil {
			apps[i] = full
		}
	}
	recs, _ := s.Search.Recommend(ctx, cl, s.today(), 5)
	saved, _ := s.Store.SavedSearches(ctx, cl)
	if errs == nil {
		errs = map[string]string{}
	}
	s.render(c, http.StatusOK, "me", s.cat.t(lang(c), "me.applications"), map[string]any{"Me": me, "Applications": apps,
		"Recommendations": recs, "Saved": saved, "Errors": errs})
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ';' })
}

func (s *Site) saveProfile(c *gin.Context) {
	phone, major, statement := c.PostForm("phone"), c.PostForm("major"), c.PostForm("statement")
	cities, skills := splitList(c.PostForm("preferred_cities")), splitList(c.PostForm("skills"))
	_, err := s.Store.UpdateProfile(c.Request.Context(), callerOf(c), domain.ProfilePatch{Phone: &phone, Major: &major,
		Statement: &statement, PreferredCities: &cities, Skills: &skills})
	if de, ok := err.(*domain.Error); ok && len(de.Fields) > 0 {
		s.renderMe(c, de.Fields)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "✓", false)
	c.Redirect(http.StatusSeeOther, "/me")
}

func (s *Site) uploadResume(c *gin.Context) {
	fh, err := c.FormFile("file")
	if err != nil || fh.Size > domain.MaxResumeBytes {
		s.flash(c, s.cat.t(lang(c), "me.resume"), true)
		c.Redirect(http.StatusSeeOther, "/me")
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.fail(c, err)
		return
	}
	defer f.Close()
	content, _ := io.ReadAll(io.LimitReader(f, domain.MaxResumeBytes+1))
	if !domain.IsPDF(content) || len(content) > domain.MaxResumeBytes {
		s.flash(c, s.cat.t(lang(c), "me.resume"), true)
		c.Redirect(http.StatusSeeOther, "/me")
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	name := hex.EncodeToString(b) + ".pdf"
	if err := os.MkdirAll(s.UploadDir, 0o750); err == nil {
		err = os.WriteFile(filepath.Join(s.UploadDir, name), content, 0o640)
	}
	prev, err := s.Store.SetResume(c.Request.Context(), callerOf(c), name)
	if err != nil {
		s.fail(c, err)
		return
	}
	if prev != "" {
		_ = os.Remove(filepath.Join(s.UploadDir, filepath.Base(prev)))
	}
	s.flash(c, "✓", false)
	c.Redirect(http.StatusSeeOther, "/me")
}

func (s *Site) saveSearch(c *gin.Context) {
	q := c.PostForm("q")
	name := q
	if name == "" {
		name = s.cat.t(lang(c), "common.all")
	}
	_, err := s.Store.CreateSavedSearch(c.Request.Context(), callerOf(c), domain.SavedSearch{Name: name, Q: q, Filters: domain.SearchFilters{
		Zone: c.PostForm("zone"), Province: c.PostForm("province"), Industry: c.PostForm("industry"), Degree: c.PostForm("degree"),
		EmployerType: c.PostForm("employer_type"), City: c.PostForm("city")}})
	if err != nil {
		s.flash(c, s.message(c, err), true)
	} else {
		s.flash(c, "✓ "+s.cat.t(lang(c), "search.save"), false)
	}
	c.Redirect(http.StatusSeeOther, "/me")
}

func (s *Site) notificationsPage(c *gin.Context) {
	items, _, _, err := s.Store.Notifications(c.Request.Context(), callerOf(c), false, postgres.Page{Page: 1, PerPage: 50})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "notifications", s.cat.t(lang(c), "me.notifications"), map[string]any{"Items": items})
}

func (s *Site) readNotifications(c *gin.Context) {
	_ = s.Store.MarkAllNotificationsRead(c.Request.Context(), callerOf(c))
	c.Redirect(http.StatusSeeOther, "/notifications")
}

// move applies a pipeline move from a form (either side).
func (s *Site) move(c *gin.Context) {
	cl := callerOf(c)
	_, err := s.Store.Transition(c.Request.Context(), cl, c.Param("id"), domain.Transition{To: c.PostForm("to"),
		Note: c.PostForm("note"), HiredOn: c.PostForm("hired_on")})
	if err != nil {
		s.flash(c, s.message(c, err), true)
	} else {
		s.flash(c, "✓ "+s.cat.t(lang(c), "status."+c.PostForm("to")), false)
	}
	back := safeNext(c.PostForm("back"))
	if back == "" {
		back = home(cl.Role)
	}
	c.Redirect(http.StatusSeeOther, back)
}

// --- events ---

func (s *Site) eventsPage(c *gin.Context) {
	evs, _, err := s.Store.Events(c.Request.Context(), postgres.EventFilter{Upcoming: true}, postgres.Page{Page: 1, PerPage: 50})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "events", s.cat.t(lang(c), "nav.events"), map[string]any{"Events": evs})
}

func (s *Site) eventPage(c *gin.Context) {
	e, err := s.Store.Event(c.Request.Context(), callerOf(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	via := c.Query("via")
	if via == "" {
		via = e.TrackingCode
	}
	s.render(c, http.StatusOK, "event", e.Title, map[string]any{"Event": e, "Via": via})
}

func (s *Site) registerEvent(c *gin.Context) {
	if _, err := s.Store.RegisterForEvent(c.Request.Context(), callerOf(c), c.Param("id")); err != nil {
		s.flash(c, s.message(c, err), true)
	}
	c.Redirect(http.StatusSeeOther, "/events/"+c.Param("id"))
}

// jsonScript marshals v for a <script type="application/json"> block.
func jsonScript(v any) template.JS {
	b, _ := json.Marshal(v)
	return template.JS(b)
}
