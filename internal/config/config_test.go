package config

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestEnvironmentOverridesFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte("http_addr: 127.0.0.1:9999\nmeili_index: fromfile\n"), 0o600)
	t.Setenv("GRADZONE_HTTP_ADDR", "127.0.0.1:7777")
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "127.0.0.1:7777" {
		t.Errorf("env should win, got %s", c.HTTPAddr)
	}
	if c.MeiliIndex != "fromfile" {
		t.Errorf("file value lost: %s", c.MeiliIndex)
	}
}

// TestSearchSettings: each search setting has its default and is read from
// the environment.
func TestSearchSettings(t *testing.T) {
	for _, tc := range []struct {
		env        string
		get        func(Config) int
		def, value int
	}{
		{"GRADZONE_SEARCH_CACHE_ENTRIES", func(c Config) int { return c.SearchCacheEntries }, 2000, 0},
		{"GRADZONE_SEARCH_FALLBACK_CONCURRENCY", func(c Config) int { return c.SearchFallbackConcurrency }, 4, 12},
	} {
		c, err := Load(filepath.Join(t.TempDir(), "none.yaml"))
		if err != nil || tc.get(c) != tc.def {
			t.Fatalf("%s default: %d %v", tc.env, tc.get(c), err)
		}
		t.Setenv(tc.env, strconv.Itoa(tc.value))
		if c, err = Load(filepath.Join(t.TempDir(), "none.yaml")); err != nil || tc.get(c) != tc.value {
			t.Fatalf("%s from the environment: %d %v", tc.env, tc.get(c), err)
		}
	}
	c := Default()
	c.SearchFallbackConcurrency = 0
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "GRADZONE_SEARCH_FALLBACK_CONCURRENCY") {
		t.Fatalf("0 fallback slots must be refused: %v", err)
	}
}

func TestServeNeedsStrongSecret(t *testing.T) {
	c := Default()
	c.JWTSecret = "short"
	if err := c.ValidateForServe(slog.Default()); err == nil {
		t.Fatal("a short secret must stop serve")
	}
	c.JWTSecret = "secretsecretsecretsecretsecretsecret"
	if err := c.ValidateForServe(slog.Default()); err == nil {
		t.Fatal("a weak secret must stop serve")
	}
	c.Dev = true
	if err := c.ValidateForServe(slog.Default()); err != nil || len(c.JWTSecret) < MinSecretLen {
		t.Fatalf("dev mode should generate a secret: %v", err)
	}
}

func TestMasked(t *testing.T) {
	c := Config{DatabaseURL: "postgres://u:pw@h/db", JWTSecret: "x", MeiliKey: "k"}
	m := c.Masked()
	if m.DatabaseURL != "postgres://u:***@h/db" || m.JWTSecret != "***" || m.MeiliKey != "***" {
		t.Fatalf("not masked: %+v", m)
	}
}

// A review found the direct database URL (the primary's password, past
// PgBouncer) logged in clear at every start: Masked named the URLs it knew.
// Every URL setting is masked, whatever it is called.
func TestMaskedEveryURL(t *testing.T) {
	var c Config
	c.DatabaseURL, c.SMTPURL = "postgres://u:pw1@h/db", "smtp://u:pw3@mail:25"
	c.DirectDatabaseURL = "postgres://u@primary/db?sslmode=disable&password=pw2" // a parameter, as pgx takes it
	js := fmt.Sprintf("%+v", c.Masked())
	for _, pw := range []string{"pw1", "pw2", "pw3"} {
		if strings.Contains(js, pw) {
			t.Errorf("a password shown: %s", js)
		}
	}
}

// An operator probe: a Meilisearch URL without a scheme, an index name
// Meilisearch refuses and an unknown log level started serve without a
// word (search fell back to Postgres; every index job failed; INFO was
// used). Each is refused at start, naming its variable.
func TestValidateRefusesWhatWouldFailLater(t *testing.T) {
	for name, set := range map[string]func(*Config){
		"GRADZONE_MEILI_URL":   func(c *Config) { c.MeiliURL = "127.0.0.1:7700" },
		"GRADZONE_MEILI_INDEX": func(c *Config) { c.MeiliIndex = "bad/index" },
		"GRADZONE_LOG_LEVEL":   func(c *Config) { c.LogLevel = "verbose" },
		"GRADZONE_HTTP_ADDR":   func(c *Config) { c.HTTPAddr = "bad" },
	} {
		c := Default()
		set(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	c := Default()
	c.LogLevel, c.MeiliURL, c.MeiliIndex = "WARN", "https://search.example.cn", "openings-2026_a"
	if err := c.Validate(); err != nil {
		t.Errorf("good settings refused: %v", err)
	}
}

func TestMaskedMailAndS3Secrets(t *testing.T) {
	c := Config{SMTPURL: "smtps://mailer:p@ss:w0rd@smtp.example.cn:465", S3SecretKey: "s3cret", S3AccessKey: "AKIA1"}
	m := c.Masked()
	if m.SMTPURL != "smtps://mailer:***@smtp.example.cn:465" {
		t.Errorf("SMTP password shown: %s", m.SMTPURL)
	}
	if m.S3SecretKey != "***" || m.S3AccessKey != "AKIA1" {
		t.Errorf("S3 secret shown or access key hidden: %+v", m)
	}
	if c.SMTPURL == m.SMTPURL || c.S3SecretKey != "s3cret" {
		t.Error("Masked must copy, not change the original")
	}
}

func TestContractKeysFromEnvironment(t *testing.T) {
	env := map[string]string{
		"GRADZONE_PUBLIC_URL":    "https://jobs.example.cn",
		"GRADZONE_SMTP_URL":      "smtp://u:p@127.0.0.1:2525",
		"GRADZONE_MAIL_FROM":     "高新区人才 <noreply@example.cn>",
		"GRADZONE_S3_ENDPOINT":   "http://127.0.0.1:7070",
		"GRADZONE_S3_BUCKET":     "gz-files",
		"GRADZONE_S3_ACCESS_KEY": "ak",
		"GRADZONE_S3_SECRET_KEY": "sk",
		"GRADZONE_S3_REGION":     "cn-north-1",
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	c, err := Load(filepath.Join(t.TempDir(), "none.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if c.PublicURL != env["GRADZONE_PUBLIC_URL"] || c.SMTPURL != env["GRADZONE_SMTP_URL"] || c.MailFrom != env["GRADZONE_MAIL_FROM"] ||
		c.S3Endpoint != env["GRADZONE_S3_ENDPOINT"] || c.S3Bucket != "gz-files" || c.S3AccessKey != "ak" || c.S3SecretKey != "sk" || c.S3Region != "cn-north-1" {
		t.Fatalf("not read: %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if !c.PublicHTTPS() {
		t.Error("https public URL not recognised")
	}
	s, err := ParseSMTPURL(c.SMTPURL)
	if err != nil || s.Host != "127.0.0.1" || s.Port != 2525 || s.Username != "u" || s.Password != "p" || s.ImplicitTLS {
		t.Fatalf("smtp: %+v %v", s, err)
	}
}

func TestValidateRejectsMalformedSettings(t *testing.T) {
	cases := map[string]func(*Config){
		"GRADZONE_PUBLIC_URL":             func(c *Config) { c.PublicURL = "jobs.example.cn" },
		"GRADZONE_SMTP_URL":               func(c *Config) { c.SMTPURL = "http://127.0.0.1:25" },
		"GRADZONE_SMTP_URL port":          func(c *Config) { c.SMTPURL = "smtp://127.0.0.1:99999" },
		"GRADZONE_MAIL_FROM":              func(c *Config) { c.MailFrom = "not an address" },
		"GRADZONE_SUPPORT_EMAIL":          func(c *Config) { c.SupportEmail = "not an address" },
		"GRADZONE_SUPPORT_EMAIL named":    func(c *Config) { c.SupportEmail = "客服 <help@example.cn>" },
		"GRADZONE_S3_ENDPOINT":            func(c *Config) { c.S3Endpoint = "ftp://127.0.0.1:7070" },
		"GRADZONE_S3_BUCKET":              func(c *Config) { c.S3Endpoint = "http://127.0.0.1:7070"; c.S3Bucket = "Bad_Bucket" },
		"GRADZONE_S3_ACCESS_KEY":          func(c *Config) { c.S3Endpoint = "http://127.0.0.1:7070"; c.S3AccessKey = "only-one" },
		"GRADZONE_DB_MAX_CONNS":           func(c *Config) { c.DBMaxConns = 1 },
		"GRADZONE_JOBS_MAX_CONNS":         func(c *Config) { c.JobsMaxConns = 0 },
		"GRADZONE_RESUME_RETENTION":       func(c *Config) { c.ResumeRetention = "24 months" },
		"GRADZONE_RESUME_RETENTION hours": func(c *Config) { c.ResumeRetention = "17520h" },
		"GRADZONE_RESUME_RETENTION zero":  func(c *Config) { c.ResumeRetention = "0mo" },
	}
	for name, breakIt := range cases {
		c := Default()
		breakIt(&c)
		err := c.Validate()
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if want := strings.Fields(name)[0]; !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error does not name the variable: %v", name, err)
		}
	}
	if d := Default(); d.Validate() != nil {
		err := d.Validate()
		t.Fatalf("defaults must be valid: %v", err)
	}
	c := Default()
	if c.ValidateMail() == nil || c.ValidateS3() == nil {
		t.Fatal("mail and S3 need their settings")
	}
}

func TestParseEndpointsAndDefaults(t *testing.T) {
	s, err := ParseSMTPURL("smtps://smtp.example.cn")
	if err != nil || s.Port != 465 || !s.ImplicitTLS {
		t.Fatalf("smtps default port: %+v %v", s, err)
	}
	if s, _ := ParseSMTPURL("smtp://relay.example.cn"); s.Port != 587 {
		t.Fatalf("smtp default port: %+v", s)
	}
	if s, err := ParseSMTPURL("smtp://user%40corp:p%2Fw@relay:25"); err != nil || s.Username != "user@corp" || s.Password != "p/w" {
		t.Fatalf("percent-encoded credentials: %+v %v", s, err)
	}
	for raw, want := range map[string]struct {
		host   string
		secure bool
	}{
		"http://127.0.0.1:7070":  {"127.0.0.1:7070", false},
		"https://s3.example.cn":  {"s3.example.cn", true},
		"oss.example.cn:9000":    {"oss.example.cn:9000", true},
		"https://s3.example.cn/": {"s3.example.cn", true},
	} {
		h, sec, err := ParseS3Endpoint(raw)
		if err != nil || h != want.host || sec != want.secure {
			t.Errorf("%s: %s %v %v", raw, h, sec, err)
		}
	}
}

// An operator probe: a misspelt key in the config file (`databse_url:`) was
// read as nothing and the defaults ran in its place without a word; a value
// that is no number answered mapstructure's "decoding failed due to the
// following error(s): 'db_max_conns' cannot parse value as 'int':
// strconv.ParseInt: invalid syntax", over three lines.
func TestLoadNamesWhatItCannotRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte("http_addr: 127.0.0.1:9999\ndatabse_url: postgres://x@db/gz\n"), 0o600)
	if _, err := Load(path); err == nil || err.Error() != "config file "+path+": unknown key databse_url (the keys are GRADZONE_* variables' names in lower case, e.g. database_url)" {
		t.Errorf("a misspelt key: %v", err)
	}
	os.WriteFile(path, []byte("http_addr: 127.0.0.1:9999\n"), 0o600)
	t.Setenv("GRADZONE_DB_MAX_CONNS", "abc")
	t.Setenv("GRADZONE_OUTBOX_INTERVAL", "5")
	if _, err := Load(path); err == nil || err.Error() != `config: GRADZONE_DB_MAX_CONNS "abc" is not a whole number; GRADZONE_OUTBOX_INTERVAL "5" is not a duration with its unit (e.g. 500ms, 2s)` {
		t.Errorf("values that are not numbers: %v", err)
	}
}
