package webui_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

const publicURL = "https://jobs.example.cn"

// fetch GETs path and returns status, content type and body.
func fetch(t *testing.T, a *testutil.App, path string) (int, string, string) {
	t.Helper()
	res, err := http.Get(a.URL + path)
	b := readBody(t, res, err)
	return res.StatusCode, res.Header.Get("Content-Type"), string(b)
}

func sitemapLocs(t *testing.T, a *testutil.App) []string {
	t.Helper()
	status, ctype, body := fetch(t, a, "/sitemap.xml")
	if status != http.StatusOK || !strings.HasPrefix(ctype, "application/xml") {
		t.Fatalf("sitemap: %d %s", status, ctype)
	}
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(body), &set); err != nil {
		t.Fatalf("sitemap is not XML: %v\n%s", err, body)
	}
	var out []string
	for _, u := range set.URLs {
		out = append(out, u.Loc)
	}
	return out
}

// Issue 15 finding 11 and item 10: robots.txt, the favicon and the manifest
// answer (they were JSON 404s), and the sitemap follows publishing and closing.
func TestFoundBySearchEngines(t *testing.T) {
	a := testutil.NewApp(t, testutil.PublicURL(publicURL))
	emp, admin := a.Publisher()

	status, ctype, robots := fetch(t, a, "/robots.txt")
	if status != http.StatusOK || !strings.HasPrefix(ctype, "text/plain") || !strings.Contains(robots, "Sitemap: "+publicURL+"/sitemap.xml") ||
		!strings.Contains(robots, "Disallow: /staff") {
		t.Errorf("robots.txt: %d %s\n%s", status, ctype, robots)
	}
	if status, ctype, body := fetch(t, a, "/favicon.ico"); status != http.StatusOK || ctype != "image/x-icon" || !strings.HasPrefix(body, "\x00\x00\x01\x00") {
		t.Errorf("favicon: %d %s", status, ctype)
	}
	status, _, body := fetch(t, a, "/manifest.webmanifest")
	var manifest struct {
		Name  string `json:"name"`
		Icons []struct{ Src string }
	}
	if err := json.Unmarshal([]byte(body), &manifest); status != http.StatusOK || err != nil || manifest.Name == "" || len(manifest.Icons) == 0 {
		t.Fatalf("manifest: %d %v %s", status, err, body)
	}
	for _, icon := range manifest.Icons {
		if status, ctype, _ := fetch(t, a, icon.Src); status != http.StatusOK || ctype != "image/png" {
			t.Errorf("manifest icon %s: %d %s", icon.Src, status, ctype)
		}
	}

	published := a.Publish(emp, admin, nil)
	draft := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(nil)).JSON()["id"].(string)
	locs := sitemapLocs(t, a)
	if !slices.Contains(locs, publicURL+"/openings/"+published) || !slices.Contains(locs, publicURL+"/") {
		t.Errorf("sitemap misses the published opening or the home page: %v", locs)
	}
	if slices.Contains(locs, publicURL+"/openings/"+draft) {
		t.Errorf("sitemap lists a draft")
	}
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+published+"/close", emp.Token, nil)
	if slices.Contains(sitemapLocs(t, a), publicURL+"/openings/"+published) {
		t.Errorf("sitemap still lists a closed opening")
	}
}

var (
	metaDescription = regexp.MustCompile(`<meta name="description" content="([^"]+)">`)
	jsonLD          = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
)

// Issue 15 item 10: public pages carry a meta description, and a published
// opening's page the schema.org JobPosting search engines index, with the
// fields Google's and Baidu's job search require. The description is
// text from an employer, so a script-ending string in it must stay inert.
func TestOpeningPageJobPosting(t *testing.T) {
	a := testutil.NewApp(t, testutil.PublicURL(publicURL))
	emp, admin := a.Publisher()
	deadline := testutil.InDays(30)
	id := a.Publish(emp, admin, map[string]any{"title": "深度学习科研助理", "deadline": deadline,
		"description": "负责模型训练。</script><script>alert(1)</script>", "salary_min": 7000, "salary_max": 12000})

	for _, path := range []string{"/", "/events", "/openings/" + id} {
		_, _, page := fetch(t, a, path)
		if m := metaDescription.FindStringSubmatch(page); m == nil || len(m[1]) < 20 {
			t.Errorf("%s: no meta description", path)
		}
	}
	_, _, page := fetch(t, a, "/openings/"+id)
	m := jsonLD.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no JobPosting on the opening page")
	}
	if strings.Contains(page, "<script>alert(1)") {
		t.Fatalf("the description's markup ended the JSON-LD script")
	}
	var p struct {
		Context            string `json:"@context"`
		Type               string `json:"@type"`
		Title, Description string
		DatePosted         string                `json:"datePosted"`
		ValidThrough       string                `json:"validThrough"`
		EmploymentType     string                `json:"employmentType"`
		URL                string                `json:"url"`
		HiringOrganization struct{ Name string } `json:"hiringOrganization"`
		JobLocation        struct {
			Address struct {
				AddressLocality string `json:"addressLocality"`
				AddressCountry  string `json:"addressCountry"`
			} `json:"address"`
		} `json:"jobLocation"`
		BaseSalary struct {
			Currency string
			Value    struct {
				MinValue, MaxValue int
				UnitText           string `json:"unitText"`
			}
		} `json:"baseSalary"`
	}
	if err := json.Unmarshal([]byte(m[1]), &p); err != nil {
		t.Fatalf("JobPosting is not JSON: %v\n%s", err, m[1])
	}
	today := domain.DateOf(time.Now()).String()
	if p.Context != "https://schema.org" || p.Type != "JobPosting" || p.Title != "深度学习科研助理" ||
		!strings.Contains(p.Description, "负责模型训练") || p.HiringOrganization.Name == "" ||
		p.JobLocation.Address.AddressLocality != "成都" || p.JobLocation.Address.AddressCountry != "CN" ||
		p.BaseSalary.Currency != "CNY" || p.BaseSalary.Value.MinValue != 7000 || p.BaseSalary.Value.MaxValue != 12000 ||
		p.BaseSalary.Value.UnitText != "MONTH" || p.EmploymentType == "" || p.DatePosted != today ||
		p.ValidThrough != deadline+"T23:59:59+08:00" || p.URL != publicURL+"/openings/"+id {
		t.Errorf("JobPosting fields: %+v", p)
	}

	// A closed opening is no longer a posting.
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/close", emp.Token, nil)
	if _, _, page := fetch(t, a, "/openings/"+id); jsonLD.MatchString(page) {
		t.Errorf("a closed opening still carries a JobPosting")
	}
}

// Issue 15 finding 4: after applying, the opening page shows the
// application's state instead of offering the apply button again.
func TestOpeningPageShowsApplication(t *testing.T) {
	a := testutil.NewApp(t)
	_, _, id := a.PublishedOpening(nil)
	g := a.Graduate()
	w := newWebClient(t, a, g.Email)
	if page := w.get("/openings/" + id); !strings.Contains(page, `data-testid="apply-button"`) {
		t.Fatalf("before applying: no apply button")
	}
	// A walk applied with no résumé and was not told: the form says so
	// and links to where one is uploaded; with one, it says nothing.
	if page := w.get("/openings/" + id); !strings.Contains(page, `data-testid="no-resume"`) || !strings.Contains(page, `href="/me#resume"`) {
		t.Error("applying without a résumé is not pointed out")
	}
	if r := a.UploadFile("/api/v1/me/resume", g.Token, "cv.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")); r.Status != http.StatusCreated {
		t.Fatalf("upload: %d", r.Status)
	}
	if strings.Contains(w.get("/openings/"+id), `data-testid="no-resume"`) {
		t.Error("a graduate with a résumé is told there is none")
	}
	// The résumé card says when it was uploaded (a walk saw a bare ✓).
	if me := w.get("/me"); !strings.Contains(me, `data-testid="resume-uploaded"`) || !strings.Contains(me, "上传于 "+domain.DateOf(time.Now()).String()) {
		t.Error("the résumé card does not say when it was uploaded")
	}
	w.post("/openings/"+id+"/apply", url.Values{"cover_letter": {"您好"}})
	// The résumé can be deleted from /me, asked first (an account walk
	// found no way short of erasing the account).
	if me := w.get("/me"); !strings.Contains(me, `data-testid="delete-resume"`) {
		t.Error("/me offers no way to delete the résumé")
	}
	if st := w.post("/me/resume/delete", url.Values{}); st != http.StatusSeeOther {
		t.Errorf("deleting the résumé: %d", st)
	}
	if me := w.get("/me"); flashOf(me) != "✓ 简历已删除。" || strings.Contains(me, `data-testid="delete-resume"`) {
		t.Errorf("after deleting: flash %q", flashOf(me))
	}
	page := w.get("/openings/" + id)
	if strings.Contains(page, `data-testid="apply-button"`) || !strings.Contains(page, `data-testid="applied-state"`) ||
		!strings.Contains(page, "已投递") {
		t.Errorf("after applying: the page should show the state, not the button")
	}
	// Another graduate still gets the button.
	if page := newWebClient(t, a, a.Graduate().Email).get("/openings/" + id); !strings.Contains(page, `data-testid="apply-button"`) {
		t.Errorf("another graduate lost the apply button")
	}
}

// Issue 15 finding 5: no trust signals. A verified employer now has a
// public page with the verified badge, its zone and its open openings; an
// opening links to it and carries the badge; every page's footer names the
// operator and its contact address.
func TestEmployerPageAndTrustSignals(t *testing.T) {
	a := testutil.NewApp(t, testutil.ContactEmail("help@kyzl.example.cn"))
	emp, admin, open1 := a.PublishedOpening(map[string]any{"title": "在招岗位一"})
	a.Publish(emp, admin, map[string]any{"title": "在招岗位二"})
	closed := a.Publish(emp, admin, map[string]any{"title": "已关闭岗位"})
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+closed+"/close", emp.Token, nil)
	a.WaitIndexed(30 * time.Second)

	status, _, page := fetch(t, a, "/employers/"+emp.EmployerID)
	if status != http.StatusOK {
		t.Fatalf("employer page: %d", status)
	}
	for _, want := range []string{"成都智算科技有限公司", `data-testid="verified-badge"`, "已认证单位", "成都高新技术产业开发区", "在招岗位一", "在招岗位二", "在招岗位（2）"} {
		if !strings.Contains(page, want) {
			t.Errorf("employer page lacks %q", want)
		}
	}
	if strings.Contains(page, "已关闭岗位") {
		t.Errorf("employer page lists a closed opening")
	}
	if !strings.Contains(page, "工业和信息化部火炬高技术产业开发中心") || !strings.Contains(page, "mailto:help@kyzl.example.cn") {
		t.Errorf("footer does not name the operator and contact")
	}
	_, _, page = fetch(t, a, "/openings/"+open1)
	if !strings.Contains(page, `href="/employers/`+emp.EmployerID+`"`) || !strings.Contains(page, `data-testid="verified-badge"`) {
		t.Errorf("opening page has no link to its employer or no badge")
	}
	// A pending employer has no public page; nor has a made-up id.
	pending := a.Employer("51", "sichuan-chengdu")
	for _, id := range []string{pending.EmployerID, "00000000-0000-0000-0000-000000000000", "x"} {
		if status, _, _ := fetch(t, a, "/employers/"+id); status != http.StatusNotFound {
			t.Errorf("/employers/%s: %d, want 404", id, status)
		}
	}
}

// A browser walk found a saved search on /me as plain text with only its
// mail setting: no way to run it again or to delete it (the API had
// DELETE /me/saved-searches/{id}). Its name now opens its search, and a
// delete button removes it; another graduate cannot delete it.
func TestSavedSearchRunsAndDeletesFromMe(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	id := a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token,
		map[string]any{"name": "成都 算法岗", "q": "算法", "filters": map[string]any{"city": "成都", "degree": "master"}}).JSON()["id"].(string)
	w := newWebClient(t, a, g.Email)
	page := w.get("/me")
	if !strings.Contains(page, `href="/?city=`+url.QueryEscape("成都")+`&amp;degree=master&amp;q=`+url.QueryEscape("算法")+`"`) {
		t.Errorf("the saved search does not open its search:\n%s", page)
	}
	other := newWebClient(t, a, a.Graduate().Email)
	other.get("/me")
	if st := other.post("/me/saved-searches/"+id+"/delete", url.Values{}); st != http.StatusNotFound {
		t.Errorf("another graduate deleting it: %d, want 404", st)
	}
	if st := w.post("/me/saved-searches/"+id+"/delete", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("delete: %d", st)
	}
	page = w.get("/me")
	if strings.Contains(page, `id="ss-`+id+`"`) || flashOf(page) != "✓ 已删除保存的搜索。" {
		t.Errorf("after deleting: flash %q, still listed %v", flashOf(page), strings.Contains(page, `id="ss-`+id+`"`))
	}
	// None left is said as the recommendations above say it, not as an
	// item of an empty list set in by the list's indent (a walk: walk37).
	if !strings.Contains(page, `<p class="meta" data-testid="no-saved-searches">暂无</p>`) || strings.Contains(page, `<ul class="saved-searches">`) {
		t.Errorf("no saved search left:\n%s", part(page, `id="saved"`, "<h2>"))
	}
	if n := len(a.Must(http.StatusOK, "GET", "/api/v1/me/saved-searches", g.Token, nil).JSON()["items"].([]any)); n != 0 {
		t.Errorf("%d saved searches left", n)
	}
}

// A search walk: the same search could be saved twice (the button stayed
// after saving), saving took the graduate away from the results to /me,
// and the flash promised alert mail to an address not yet verified. A
// search saved is saved once (the API answers the one there with 200); the
// graduate stays on the results, which say the search is saved, and is
// told that mail waits for the address.
func TestSavingASearchOnce(t *testing.T) {
	a := testutil.NewApp(t)
	a.PublishedOpening(map[string]any{"title": "人工智能算法科研助理", "industry": "ai"})
	a.WaitIndexed(30 * time.Second)
	g := a.Graduate()
	w := newWebClient(t, a, g.Email)
	results := "/?industry=ai&q=" + url.QueryEscape("人工智能")
	if page := w.get(results); !strings.Contains(page, `data-testid="save-search"`) {
		t.Fatal("no save button on the results")
	}
	form := url.Values{"_csrf": {w.csrf}, "q": {"人工智能"}, "industry": {"ai"}}
	for i, want := range []string{"验证邮箱后", "已保存过"} {
		res, err := w.cl.PostForm(a.URL+"/me/saved-searches", form)
		readBody(t, res, err)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != results {
			t.Fatalf("save %d: %d to %q, want back to %q", i+1, res.StatusCode, res.Header.Get("Location"), results)
		}
		page := w.get(results)
		if !strings.Contains(flashOf(page), want) || strings.Contains(page, `data-testid="save-search"`) || !strings.Contains(page, `data-testid="search-saved"`) {
			t.Errorf("after save %d: flash %q, still a save button %v", i+1, flashOf(page), strings.Contains(page, `data-testid="save-search"`))
		}
	}
	body := map[string]any{"name": "人工智能", "q": "人工智能", "filters": map[string]any{"industry": "ai"}}
	again := a.Must(http.StatusOK, "POST", "/api/v1/me/saved-searches", g.Token, body).JSON()
	if n := len(a.Must(http.StatusOK, "GET", "/api/v1/me/saved-searches", g.Token, nil).JSON()["items"].([]any)); n != 1 || again["id"] == nil {
		t.Errorf("%d saved searches after saving one three times", n)
	}
	// Another search is saved anew.
	body["filters"] = map[string]any{"industry": "biomedicine"}
	a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token, body)
	// A review: the same words typed in an IME's full width are the same
	// search; and a search of 101–200 characters, its words the name, was
	// refused for a name too long, which the graduate never typed.
	a.Must(http.StatusOK, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "ＡＩ", "q": "人工智能", "filters": map[string]any{"industry": "biomedicine"}})
	full := a.Must(http.StatusCreated, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "Python", "q": "Ｐｙｔｈｏｎ"}).JSON()
	a.Must(http.StatusOK, "POST", "/api/v1/me/saved-searches", g.Token, map[string]any{"name": "python", "q": "python"}) // any case
	if full["q"] != "Python" {
		t.Errorf("a full-width query is saved as %v", full["q"])
	}
	long := strings.Repeat("机器学习", 40)
	res, err := w.cl.PostForm(a.URL+"/me/saved-searches", url.Values{"_csrf": {w.csrf}, "q": {long}, "sort": {"newest"}})
	readBody(t, res, err)
	if page := w.get("/?sort=newest&q=" + url.QueryEscape(long)); !strings.HasPrefix(res.Header.Get("Location"), "/?") || !strings.Contains(res.Header.Get("Location"), "sort=newest") ||
		!strings.HasPrefix(flashOf(page), "✓") {
		t.Errorf("a long search: to %q, flash %q", res.Header.Get("Location"), flashOf(page))
	}
	// An address its server refused for good is told why, as /me says it
	// (the last round's Left: it read as any unverified address).
	if err := a.Server.Store.RecordMailRefused(context.Background(), g.ID, g.Email, "550 5.1.1 user unknown", time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err = w.cl.PostForm(a.URL+"/me/saved-searches", url.Values{"_csrf": {w.csrf}, "q": {"区块链"}})
	readBody(t, res, err)
	if flash := flashOf(w.get("/?q=" + url.QueryEscape("区块链"))); !strings.Contains(flash, "邮件被拒收") || !strings.Contains(flash, "重新验证") {
		t.Errorf("saved with a refused address, the flash says %q", flash)
	}
}

// A search walk followed an old link (a mail's, a bookmark's) to an opening
// since closed and read the site's generic 找不到页面. An opening that was
// published says it has stopped taking applications (410 Gone: a search
// engine drops it), names itself and its employer, and offers similar
// openings; one never published stays unknown (404).
func TestClosedOpeningSaysItEnded(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, id := a.PublishedOpening(map[string]any{"title": "已结束的科研助理岗位", "industry": "ai", "city": "成都"})
	g, _ := a.Applicant(id, "您好")
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/close", emp.Token, nil)
	// A graduate walk: an applicant following the closing mail's "your
	// application stands" to the opening read only that it had ended, and
	// lost the application the open page showed. It is still shown.
	w := newWebClient(t, a, g.Email)
	for lang, want := range map[string]string{"zh": "您已申请该岗位", "en": "You applied to this opening"} {
		if page := w.get("/openings/" + id + "?lang=" + lang); !strings.Contains(page, `data-testid="opening-ended"`) ||
			!strings.Contains(page, `data-testid="applied-state"`) || !strings.Contains(page, want) {
			t.Errorf("%s: the ended opening's page does not show the graduate's application", lang)
		}
	}
	st, _, page := fetch(t, a, "/openings/"+id)
	if st != http.StatusGone || !strings.Contains(page, `data-testid="opening-ended"`) || !strings.Contains(page, "该岗位已停止招聘") ||
		!strings.Contains(page, "已结束的科研助理岗位") || !strings.Contains(html.UnescapeString(page), `href="/?city=`+url.QueryEscape("成都")+`&industry=ai"`) ||
		!strings.Contains(page, `href="/employers/`+emp.EmployerID+`"`) || !strings.Contains(page, `<meta name="robots" content="noindex">`) {
		t.Errorf("a closed opening's page: %d\n%s", st, page)
	}
	if st, _, page := fetch(t, a, "/openings/"+id+"?lang=en"); st != http.StatusGone || !strings.Contains(page, "no longer accepting applications") {
		t.Errorf("in English: %d", st)
	}
	draft := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"title": "从未发布的草稿岗位"})).JSON()["id"].(string)
	if st, _, page := fetch(t, a, "/openings/"+draft); st != http.StatusNotFound || strings.Contains(page, "从未发布的草稿岗位") {
		t.Errorf("a draft's page to the public: %d", st)
	}
	// A review: an opening edited after publishing goes back to review,
	// with a title staff never approved; closed then, it was not public
	// when it closed, and stays unknown.
	edited := a.Must(http.StatusCreated, "POST", "/api/v1/openings", emp.Token, testutil.OpeningBody(map[string]any{"title": "已批准的标题"})).JSON()["id"].(string)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+edited+"/submit", emp.Token, nil)
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+edited+"/approve", a.ZoneAdmin("sichuan-chengdu").Token, nil)
	a.Must(http.StatusOK, "PATCH", "/api/v1/openings/"+edited, emp.Token, map[string]any{"title": "未经审核的新标题"})
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+edited+"/close", emp.Token, nil)
	if st, _, page := fetch(t, a, "/openings/"+edited); st != http.StatusNotFound || strings.Contains(page, "未经审核的新标题") {
		t.Errorf("an opening closed while under review again: %d", st)
	}
	// Its employer still sees the opening itself, closed.
	if page := newWebClient(t, a, emp.Email).get("/openings/" + id); !strings.Contains(page, `class="status closed"`) {
		t.Error("the employer does not see its closed opening")
	}
}

// A search walk picked 成都 and could not then switch to another zone: the
// zone facet held 成都 alone. A facet in use counts its other values as if
// it were not (disjunctive), within the other filters; the value on is
// still marked, and a click on another replaces it.
func TestFacetInUseOffersItsOtherValues(t *testing.T) {
	a := testutil.NewApp(t)
	a.PublishedOpening(map[string]any{"title": "成都人工智能科研助理", "industry": "ai"})
	mianyang := a.VerifiedEmployer("51", "sichuan-mianyang")
	a.Publish(mianyang, a.ZoneAdmin("sichuan-mianyang"), map[string]any{"title": "绵阳人工智能科研助理", "industry": "ai"})
	a.Publish(mianyang, a.ZoneAdmin("sichuan-mianyang"), map[string]any{"title": "绵阳人工智能实验助理", "industry": "ai"})
	a.Publish(mianyang, a.ZoneAdmin("sichuan-mianyang"), map[string]any{"title": "绵阳生物医药科研助理", "industry": "biomedicine"})
	a.WaitIndexed(30 * time.Second)
	_, _, page := fetch(t, a, "/?industry=ai&zone=sichuan-chengdu")
	page = html.UnescapeString(page)
	other := regexp.MustCompile(`<a href="([^"]*)" class="" data-testid="facet-zone-sichuan-mianyang">[^<]*<span>(\d+)</span>`).FindStringSubmatch(page)
	if other == nil || other[2] != "2" || !strings.Contains(other[1], "zone=sichuan-mianyang") || !strings.Contains(other[1], "industry=ai") {
		t.Errorf("the zone facet in use does not offer 绵阳 with its count within the industry: %q", other)
	}
	if !strings.Contains(page, `class="on" data-testid="facet-zone-sichuan-chengdu"`) || strings.Count(page, `data-testid="opening-card"`) != 1 {
		t.Error("the zone on is not marked, or the results are not 成都's")
	}
	// The value on leads its list, though 绵阳 counts more: past the twelfth
	// it would hide behind 更多 (a review).
	if on, other := strings.Index(page, `data-testid="facet-zone-sichuan-chengdu"`), strings.Index(page, `data-testid="facet-zone-sichuan-mianyang"`); on > other {
		t.Error("the zone on does not lead its facet")
	}
}

// A search walk: a card's deadline was a bare date, so an opening closing
// in three days read like one closing in two months. A deadline within two
// weeks says how many days are left, on the card and the opening's page.
func TestDeadlineSaysDaysLeft(t *testing.T) {
	a := testutil.NewApp(t)
	_, _, soon := a.PublishedOpening(map[string]any{"title": "即将截止的科研助理", "deadline": testutil.InDays(3)})
	_, _, today := a.PublishedOpening(map[string]any{"title": "今天截止的科研助理", "deadline": testutil.InDays(0)})
	_, _, later := a.PublishedOpening(map[string]any{"title": "两个月后截止的科研助理", "deadline": testutil.InDays(60)})
	a.WaitIndexed(30 * time.Second)
	_, _, page := fetch(t, a, "/")
	card := func(id string) string {
		return regexp.MustCompile(`(?s)<article[^>]*id="o-` + id + `".*?</article>`).FindString(page)
	}
	if !strings.Contains(card(soon), "还剩 3 天") || !strings.Contains(card(today), "今天截止") || strings.Contains(card(later), "还剩") {
		t.Errorf("days left on the cards:\n%s\n%s\n%s", card(soon), card(today), card(later))
	}
	if _, _, p := fetch(t, a, "/openings/"+soon+"?lang=en"); !strings.Contains(p, "3 days left") {
		t.Error("the opening's page does not say the days left")
	}
}

// A verify walk: the city filter (a closed opening's 查看类似岗位 sets it)
// had no chip, so it could be neither seen nor taken off, and it stayed on
// every new search; the degree facet said 硕士 where the filter means a
// minimum of 硕士 (the cards say 硕士及以上).
func TestCityChipAndDegreeMinimumLabels(t *testing.T) {
	a := testutil.NewApp(t)
	a.PublishedOpening(map[string]any{"title": "成都人工智能科研助理", "industry": "ai", "city": "成都", "degree_min": "master"})
	a.WaitIndexed(30 * time.Second)
	_, _, page := fetch(t, a, "/?city="+url.QueryEscape("成都"))
	page = html.UnescapeString(page)
	chip := regexp.MustCompile(`<a class="tag" href="([^"]*)" data-testid="active-filter">([^<]*)`).FindStringSubmatch(page)
	if chip == nil || !strings.Contains(chip[2], "成都") || strings.Contains(chip[1], "city=") {
		t.Errorf("no chip takes the city off: %q", chip)
	}
	if !strings.Contains(page, `data-testid="facet-degree_min-master">硕士及以上`) {
		t.Error("the degree facet does not say the degree is a minimum")
	}
	// The title says what is searched, and the page has its one h1 (an
	// audit: every search read 科研助理岗位服务平台, with no h1); a live
	// update carries its title along.
	_, _, page = fetch(t, a, "/?q="+url.QueryEscape("人工智能")+"&city="+url.QueryEscape("成都")+"&page=2")
	page = html.UnescapeString(page)
	if !strings.Contains(page, "<title>人工智能 · 工作城市：成都 · 第 2 页 · 找岗位 · 科研助理岗位服务平台</title>") || !strings.Contains(page, `<h1 class="sr-only">找岗位</h1>`) {
		t.Errorf("the search's title and heading: %q", regexp.MustCompile(`<title>[^<]*</title>`).FindString(page))
	}
	if _, _, part := fetch(t, a, "/?q="+url.QueryEscape("人工智能")+"&partial=1"); !strings.Contains(html.UnescapeString(part), `data-page-title="人工智能 · 找岗位 · 科研助理岗位服务平台"`) {
		t.Error("a live update carries no title")
	}
}

// A search walk: 硕士及以上 lists the openings whose minimum is a master's, so
// a master's graduate had no way to see every opening open to them (those
// of 本科及以上 too). 我的学历 (my_degree) counts, for each degree, the
// openings it meets; chosen, it has a chip, and a search saved with it
// keeps it.
func TestMyDegreeListsWhatTheGraduateMayApplyTo(t *testing.T) {
	a := testutil.NewApp(t)
	emp, admin, _ := a.PublishedOpening(map[string]any{"title": "本科科研助理", "degree_min": "bachelor"})
	a.Publish(emp, admin, map[string]any{"title": "硕士科研助理", "degree_min": "master"})
	a.Publish(emp, admin, map[string]any{"title": "博士科研助理", "degree_min": "doctor"})
	a.WaitIndexed(30 * time.Second)
	count := func(page, degree string) string {
		m := regexp.MustCompile(`data-testid="facet-my_degree-` + degree + `">[^<]*<span>(\d+)</span>`).FindStringSubmatch(page)
		if m == nil {
			return ""
		}
		return m[1]
	}
	_, _, page := fetch(t, a, "/")
	if count(page, "associate") != "" || count(page, "bachelor") != "1" || count(page, "master") != "2" || count(page, "doctor") != "3" {
		t.Errorf("我的学历 counts: associate %q, bachelor %q, master %q, doctor %q", count(page, "associate"),
			count(page, "bachelor"), count(page, "master"), count(page, "doctor"))
	}
	_, _, page = fetch(t, a, "/?my_degree=master")
	page = html.UnescapeString(page)
	chip := regexp.MustCompile(`<a class="tag" href="([^"]*)" data-testid="active-filter">([^<]*)`).FindStringSubmatch(page)
	if strings.Count(page, `data-testid="opening-card"`) != 2 || strings.Contains(page, "博士科研助理") ||
		chip == nil || !strings.Contains(chip[2], "硕士可投") || strings.Contains(chip[1], "my_degree") {
		t.Errorf("my_degree=master: %d cards, chip %q", strings.Count(page, `data-testid="opening-card"`), chip)
	}
	// The other degrees are still offered, counted as if none were chosen.
	if count(page, "doctor") != "3" || count(page, "master") != "2" {
		t.Errorf("with master chosen: doctor %q, master %q", count(page, "doctor"), count(page, "master"))
	}
	g := a.Graduate()
	w := newWebClient(t, a, g.Email)
	w.get("/?my_degree=master")
	res, err := w.cl.PostForm(a.URL+"/me/saved-searches", url.Values{"_csrf": {w.csrf}, "my_degree": {"master"}})
	readBody(t, res, err)
	if res.Header.Get("Location") != "/?my_degree=master" {
		t.Errorf("saved, back to %q", res.Header.Get("Location"))
	}
	saved := a.Must(http.StatusOK, "GET", "/api/v1/me/saved-searches", g.Token, nil).JSON()["items"].([]any)
	if len(saved) != 1 || saved[0].(map[string]any)["filters"].(map[string]any)["my_degree"] != "master" {
		t.Errorf("saved: %v", saved)
	}
	// Saved without words, it is named by its filters, not 全部 (a verify
	// walk read alert mails titled 新岗位提醒「全部」).
	if name := saved[0].(map[string]any)["name"]; name != "硕士可投" {
		t.Errorf("a search of filters alone is named %v", name)
	}
	if me := w.get("/me"); !strings.Contains(me, "硕士可投") {
		t.Error("/me does not say the saved search's degree")
	}
}

// A homophone typo on the site: the results of its sound, and a line that
// says the words as typed matched nothing (the API's sounds_like).
func TestSearchPageSaysItSearchedBySound(t *testing.T) {
	a := testutil.NewApp(t)
	_, _, id := a.PublishedOpening(map[string]any{"title": "人工智能算法科研助理"})
	a.WaitIndexed(30 * time.Second)
	_, _, page := fetch(t, a, "/?q="+url.QueryEscape("人工致能"))
	if !strings.Contains(page, `href="/openings/`+id+`"`) || !strings.Contains(page, "没有与「人工致能」字面一致的岗位，以下岗位读音相近。") {
		t.Errorf("a homophone typo's page:\n%s", page)
	}
	if _, _, page := fetch(t, a, "/?q="+url.QueryEscape("人工智能")); strings.Contains(page, `data-testid="sounds-like"`) {
		t.Error("an exact match says it was found by sound")
	}
}

// A search walk: one bad parameter of a shared link (degree=phd) threw the
// whole search away and listed everything with an empty box and no word; a
// filtered search with no results hid the filter that emptied it. The valid
// parts stay and the page names what it left out; an empty filtered search
// keeps its filter to remove and says what the search finds without it.
func TestSearchPageKeepsWhatItCan(t *testing.T) {
	a := testutil.NewApp(t)
	_, _, ai := a.PublishedOpening(map[string]any{"title": "人工智能算法科研助理", "industry": "ai"})
	_, _, bio := a.PublishedOpening(map[string]any{"title": "生物医药实验助理", "industry": "biomedicine"})
	a.WaitIndexed(30 * time.Second)
	_, _, page := fetch(t, a, "/?q="+url.QueryEscape("人工智能")+"&degree=phd&industry=foo")
	notice := regexp.MustCompile(`<p[^>]*data-testid="ignored-params">[^<]*</p>`).FindString(page)
	if !strings.Contains(page, `href="/openings/`+ai+`"`) || strings.Contains(page, `href="/openings/`+bio+`"`) ||
		!strings.Contains(page, `value="人工智能"`) || !strings.Contains(notice, "行业、学历要求") {
		t.Errorf("a link with two bad filters lost its query, or did not name them (%q)", notice)
	}
	// Words over the limit are cut, and the page says so (not "ignored").
	_, _, page = fetch(t, a, "/?q="+url.QueryEscape(strings.Repeat("人工智能", 60)))
	if !strings.Contains(page, `data-testid="query-cut"`) || strings.Contains(page, `data-testid="ignored-params"`) {
		t.Error("a query over 200 characters is not said to be cut")
	}
	if !strings.Contains(page, `maxlength="200"`) {
		t.Error("the search box takes more than the 200 characters a search may have")
	}
	_, _, page = fetch(t, a, "/?q="+url.QueryEscape("人工智能")+"&industry=biomedicine")
	chips := regexp.MustCompile(`data-testid="active-filter"`).FindAllString(page, -1)
	if strings.Contains(page, `href="/openings/`) || len(chips) != 1 || !strings.Contains(page, `data-testid="without-filters"`) ||
		!strings.Contains(page, "去掉筛选后有 1 个岗位") || !strings.Contains(page, "所选筛选条件下没有岗位") || strings.Contains(page, "换个关键词") {
		t.Errorf("an empty filtered search: %d chips\n%s", len(chips), page)
	}
	if _, _, page := fetch(t, a, "/?q="+url.QueryEscape("人工智能")); strings.Contains(page, `data-testid="ignored-params"`) || strings.Contains(page, `data-testid="without-filters"`) {
		t.Error("a plain search says it left something out")
	}
	// A graduate walk: filters alone (no words) that match nothing said
	// "try other words", of words never typed. They say the filters
	// found nothing, in both languages.
	for lang, want := range map[string]string{"zh": "所选筛选条件下没有岗位", "en": "Nothing matches with these filters."} {
		if _, _, page := fetch(t, a, "/?lang="+lang+"&industry=new_materials"); !strings.Contains(page, want) || strings.Contains(page, "换个关键词") || strings.Contains(page, "Try other words") {
			t.Errorf("%s: an empty search of filters alone does not say the filters found nothing", lang)
		}
	}
	// Nothing found: no facet heading stands over "None" (five did, in English).
	if _, _, page := fetch(t, a, "/?lang=en&q="+url.QueryEscape("量子纠缠")); strings.Contains(page, "<h3>Zone</h3>") || strings.Contains(page, ">None<") {
		t.Error("an empty search draws empty facets")
	}
}

// A walk in English read an opening's degree as "Bachelor / Degree" (and
// "Bachelor+" in the list), and was shown "Published", a status for its
// employer and staff. The degree is a minimum, said so in both languages;
// a published opening shows no status; its employer still sees one closed.
func TestOpeningSaysTheDegreeIsAMinimum(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, id := a.PublishedOpening(map[string]any{"title": "学历要求测试岗位", "degree_min": "bachelor"})
	a.WaitIndexed(30 * time.Second)
	for lang, want := range map[string][]string{"zh": {"本科及以上", "学历要求"}, "en": {"Bachelor or above", "Minimum degree"}} {
		_, _, page := fetch(t, a, "/openings/"+id+"?lang="+lang)
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s opening page lacks %q", lang, w)
			}
		}
		if strings.Contains(page, `class="status published"`) {
			t.Errorf("%s opening page shows a graduate the status published", lang)
		}
		if _, _, list := fetch(t, a, "/?lang="+lang); !strings.Contains(list, want[0]) || strings.Contains(list, "Bachelor+") || strings.Contains(list, "本科+") {
			t.Errorf("%s search list does not say %q", lang, want[0])
		}
	}
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/close", emp.Token, nil)
	if page := newWebClient(t, a, emp.Email).get("/openings/" + id); !strings.Contains(page, `class="status closed"`) {
		t.Error("a closed opening does not say so to its employer")
	}
}

// A keyboard walk: on a desktop the filters are drawn left of the results
// but came after all of them in the tab order (WCAG 2.4.3). They come first
// in the page too; on a phone they stay a closed drawer (display:none).
func TestFiltersComeBeforeResultsInTabOrder(t *testing.T) {
	a := testutil.NewApp(t)
	a.PublishedOpening(nil)
	a.WaitIndexed(30 * time.Second)
	_, _, page := fetch(t, a, "/")
	filters, first := strings.Index(page, `id="filters"`), strings.Index(page, `data-testid="opening-card"`)
	if filters < 0 || first < 0 || filters > first {
		t.Errorf("the filters at %d, the first result at %d: the filters must come first", filters, first)
	}
}

// A verify walk: an opening with no salary (the form's and an import's
// empty salary) read 0–0 元/月 on every page. It says 面议.
func TestNoSalaryReadsNegotiable(t *testing.T) {
	a := testutil.NewApp(t)
	_, _, id := a.PublishedOpening(map[string]any{"title": "薪资面议的科研助理", "salary_min": 0, "salary_max": 0})
	a.WaitIndexed(30 * time.Second)
	for _, path := range []string{"/?q=" + url.QueryEscape("薪资面议"), "/openings/" + id, "/openings/" + id + "?lang=en"} {
		_, _, page := fetch(t, a, path)
		if strings.Contains(page, "0–0") || !(strings.Contains(page, "面议") || strings.Contains(page, "Negotiable")) {
			t.Errorf("%s does not say the salary is negotiable", path)
		}
	}
	// The page names its discipline, industry and publication day (an
	// employer walk found none of them).
	_, _, page := fetch(t, a, "/openings/"+id)
	facts := regexp.MustCompile(`(?s)data-testid="opening-facts".*?</p>`).FindString(page)
	if !strings.Contains(facts, "学科门类：工学") || !strings.Contains(facts, "人工智能") || !strings.Contains(facts, "发布于 "+domain.DateOf(time.Now()).String()) {
		t.Errorf("the opening's facts: %q", facts)
	}
}

// A verify walk: after an opening closed, the graduate's /me row read
// 已投递 alone. It says the opening stopped taking applications.
func TestMeMarksAnApplicationToAClosedOpening(t *testing.T) {
	a := testutil.NewApp(t)
	emp, _, id := a.PublishedOpening(map[string]any{"title": "将关闭的岗位"})
	g, _ := a.Applicant(id, "您好")
	w := newWebClient(t, a, g.Email)
	if strings.Contains(w.get("/me"), `data-testid="opening-closed"`) {
		t.Error("an open opening is marked closed")
	}
	a.Must(http.StatusOK, "POST", "/api/v1/openings/"+id+"/close", emp.Token, nil)
	if !strings.Contains(w.get("/me"), `data-testid="opening-closed"`) {
		t.Error("/me does not say the opening closed")
	}
}
