package config

import (
	"log/slog"
	"os"
	"path/filepath"
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

func TestSearchCacheSize(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "none.yaml"))
	if err != nil || c.SearchCacheEntries != 2000 {
		t.Fatalf("default: %d %v", c.SearchCacheEntries, err)
	}
	t.Setenv("GRADZONE_SEARCH_CACHE_ENTRIES", "0")
	if c, err = Load(filepath.Join(t.TempDir(), "none.yaml")); err != nil || c.SearchCacheEntries != 0 {
		t.Fatalf("turned off: %d %v", c.SearchCacheEntries, err)
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
