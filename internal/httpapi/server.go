// Package httpapi is gradzone's HTTP API: routes, request and response shapes,
// authentication and the one table that maps domain errors to statuses. It is
// the only package (with the web UI) that imports gin.
package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
)

// MaxBody is the largest JSON body accepted (uploads have their own limit).
const MaxBody = 1 << 20

// Deps are what the API needs, wired by internal/server (the composition
// root of serve); the site is mounted on the same engine through Extra.
type Deps struct {
	Log *slog.Logger
	// App runs every user action; handlers decode, call it and encode.
	App      *app.Service
	Accounts *app.Accounts
	Search   *app.Search
	Imports  *app.Imports
	// SearchState reports the index's health for /readyz; it looks at the
	// engine in a time of its own (a hung one answers "down" quickly).
	SearchState func(ctx context.Context) map[string]any
	// Now is the clock (tests move it).
	Now func() time.Time
	// Metrics serves /metrics (Prometheus) on the metrics address only
	// (MetricsHandler), never on the public one.
	Metrics http.Handler
	// TrustedProxies are the CIDRs whose X-Forwarded-For is believed; none
	// means the client address is the TCP peer.
	TrustedProxies []string
	// HSTS adds Strict-Transport-Security (the public URL is https).
	HSTS bool
	// WebError, when set, answers errors on the web UI's paths (everything
	// outside /api/) with the site's styled HTML page instead of JSON.
	WebError func(*gin.Context, error)
	// Extra lets other packages (the web UI) add routes to the same engine.
	Extra func(r *gin.Engine) error
	// RenewSession, when set, runs before the API reads the web session's
	// cookie: the site renews an expired access cookie from its refresh
	// cookie, so a page's links and fetches into /api/v1 (downloads,
	// check-in, import progress) keep working past the access token's life.
	RenewSession gin.HandlerFunc
}

// API holds the dependencies of every handler.
type API struct{ Deps }

// upload is a path that takes a file, by the API or the site's form, and
// gets a larger body limit than JSON's: the file's limit with its form's
// envelope. A 1 MB limit once cut short the 5 MB a résumé page promises and
// the 10 MB of an import. A larger body is refused naming the file's limit.
type upload struct {
	path    string // the path, or every path under it when it ends in "/"
	limit   int64
	refusal *domain.Error
}

var uploads = []upload{
	{"/api/v1/me/resume", domain.MaxResumeBytes, app.ErrResumeTooLarge},
	{"/me/resume", domain.MaxResumeBytes, app.ErrResumeTooLarge},
	{"/api/v1/imports/", domain.MaxImportBytes, app.ErrImportTooLarge},
	{"/staff/imports/", domain.MaxImportBytes, app.ErrImportTooLarge},
}

// formEnvelope is what a multipart form adds around its file.
const formEnvelope = 64 << 10

var errBodyTooLarge = &domain.Error{Code: domain.CodeTooLarge, Message: "the request body is too large"}

// bodyLimit is the largest body p takes, and the refusal of a larger one.
func bodyLimit(p string) (int64, *domain.Error) {
	for _, u := range uploads {
		if p == u.path || strings.HasSuffix(u.path, "/") && strings.HasPrefix(p, u.path) {
			return u.limit + formEnvelope, u.refusal
		}
	}
	return MaxBody, errBodyTooLarge
}

// NewHandler builds the gin engine with every route. Its only error is
// Extra's.
func NewHandler(d Deps) (http.Handler, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	a := &API{d}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	// gin trusts every proxy by default, which let any client choose the
	// address the sign-in limits count. Only the configured ones count now.
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		panic("httpapi: trusted proxies were validated by config: " + err.Error())
	}
	r.RemoteIPHeaders = []string{"X-Forwarded-For"}
	answer := func(c *gin.Context, err error) {
		if d.WebError != nil && !isAPIPath(c.Request.URL.Path) {
			d.WebError(c, err)
			c.Abort()
			return
		}
		writeError(c, err)
	}
	// recoverPanics inside accessLog: a panic answered 500 has its access
	// line too (unwinding past accessLog, it had none).
	r.Use(withRequestID, withLogger(d.Log), accessLog(d.Log), recoverPanics(d.Log, answer), securityHeaders(d.HSTS), errorMiddleware,
		limitBody(answer), inputHygiene(answer))
	// A site address with a slash too many goes to the page without it; an
	// API path with one is not found, in the API's shape (gin's own
	// redirect answered an API client with an HTML 301: a probe).
	r.RedirectTrailingSlash = false
	r.NoRoute(func(c *gin.Context) {
		p := c.Request.URL.Path
		if d.WebError != nil && !isAPIPath(p) && len(p) > 1 && strings.HasSuffix(p, "/") &&
			(c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead) {
			target := url.URL{Path: strings.TrimRight(p, "/"), RawQuery: c.Request.URL.RawQuery}
			if target.Path == "" || strings.HasPrefix(target.Path, "//") || strings.HasPrefix(target.Path, "/\\") { // never off the site
				target.Path = "/"
			}
			c.Redirect(http.StatusMovedPermanently, target.String())
			return
		}
		answer(c, domain.ErrNotFound)
	})
	r.NoMethod(func(c *gin.Context) {
		p := c.Request.URL.Path
		// A site form's address opened again (reloaded, bookmarked, shared
		// after an error) goes to the page above it, where the form lives:
		// /me/profile → /me. It repeats until a page answers GET.
		if d.WebError != nil && !isAPIPath(p) && (c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead) {
			c.Redirect(http.StatusSeeOther, path.Dir(strings.TrimSuffix(p, "/")))
			return
		}
		answer(c, &domain.Error{Code: domain.CodeMethodNotAllowed, Message: "method not allowed"})
	})

	r.GET("/healthz", a.healthz)
	r.GET("/readyz", a.readyz)

	v1 := r.Group("/api/v1")
	// Tokens and personal data must not be kept by a cache on the way
	// (RFC 6749 §5.1): no-store unless a handler says otherwise (public
	// reference data, files).
	v1.Use(func(c *gin.Context) { c.Header("Cache-Control", "no-store") })
	v1.Use(lowerCaseIDs)
	if d.RenewSession != nil {
		v1.Use(d.RenewSession)
	}
	v1.Use(a.authenticate)
	a.accountRoutes(v1)
	a.referenceRoutes(v1)
	a.openingRoutes(v1)
	a.hiringRoutes(v1)
	a.progressRoutes(v1)
	a.operationsRoutes(v1)
	a.privacyRoutes(v1)
	a.sessionRoutes(v1)
	a.savedRoutes(v1)
	a.mailRoutes(v1)
	a.assessmentRoutes(v1)
	r.GET("/e/:code", a.trackedLink)
	r.GET("/api/docs", apiDocs)

	if d.Extra != nil {
		if err := d.Extra(r); err != nil {
			return nil, err
		}
	}
	return headAsGet{r}, nil
}

// isAPIPath tells the JSON API's paths from the web UI's pages. A tracked
// link (/e/{code}) is a page: people follow it from a poster or a stream.
func isAPIPath(p string) bool {
	return strings.HasPrefix(p, "/api/") || p == "/api" || p == "/healthz" || p == "/readyz" || p == "/metrics"
}

// headAsGet answers HEAD for every GET route: the request is served as GET
// and the body is dropped (net/http sends the headers and status only). gin
// has no automatic HEAD, and a 405 to HEAD confuses monitors and caches.
type headAsGet struct{ e *gin.Engine }

func (h headAsGet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		r = r.WithContext(context.WithValue(r.Context(), headRequest{}, true))
		r.Method = http.MethodGet
		w = bodyless{w}
	}
	h.e.ServeHTTP(w, r)
}

// headRequest marks, in its context, a HEAD served as GET.
type headRequest struct{}

// isHead reports whether r came as HEAD: a handler whose GET also records
// something (a résumé read, an event's view through its tracked link)
// records nothing for a HEAD, which sends no body.
func isHead(r *http.Request) bool { return r.Context().Value(headRequest{}) != nil }

type bodyless struct{ http.ResponseWriter }

func (b bodyless) Write(p []byte) (int, error) { return len(p), nil }

func (b bodyless) WriteString(s string) (int, error) { return len(s), nil }

func (b bodyless) Flush() {
	if f, ok := b.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Routes lists the routes of a handler built by NewHandler (tests walk them).
func Routes(h http.Handler) gin.RoutesInfo {
	if hg, ok := h.(headAsGet); ok {
		return hg.e.Routes()
	}
	return nil
}

func (a *API) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// readyz says whether this replica can serve (Postgres answers) and, as the
// contract asks, Meilisearch's state as a bare "up" or "down": the public
// address tells nobody how far the index lags or which breaker is open. The
// details are on the metrics address (MetricsHandler). The mail server is
// not looked at: mail waits in the job queue, and an SMTP outage must not
// take every replica out of service; the metrics show it (gradzone_mail_*).
func (a *API) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	body := gin.H{"status": "ok"}
	// Postgres decides; Meilisearch is only reported, in a time of its own:
	// a hung one used up the budget before Postgres was asked, and every
	// replica read unready (an ops probe).
	err := a.App.Ping(ctx)
	if a.SearchState != nil {
		body["meilisearch"] = "down"
		if st, _ := a.SearchState(ctx)["status"].(string); st == "up" {
			body["meilisearch"] = "up"
		}
	}
	if err != nil {
		// Not ready is the contract's 503 like any other: `unavailable` in
		// the error shape and Retry-After, beside the two states.
		u := domain.ErrUnavailable
		body["status"] = "unavailable"
		body["error"] = errorDetail{Code: u.Code, Message: u.Message}
		c.Header("Retry-After", strconv.Itoa(u.RetryAfter))
		c.JSON(http.StatusServiceUnavailable, body)
		return
	}
	c.JSON(http.StatusOK, body)
}

// reportedCheckTimeout bounds a readiness look at a dependency that is
// reported but not required: the S3 gateway (SearchState bounds its own
// look at the engine, and reads the lag from Postgres in the caller's time).
const reportedCheckTimeout = 500 * time.Millisecond

// filesState is the S3 gateway's state ("up" or "down"), looked at for
// reportedCheckTimeout at most: only uploads and downloads need it.
func (a *API) filesState(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, reportedCheckTimeout)
	defer cancel()
	if err := a.App.Files.Healthy(ctx); err != nil {
		return "down"
	}
	return "up"
}

// readyDetails reports Postgres (required), the search index (reported,
// not required: search falls back to Postgres) and the S3 gateway
// (reported: only files need it).
func (a *API) readyDetails(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	body := map[string]any{"status": "ok", "postgres": "up"}
	status := http.StatusOK
	if err := a.App.Ping(ctx); err != nil {
		body["status"], body["postgres"] = "unavailable", "down"
		status = http.StatusServiceUnavailable
	}
	if a.SearchState != nil {
		body["meilisearch"] = a.SearchState(ctx)
	}
	if a.App.Files != nil {
		body["s3"] = a.filesState(r.Context())
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// MetricsHandler is what the metrics address serves: /metrics and the
// detailed /readyz. It is meant for the operators' network only.
func MetricsHandler(d Deps) http.Handler {
	a := &API{d}
	mux := http.NewServeMux()
	if d.Metrics != nil {
		mux.Handle("GET /metrics", d.Metrics)
	}
	mux.HandleFunc("GET /readyz", a.readyDetails)
	return mux
}

// Server wraps http.Server with timeouts gin's Run does not set: slow clients
// must not pin connections.
func Server(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// lowerCaseIDs reads an ID in the path in lower case, as it is stored:
// Postgres matches 7FFB44DE-… to the row, and the answer echoed the ID as
// sent, so a client keying a cache on IDs saw one application as two (a
// probe).
func lowerCaseIDs(c *gin.Context) {
	for i, p := range c.Params {
		if len(p.Value) == 36 && strings.Count(p.Value, "-") == 4 && strings.ToLower(p.Value) != p.Value {
			c.Params[i].Value = strings.ToLower(p.Value)
		}
	}
}
