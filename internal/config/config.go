// Package config loads gradzone's settings: defaults, then a YAML file, then
// GRADZONE_* environment variables (the environment wins), then Validate.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/env/v2"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/providers/structs"
	"github.com/knadh/koanf/v2"
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
	// UploadDir holds résumé files, named by random IDs.
	UploadDir string `koanf:"upload_dir"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `koanf:"log_level"`
	// OutboxInterval is how often the index worker polls when idle.
	OutboxInterval time.Duration `koanf:"outbox_interval"`
	// SecureCookies marks session cookies Secure (set it behind TLS).
	SecureCookies bool `koanf:"secure_cookies"`
	// SearchCacheEntries bounds the search results each replica keeps while
	// the index has not changed (about 35 KB each with all facets: 70 MB at
	// the default); 0 turns the cache off.
	SearchCacheEntries int `koanf:"search_cache_entries"`
}

// Default returns the settings used when nothing overrides them.
func Default() Config {
	return Config{
		DatabaseURL:    "postgres://gradzone:gradzone@127.0.0.1:55432/gradzone?sslmode=disable",
		MeiliURL:       "http://127.0.0.1:7701",
		MeiliIndex:     "openings",
		HTTPAddr:       "127.0.0.1:8080",
		UploadDir:      ".data/uploads",
		LogLevel:       "info",
		OutboxInterval: 500 * time.Millisecond,
		// Room for the popular searches; see docs/decisions.md.
		SearchCacheEntries: 2000,
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
		if err := k.Load(file.Provider(path), yaml.Parser()); err != nil {
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
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return c, nil
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
	if len(c.JWTSecret) < MinSecretLen || weakSecret(c.JWTSecret) {
		if !c.Dev {
			return fmt.Errorf("GRADZONE_JWT_SECRET must be at least %d random characters (set GRADZONE_DEV=true to generate a throwaway one for development)", MinSecretLen)
		}
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		c.JWTSecret = hex.EncodeToString(b)
		log.Warn("dev mode: generated a random JWT secret; sessions end when the server restarts")
	}
	return nil
}

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
	m.DatabaseURL = maskURLPassword(m.DatabaseURL)
	return m
}

func maskURLPassword(u string) string {
	at := strings.Index(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return u
	}
	userinfo := u[scheme+3 : at]
	if colon := strings.Index(userinfo, ":"); colon >= 0 {
		return u[:scheme+3] + userinfo[:colon] + ":***" + u[at:]
	}
	return u
}
