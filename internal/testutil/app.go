package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/httpapi"
	"github.com/gradzone/gradzone/internal/server"
)

// App is the whole server on a random port over a fresh database.
type App struct {
	T     testing.TB
	URL   string
	DBURL string
	// MetricsURL serves what GRADZONE_METRICS_ADDR serves: /metrics and
	// the detailed /readyz.
	MetricsURL string
	Server     *server.Server
	// Client sends every request of Do and UploadFile. Its transport checks
	// each exchange under /api/v1 against api/openapi.yaml and fails the test
	// on a mismatch; tests that need another client wrap theirs with Validating.
	Client *http.Client
}

// NewApp starts gradzone on a fresh database. opts may adjust it.
func NewApp(t testing.TB, opts ...Option) *App {
	t.Helper()
	return NewAppLogged(t, Quiet(), opts...)
}

// NewAppLogged is NewApp writing the server's log to log (tests that check
// what is logged).
func NewAppLogged(t testing.TB, log *slog.Logger, opts ...Option) *App {
	t.Helper()
	dbURL := NewDatabase(t)
	cfg := config.Default()
	cfg.DatabaseURL = dbURL
	cfg.JWTSecret = "test-" + randomName("k") + randomName("k") + randomName("k")
	cfg.UploadDir = t.TempDir()
	cfg.MeiliURL, cfg.MeiliKey = MeiliURL(t), os.Getenv("GRADZONE_MEILI_KEY")
	cfg.MeiliIndex = randomName("test_openings_")
	cfg.OutboxInterval = 50 * time.Millisecond
	spec, err := LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	// Mailpit and the S3 gateway when `.ci/services up` started them: each
	// app gets a bucket of its own, mail goes to the shared Mailpit.
	if os.Getenv("GRADZONE_S3_ENDPOINT") != "" {
		s3 := S3Settings(t)
		cfg.S3Endpoint, cfg.S3Bucket, cfg.S3AccessKey, cfg.S3SecretKey, cfg.S3Region = s3.Endpoint, s3.Bucket, s3.AccessKey, s3.SecretKey, s3.Region
	}
	cfg.SMTPURL = os.Getenv("GRADZONE_SMTP_URL")
	var o server.Options
	for _, f := range opts {
		f(&cfg, &o)
	}
	srv, err := server.New(context.Background(), cfg, log, o)
	if err != nil {
		t.Fatalf("server: %v", err)
	}
	ts := httptest.NewServer(srv.Handler)
	ms := httptest.NewServer(srv.MetricsHandler)
	stop, err := srv.StartWorker(context.Background())
	if err != nil {
		srv.Close()
		t.Fatalf("job queue: %v", err)
	}
	t.Cleanup(func() {
		ts.Close()
		ms.Close()
		stop()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Index.Drop(ctx)
		srv.Close()
	})
	client := &http.Client{Transport: Validating(http.DefaultTransport, spec, t.Errorf)}
	return &App{T: t, URL: ts.URL, DBURL: dbURL, MetricsURL: ms.URL, Server: srv, Client: client}
}

// MeiliURL returns the test Meilisearch URL from the environment.
func MeiliURL(t testing.TB) string {
	u := os.Getenv("GRADZONE_MEILI_URL")
	if u == "" {
		t.Fatal("GRADZONE_MEILI_URL is not set: run the suite with `make test`, which starts Postgres and Meilisearch")
	}
	return u
}

// WithDeps adjusts the HTTP dependencies (rate limits, clocks).
func WithDeps(f func(*httpapi.Deps)) Option {
	return func(_ *config.Config, o *server.Options) { o.Deps = f }
}

// Response is a decoded HTTP response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a map.
func (r Response) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// Decode decodes the body into v.
func (r Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// ErrorCode returns error.code of a contract error body.
func (r Response) ErrorCode() string {
	m := r.JSON()
	e, _ := m["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// Field returns error.fields[name].
func (r Response) Field(name string) string {
	m := r.JSON()
	e, _ := m["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	s, _ := f[name].(string)
	return s
}

// Do sends a request. body may be nil, a string/[]byte (sent raw) or a value
// (sent as JSON). token may be "".
func (a *App) Do(method, path, token string, body any, headers ...string) Response {
	a.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			a.T.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, a.URL+path, rd)
	if err != nil {
		a.T.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := a.Client.Do(req)
	if err != nil {
		a.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 500 {
		a.T.Errorf("%s %s answered %d: %s", method, path, res.StatusCode, b)
	}
	return Response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// Metrics gets path from the metrics address (operators only).
func (a *App) Metrics(path string) Response {
	a.T.Helper()
	res, err := http.Get(a.MetricsURL + path)
	if err != nil {
		a.T.Fatalf("metrics %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return Response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// Must sends a request and fails the test unless the status is want.
func (a *App) Must(want int, method, path, token string, body any, headers ...string) Response {
	a.T.Helper()
	r := a.Do(method, path, token, body, headers...)
	if r.Status != want {
		a.T.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, want, r.Body)
	}
	return r
}

// UploadFile posts content as multipart field "file"; a 5xx fails the test.
func (a *App) UploadFile(path, token, filename string, content []byte) Response {
	a.T.Helper()
	r := a.SendFile(path, token, filename, content)
	if r.Status >= 500 {
		a.T.Errorf("upload answered %d: %s", r.Status, r.Body)
	}
	return r
}

// SendFile is UploadFile for the fault tests, which expect a 503.
func (a *App) SendFile(path, token, filename string, content []byte) Response {
	a.T.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", filename)
	fw.Write(content)
	w.Close()
	req, _ := http.NewRequest("POST", a.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := a.Client.Do(req)
	if err != nil {
		a.T.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return Response{Status: res.StatusCode, Header: res.Header, Body: b}
}
