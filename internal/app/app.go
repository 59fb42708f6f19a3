// Package app holds the use cases that coordinate several parts — password
// hashing and tokens with the store, search with its Postgres fallback — so
// that the HTTP layer only translates requests and responses.
package app

import (
	"log/slog"
	"time"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/postgres"
)

// Accounts signs people up and in and keeps their sessions.
type Accounts struct {
	Store  *postgres.Store
	Hasher *auth.Hasher
	Tokens *auth.Tokens
	Log    *slog.Logger
	Now    func() time.Time
	// HashWait bounds how long a sign-in waits for a hashing slot before
	// answering busy; zero means 5 s.
	HashWait time.Duration
}
