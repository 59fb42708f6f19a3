// Package httpapi is gradzone's HTTP API: routes, request and response shapes,
// authentication and the one table that maps domain errors to statuses. It is
// the only package (with the web UI) that imports gin.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/ratelimit"
)

// MaxBody is the largest JSON body accepted (uploads have their own limit).
const MaxBody = 1 << 20

// Deps are what the API needs, wired by the CLI.
type Deps struct {
	Log *slog.Logger
	// App runs every user action; handlers decode, call it and encode.
	App      *app.Service
	Accounts *app.Accounts
	Search   *app.Search
	Imports  *app.Imports
	// SearchState reports the index's health for /readyz.
	SearchState func(ctx context.Context) map[string]any
	// LoginPerIP and LoginPerEmail limit sign-in attempts.
	LoginPerIP, LoginPerEmail *ratelimit.Limiter
	// Now is the clock (tests move it).
	Now func() time.Time
	// Metrics serves /metrics (Prometheus).
	Metrics http.Handler
	// Extra lets other packages (the web UI) add routes to the same engine.
	Extra func(r *gin.Engine) error
}

// API holds the dependencies of every handler.
type API struct{ Deps }

// NewHandler builds the gin engine with every route. Its only error is
// Extra's.
func NewHandler(d Deps) (http.Handler, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.LoginPerIP == nil {
		d.LoginPerIP = ratelimit.New(3*time.Second, 20)
	}
	if d.LoginPerEmail == nil {
		d.LoginPerEmail = ratelimit.New(12*time.Second, 5)
	}
	a := &API{d}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	r.Use(withRequestID, recoverPanics(d.Log), accessLog(d.Log), securityHeaders, errorMiddleware, limitBody(MaxBody, uploadPaths))
	r.NoRoute(func(c *gin.Context) { writeError(c, domain.ErrNotFound) })
	r.NoMethod(func(c *gin.Context) {
		writeError(c, &domain.Error{Code: domain.CodeMethodNotAllowed, Message: "method not allowed"})
	})

	r.GET("/healthz", a.healthz)
	r.GET("/readyz", a.readyz)
	if d.Metrics != nil {
		r.GET("/metrics", gin.WrapH(d.Metrics))
	}

	v1 := r.Group("/api/v1", a.authenticate)
	a.accountRoutes(v1)
	a.referenceRoutes(v1)
	a.openingRoutes(v1)
	a.hiringRoutes(v1)
	a.progressRoutes(v1)
	a.operationsRoutes(v1)
	r.GET("/e/:code", a.trackedLink)
	r.GET("/api/docs", apiDocs)

	if d.Extra != nil {
		if err := d.Extra(r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (a *API) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// readyz reports Postgres (required) and the search index (reported, not
// required: search falls back to Postgres).
func (a *API) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	body := gin.H{"status": "ok", "postgres": "up"}
	status := http.StatusOK
	if err := a.App.Ping(ctx); err != nil {
		body["status"], body["postgres"] = "unavailable", "down"
		status = http.StatusServiceUnavailable
	}
	if a.SearchState != nil {
		body["meilisearch"] = a.SearchState(ctx)
	}
	c.JSON(status, body)
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
