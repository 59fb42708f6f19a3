package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gradzone/gradzone/internal/domain"
)

const requestIDHeader = "X-Request-ID"

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// withRequestID takes a well-formed incoming X-Request-ID or makes one, and
// puts it in the response and the request context, with the client (address
// and User-Agent) that sessions and the sign-up and reset throttles read.
func withRequestID(c *gin.Context) {
	id := c.GetHeader(requestIDHeader)
	if !requestIDPattern.MatchString(id) {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set("request_id", id)
	c.Header(requestIDHeader, id)
	ctx := domain.WithRequestID(c.Request.Context(), id)
	ctx = domain.WithClient(ctx, domain.Client{Address: c.ClientIP(), UserAgent: c.Request.UserAgent()})
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

func requestID(c *gin.Context) string { return c.GetString("request_id") }

// accessLog writes one structured line per request.
func accessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		level := slog.LevelInfo
		if c.Writer.Status() >= 500 {
			level = slog.LevelError
		}
		if c.Request.URL.Path == "/healthz" || strings.HasPrefix(c.Request.URL.Path, "/static/") {
			level = slog.LevelDebug
		}
		log.Log(c.Request.Context(), level, "request", "request_id", requestID(c), "method", c.Request.Method,
			"path", c.Request.URL.Path, "route", c.FullPath(), "status", c.Writer.Status(),
			"duration_ms", time.Since(start).Milliseconds(), "bytes", c.Writer.Size(), "ip", c.ClientIP())
	}
}

var errPanicked = &domain.Error{Code: domain.CodeInternal, Message: "something went wrong on our side; the request ID identifies it"}

// recoverPanics logs a panic with its stack and answers 500, never the
// stack: through answer, so a site page gets the site's styled page and the
// API the contract's JSON. Should the styled page fail too, JSON it is.
func recoverPanics(log *slog.Logger, answer func(*gin.Context, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				log.Error("panic", "request_id", requestID(c), "panic", r, "stack", string(debug.Stack()))
				if !c.Writer.Written() {
					answerPanic(c, log, answer)
				}
			}
		}()
		c.Next()
	}
}

// answerPanic answers a recovered panic through answer; a panic of the
// answer itself (the styled page broke too) is logged with its own stack,
// else what broke the page would be nowhere, and JSON is written instead.
func answerPanic(c *gin.Context, log *slog.Logger, answer func(*gin.Context, error)) {
	// What the handler set of the answer it began (a download's type and
	// file name, a shared cache's lifetime) is not the error's: the JSON
	// or the page was saved as placements.csv, and cached.
	h := c.Writer.Header()
	for _, k := range []string{"Content-Type", "Content-Disposition", "Content-Length", "Content-Encoding", "ETag", "Last-Modified", "Expires"} {
		h.Del(k)
	}
	h.Set("Cache-Control", "no-store")
	defer func() {
		if r := recover(); r != nil {
			log.Error("panic answering a panic", "request_id", requestID(c), "panic", r, "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				writeError(c, errPanicked)
			}
		}
	}()
	answer(c, errPanicked)
}

// limitBody caps request bodies: larger ones are answered 413.
func limitBody(reject func(*gin.Context, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		max, refusal := bodyLimit(c.Request.URL.Path)
		if c.Request.ContentLength > max {
			reject(c, refusal)
			c.Abort()
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max)
		c.Next()
	}
}

// contentSecurityPolicy lets pages run scripts only from the site's own
// files (no inline script or handler, no eval), load nothing from other
// sites and be framed by nobody. Inline style attributes stay allowed: they
// cannot run code.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; " +
	"form-action 'self'; frame-ancestors 'none'"

// permissionsPolicy turns off browser features the site never uses, so an
// injected script could not use them either.
const permissionsPolicy = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), " +
	"microphone=(), payment=(), usb=(), browsing-topics=()"

// securityHeaders sets headers every response carries (HTML and JSON alike:
// one rule is simpler to check than a list of content types). hsts adds
// Strict-Transport-Security, sent only when the site is served over https.
func securityHeaders(hsts bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", permissionsPolicy)
		h.Set("X-Frame-Options", "DENY")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		c.Next()
	}
}

const loggerKey = "logger"

// withLogger puts the server's logger on the request, so error answers are
// logged where the server's logs go (not to slog's default).
func withLogger(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(loggerKey, log)
		c.Next()
	}
}

func loggerOf(c *gin.Context) *slog.Logger {
	if l, ok := c.Value(loggerKey).(*slog.Logger); ok && l != nil {
		return l
	}
	return slog.Default()
}
