// Package config loads gradzone's settings: defaults, then a YAML file, then
// GRADZONE_* environment variables (the environment wins), then Validate.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/mail"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/env/v2"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/providers/structs"
	"github.com/knadh/koanf/v2"

	"github.com/gradzone/gradzone/internal/domain"
)

// Config is every setting the binary reads. Keys are the snake_case names in
// the YAML file; the environment variable is GRADZONE_ + the upper-case key.
type Config struct {
	DatabaseURL string `koanf:"database_url"`
	MeiliURL    string `koanf:"meili_url"`
	MeiliKey    string `koanf:"meili_key"`
	// MeiliIndex is the name of the openings index (an alias-like swap target
	// for reindex). Tests give each run its own.
	MeiliIndex string `koanf:"meili_index"`
	HTTPAddr   string `koanf:"http_addr"`
	JWTSecret  string `koanf:"jwt_secret"`
	// Dev allows a missing JWT secret (one is generated, with a warning).
	Dev bool `koanf:"dev"`
	// UploadDir holds résumé files stored on disk before the object store:
	// read only (serve writes no file to local disk), and moved to S3 by
	// `gradzone files migrate-local`.
	UploadDir string `koanf:"upload_dir"`
	// ResumeRetention is how long a graduate's résumé is kept after the
	// graduate's last sign-in or application: "24mo" (calendar months) or
	// "730d" (days); see domain.ParseRetention.
	ResumeRetention string `koanf:"resume_retention"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `koanf:"log_level"`
	// OutboxInterval is how often every River queue polls when idle (the
	// name is older than River; the key stays for existing configs).
	OutboxInterval time.Duration `koanf:"outbox_interval"`
	// TrustedProxies are comma-separated CIDRs whose X-Forwarded-For is
	// believed; empty means the client address is the TCP peer, so a client
	// cannot choose the address the sign-in limits count.
	TrustedProxies string `koanf:"trusted_proxies"`
	// MetricsAddr is where /metrics and the detailed readiness report listen,
	// apart from the public address; empty turns that listener off.
	MetricsAddr string `koanf:"metrics_addr"`
	// DirectDatabaseURL, when set, is a connection that bypasses a
	// transaction-pooling PgBouncer, for what needs a session of its own:
	// the job queue's LISTEN/NOTIFY and leader election. Empty: DatabaseURL.
	DirectDatabaseURL string `koanf:"direct_database_url"`
	// DBMaxConns caps this process's connections for requests (the job
	// queue keeps a small pool of its own); replicas × this must fit what
	// PgBouncer or Postgres accepts (docs/scaling.md "Pool sizing").
	DBMaxConns int `koanf:"db_max_conns"`
	// JobsMaxConns caps the job queue's own pool (on the direct URL when
	// one is set).
	JobsMaxConns int `koanf:"jobs_max_conns"`
	// StatementTimeout bounds every SQL statement (Postgres
	// statement_timeout), so one slow query cannot hold a connection.
	StatementTimeout time.Duration `koanf:"statement_timeout"`
	// SearchCacheEntries bounds the search results each replica keeps while
	// the index has not changed (about 35 KB each with all facets: 70 MB at
	// the default); 0 turns the cache off.
	SearchCacheEntries int `koanf:"search_cache_entries"`
	// SearchFallbackConcurrency caps the Postgres fallback searches this
	// replica computes at once while Meilisearch is out; the rest wait
	// their turn (up to 5 s, then 503 with Retry-After). An outage at peak
	// then cannot take Postgres down with it, and one search that reads
	// every opening does not slow all the others (docs/decisions.md).
	SearchFallbackConcurrency int `koanf:"search_fallback_concurrency"`

	// PublicURL is the site's external base URL, the start of every link
	// that leaves the site (mail, calendar, QR).
	PublicURL string `koanf:"public_url"`
	// SMTPURL is smtp://[user:pass@]host:port (STARTTLS when the server
	// offers it) or smtps://… (TLS from the first byte).
	SMTPURL string `koanf:"smtp_url"`
	// MailFrom is the From of every mail: "Name <addr>" or a bare address.
	MailFrom string `koanf:"mail_from"`
	// SupportEmail is where users write when no link of the site can help:
	// a security notice to an address that was replaced, or of an
	// operator's act, names it.
	SupportEmail string `koanf:"support_email"`
	// MailPerRecipientHour and MailPerDomainMinute bound outgoing mail per
	// recipient address (an hour) and per recipient domain (a minute),
	// counted in Postgres across replicas; a mail over either waits for the
	// window to end. 0 is no limit. See docs/decisions.md, "Mail rate limits".
	MailPerRecipientHour int `koanf:"mail_per_recipient_hour"`
	MailPerDomainMinute  int `koanf:"mail_per_domain_minute"`
	// ContactEmail is where people write to the site's operator; the footer
	// of every page shows it ("" leaves it out).
	ContactEmail string `koanf:"contact_email"`
	// S3 is the object storage every uploaded file goes to.
	S3Endpoint  string `koanf:"s3_endpoint"`
	S3Bucket    string `koanf:"s3_bucket"`
	S3AccessKey string `koanf:"s3_access_key"`
	S3SecretKey string `koanf:"s3_secret_key"`
	S3Region    string `koanf:"s3_region"`
}

// Default returns the settings used when nothing overrides them.
func Default() Config {
	return Config{
		DatabaseURL:  "postgres://gradzone:gradzone@127.0.0.1:55432/gradzone?sslmode=disable",
		MeiliURL:     "http://127.0.0.1:7701",
		MeiliIndex:   "openings",
		HTTPAddr:     "127.0.0.1:8080",
		MetricsAddr:  "127.0.0.1:9090",
		DBMaxConns:   40,
		JobsMaxConns: 12,
		// Longer than any request should take, far shorter than a stuck one.
		StatementTimeout: 15 * time.Second,
		UploadDir:        ".data/uploads",
		ResumeRetention:  "24mo",
		LogLevel:         "info",
		OutboxInterval:   500 * time.Millisecond,
		// Room for the popular searches; see docs/decisions.md.
		SearchCacheEntries:        2000,
		SearchFallbackConcurrency: 4,
		PublicURL:                 "http://127.0.0.1:8080",
		MailFrom:                  "gradzone <noreply@gradzone.localhost>",
		SupportEmail:              "support@gradzone.localhost",
		MailPerRecipientHour:      30,
		MailPerDomainMinute:       600,
		S3Bucket:                  "gradzone",
		S3Region:                  "us-east-1",
	}
}

// Load reads defaults, then path (if it exists; empty path means
// configs/gradzone.yaml), then the environment.
func Load(path string) (Config, error) {
	k := koanf.New(".")
	if err := k.Load(structs.Provider(Default(), "koanf"), nil); err != nil {
		return Config{}, err
	}
	if path == "" {
		path = os.Getenv("GRADZONE_CONFIG")
	}
	if path == "" {
		path = "configs/gradzone.yaml"
	}
	if _, err := os.Stat(path); err == nil {
		f := koanf.New(".")
		if err := f.Load(file.Provider(path), yaml.Parser()); err != nil {
			return Config{}, fmt.Errorf("config file %s: %w", path, err)
		}
		if err := unknownKeys(path, f); err != nil {
			return Config{}, err
		}
		if err := k.Merge(f); err != nil {
			return Config{}, fmt.Errorf("config file %s: %w", path, err)
		}
	}
	err := k.Load(env.Provider(".", env.Opt{
		Prefix: "GRADZONE_",
		TransformFunc: func(key, value string) (string, any) {
			return strings.ToLower(strings.TrimPrefix(key, "GRADZONE_")), value
		},
	}), nil)
	if err != nil {
		return Config{}, err
	}
	var c Config
	if err := k.Unmarshal("", &c); err != nil {
		if named := unreadable(k); named != nil {
			return Config{}, fmt.Errorf("config: %w", named)
		}
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// keys maps each key of Config to its field's type.
func keys() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	t := reflect.TypeFor[Config]()
	for i := range t.NumField() {
		if tag := t.Field(i).Tag.Get("koanf"); tag != "" {
			out[tag] = t.Field(i).Type
		}
	}
	return out
}

// unknownKeys refuses a key of f, the file at path, that Config has not: a
// misspelt one was read as nothing and its default ran without a word (an
// operator probe).
func unknownKeys(path string, f *koanf.Koanf) error {
	known := keys()
	var unknown []string
	for _, key := range f.Keys() {
		if _, ok := known[key]; !ok {
			unknown = append(unknown, key)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	plural := ""
	if len(unknown) > 1 {
		plural = "s"
	}
	return fmt.Errorf("config file %s: unknown key%s %s (the keys are GRADZONE_* variables' names in lower case, e.g. database_url)",
		path, plural, strings.Join(unknown, ", "))
}

// unreadable names each setting whose value is not of its kind, as the
// operator set it (GRADZONE_ + the key), instead of the decoder's
// "'db_max_conns' cannot parse value as 'int': strconv.ParseInt: …".
func unreadable(k *koanf.Koanf) error {
	known := keys()
	names := slices.Sorted(maps.Keys(known))
	var errs []string
	for _, key := range names {
		v, ok := k.Get(key).(string)
		if !ok {
			continue
		}
		name := "GRADZONE_" + strings.ToUpper(key)
		switch t := known[key]; {
		case t == reflect.TypeFor[time.Duration]():
			if _, err := time.ParseDuration(v); err != nil {
				errs = append(errs, fmt.Sprintf("%s %q is not a duration with its unit (e.g. 500ms, 2s)", name, v))
			}
		case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
			if _, err := strconv.Atoi(strings.TrimSpace(v)); err != nil {
				errs = append(errs, fmt.Sprintf("%s %q is not a whole number", name, v))
			}
		case t.Kind() == reflect.Bool:
			if _, err := strconv.ParseBool(v); err != nil {
				errs = append(errs, fmt.Sprintf("%s %q is not true or false", name, v))
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errors.New(strings.Join(errs, "; "))
}

// Secure reports whether the site is served over TLS (GRADZONE_PUBLIC_URL
// is https://…): cookies get Secure and responses HSTS.
func (c Config) Secure() bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(c.PublicURL)), "https://")
}

// ProxyCIDRs splits TrustedProxies into its CIDRs (empty → none).
func (c Config) ProxyCIDRs() []string {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// MinSecretLen is the shortest JWT secret accepted: 32 bytes for HS256.
const MinSecretLen = 32

// ValidateForServe checks what `serve` needs. With Dev set, a missing or weak
// JWT secret is replaced by a random one and a warning is logged.
func (c *Config) ValidateForServe(log *slog.Logger) error {
	if c.DatabaseURL == "" {
		return errors.New("GRADZONE_DATABASE_URL is not set")
	}
	if c.HTTPAddr == "" {
		return errors.New("GRADZONE_HTTP_ADDR is empty")
	}
	for _, p := range c.ProxyCIDRs() {
		if _, _, err := net.ParseCIDR(p); err != nil {
			if net.ParseIP(p) == nil {
				return fmt.Errorf("GRADZONE_TRUSTED_PROXIES: %q is not a CIDR or address", p)
			}
		}
	}
	if len(c.JWTSecret) < MinSecretLen || weakSecret(c.JWTSecret) {
		if !c.Dev {
			return fmt.Errorf("GRADZONE_JWT_SECRET must be at least %d random characters (set GRADZONE_DEV=true to generate a throwaway one for development)", MinSecretLen)
		}
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		c.JWTSecret = hex.EncodeToString(b)
		log.Warn("dev mode: generated a random JWT secret; at a restart access tokens, mailed signed links and two-step sign-in stop working (sessions renew)")
	}
	return c.Validate()
}

// Validate checks the form of every setting that has one, so a typo stops
// the process at start with the variable's name instead of failing at the
// first mail or upload. Empty mail and S3 settings are allowed here: the
// commands that need them say so (see ValidateMail, ValidateS3).
func (c *Config) Validate() error {
	var errs []error
	if err := checkBaseURL(c.PublicURL); err != nil {
		errs = append(errs, fmt.Errorf("GRADZONE_PUBLIC_URL: %w", err))
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		errs = append(errs, fmt.Errorf("GRADZONE_HTTP_ADDR %q is no host:port: %w", c.HTTPAddr, err))
	}
	if u, err := url.Parse(c.MeiliURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// Accepted, it made every search fall back to Postgres in silence
		// (an operator probe).
		errs = append(errs, fmt.Errorf("GRADZONE_MEILI_URL %q is not an http(s) URL (e.g. http://127.0.0.1:7700)", c.MeiliURL))
	}
	if !validIndexUID(c.MeiliIndex) {
		errs = append(errs, fmt.Errorf("GRADZONE_MEILI_INDEX %q is not an index name (1–100 of a-z, A-Z, 0-9, '-', '_')", c.MeiliIndex))
	}
	switch strings.ToLower(c.LogLevel) {
	case "", "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("GRADZONE_LOG_LEVEL %q is not debug, info, warn or error", c.LogLevel))
	}
	if c.DBMaxConns < 2 {
		// One connection would deadlock a request that holds a transaction
		// while a helper query waits for a second one.
		errs = append(errs, fmt.Errorf("GRADZONE_DB_MAX_CONNS: %d is fewer than 2", c.DBMaxConns))
	}
	if c.SearchFallbackConcurrency < 1 {
		errs = append(errs, fmt.Errorf("GRADZONE_SEARCH_FALLBACK_CONCURRENCY: %d is fewer than 1", c.SearchFallbackConcurrency))
	}
	if c.JobsMaxConns < 2 {
		// LISTEN holds one; a worker needs another.
		errs = append(errs, fmt.Errorf("GRADZONE_JOBS_MAX_CONNS: %d is fewer than 2", c.JobsMaxConns))
	}
	if _, err := domain.ParseRetention(c.ResumeRetention); err != nil {
		errs = append(errs, fmt.Errorf("GRADZONE_RESUME_RETENTION: %w", err))
	}
	if c.SMTPURL != "" {
		if _, err := ParseSMTPURL(c.SMTPURL); err != nil {
			errs = append(errs, fmt.Errorf("GRADZONE_SMTP_URL: %w", err))
		}
	}
	if c.MailFrom != "" {
		if _, err := mail.ParseAddress(c.MailFrom); err != nil {
			errs = append(errs, fmt.Errorf("GRADZONE_MAIL_FROM %q is not an address: %w", c.MailFrom, err))
		}
	}
	if c.SupportEmail != "" {
		if a, err := mail.ParseAddress(c.SupportEmail); err != nil || a.Name != "" {
			errs = append(errs, fmt.Errorf("GRADZONE_SUPPORT_EMAIL %q is not a bare address", c.SupportEmail))
		}
	}
	if c.MailPerRecipientHour < 0 || c.MailPerDomainMinute < 0 {
		errs = append(errs, fmt.Errorf("GRADZONE_MAIL_PER_RECIPIENT_HOUR (%d) and GRADZONE_MAIL_PER_DOMAIN_MINUTE (%d) must be 0 (no limit) or more", c.MailPerRecipientHour, c.MailPerDomainMinute))
	}
	if c.S3Endpoint != "" {
		if _, _, err := ParseS3Endpoint(c.S3Endpoint); err != nil {
			errs = append(errs, fmt.Errorf("GRADZONE_S3_ENDPOINT: %w", err))
		}
		if c.S3Bucket == "" {
			errs = append(errs, errors.New("GRADZONE_S3_BUCKET is empty"))
		} else if !validBucket(c.S3Bucket) {
			errs = append(errs, fmt.Errorf("GRADZONE_S3_BUCKET %q is not a valid bucket name (3–63 of a-z, 0-9, '.', '-')", c.S3Bucket))
		}
		if (c.S3AccessKey == "") != (c.S3SecretKey == "") {
			errs = append(errs, errors.New("GRADZONE_S3_ACCESS_KEY and GRADZONE_S3_SECRET_KEY go together: set both or neither"))
		}
	}
	return errors.Join(errs...)
}

// validIndexUID reports whether s may name a Meilisearch index, with room
// for the suffix of the fresh index a rebuild swaps in.
func validIndexUID(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// ValidateMail checks that mail can be sent.
func (c *Config) ValidateMail() error {
	if c.SMTPURL == "" {
		return errors.New("GRADZONE_SMTP_URL is not set")
	}
	if c.MailFrom == "" {
		return errors.New("GRADZONE_MAIL_FROM is not set")
	}
	return c.Validate()
}

// ValidateS3 checks that the object store is configured.
func (c *Config) ValidateS3() error {
	if c.S3Endpoint == "" {
		return errors.New("GRADZONE_S3_ENDPOINT is not set")
	}
	return c.Validate()
}

// SMTP is a parsed GRADZONE_SMTP_URL.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	// ImplicitTLS is smtps://: TLS from the first byte. Otherwise STARTTLS
	// is used when the server offers it.
	ImplicitTLS bool
}

// ParseSMTPURL reads smtp://[user:pass@]host:port or smtps://…; the port
// defaults to 587 (smtp) and 465 (smtps). User and password may be
// percent-encoded.
func ParseSMTPURL(raw string) (SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTP{}, fmt.Errorf("not a URL: %s", maskURLPassword(raw))
	}
	var s SMTP
	switch u.Scheme {
	case "smtp":
		s.Port = 587
	case "smtps":
		s.ImplicitTLS, s.Port = true, 465
	default:
		return SMTP{}, fmt.Errorf("scheme must be smtp:// or smtps://, got %q", u.Scheme)
	}
	s.Host = u.Hostname()
	if s.Host == "" {
		return SMTP{}, errors.New("no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTP{}, fmt.Errorf("bad port %q", p)
		}
		s.Port = n
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return SMTP{}, errors.New("no path or query expected after host:port")
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	return s, nil
}

// ParseS3Endpoint reads http://host:port or https://host[:port]; a bare
// host[:port] means https. It returns host:port and whether to use TLS.
func ParseS3Endpoint(raw string) (hostport string, secure bool, err error) {
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false, fmt.Errorf("not a URL: %q", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", false, fmt.Errorf("scheme must be http:// or https://, got %q", u.Scheme)
	}
	if u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", false, fmt.Errorf("want scheme://host[:port] only, got %q", raw)
	}
	return u.Host, u.Scheme == "https", nil
}

// checkBaseURL accepts an absolute http(s) URL with a host and no query.
func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q must be an absolute http:// or https:// URL", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q must have no query or fragment", raw)
	}
	return nil
}

// validBucket follows the S3 bucket naming rules that matter for a typo.
func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 {
		return false
	}
	for i, r := range b {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || (r == '.' || r == '-') && i > 0 && i < len(b)-1
		if !ok {
			return false
		}
	}
	return true
}

// PublicHTTPS tells whether the site is reached over TLS: cookies are then
// Secure and HSTS is sent (contract).
func (c Config) PublicHTTPS() bool { return strings.HasPrefix(c.PublicURL, "https://") }

// weakSecret catches secrets that are long but obviously not random.
func weakSecret(s string) bool {
	distinct := map[rune]bool{}
	for _, r := range s {
		distinct[r] = true
	}
	lower := strings.ToLower(s)
	return len(distinct) < 8 || strings.Contains(lower, "changeme") || strings.Contains(lower, "secret")
}

// Masked returns a copy safe to log: passwords and keys replaced.
func (c Config) Masked() Config {
	m := c
	if m.JWTSecret != "" {
		m.JWTSecret = "***"
	}
	if m.MeiliKey != "" {
		m.MeiliKey = "***"
	}
	if m.S3SecretKey != "" {
		m.S3SecretKey = "***"
	}
	// Any URL may carry a password (the pooled and the direct database
	// URLs, the mail server's): each is masked, whatever its name.
	v := reflect.ValueOf(&m).Elem()
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.Type.Kind() == reflect.String && strings.HasSuffix(f.Name, "URL") {
			v.Field(i).SetString(maskURLPassword(v.Field(i).String()))
		}
	}
	return m
}

func maskURLPassword(u string) string {
	scheme := strings.Index(u, "://")
	if scheme < 0 {
		return u
	}
	u = maskQueryPassword(u)
	// The user information ends at the last "@" before the path: a password
	// may itself hold a raw "@".
	authority := u[scheme+3:]
	if slash := strings.IndexAny(authority, "/?#"); slash >= 0 {
		authority = authority[:slash]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return u
	}
	at += scheme + 3
	userinfo := u[scheme+3 : at]
	if colon := strings.Index(userinfo, ":"); colon >= 0 {
		return u[:scheme+3] + userinfo[:colon] + ":***" + u[at:]
	}
	return u
}

// maskQueryPassword masks a password given as a query parameter
// (?password=…, which pgx and libpq take too; an operator probe found it
// logged in clear).
func maskQueryPassword(u string) string {
	q := strings.IndexByte(u, '?')
	if q < 0 {
		return u
	}
	params := strings.Split(u[q+1:], "&")
	for i, p := range params {
		if k, _, ok := strings.Cut(p, "="); ok && strings.EqualFold(k, "password") {
			params[i] = k + "=***"
		}
	}
	return u[:q+1] + strings.Join(params, "&")
}
