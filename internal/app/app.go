// Package app is gradzone's use-case layer: one exported function per user
// action (apply, move an application, approve an opening, verify an employer,
// submit a report, upload a résumé, register for an event, …). Every door —
// the JSON API (internal/httpapi), the web pages (internal/webui) and the CLI
// (internal/cli) — decodes its input, calls a function here and encodes the
// answer; the rules an action sets off live here or below (internal/domain for
// rules on values, the Store for rules kept in one transaction), never in a
// handler. Each function's doc names the domain error codes it returns.
//
// The package depends on the Store interface it defines (store.go), not on an
// adapter: internal/server wires *postgres.Store into it.
package app

import (
	"log/slog"
	"time"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
)

// Service runs the use cases that are one store transaction each, plus the
// few that coordinate more (résumé files, bulk moves, search parameters).
type Service struct {
	Store Store
	Log   *slog.Logger
	// UploadDir holds résumé files stored on disk before the object store:
	// read and deleted, never written (serve writes no file to local disk).
	UploadDir string
	// Files is the object store (GRADZONE_S3_*); nil when none is
	// configured (an upload then answers unavailable). Résumés move here
	// from UploadDir (see ResumeKey).
	Files FileStore
	// Passwords checks the password an account erasure asks for (the
	// Accounts, under their sign-in throttle).
	Passwords PasswordChecker
	// Links verifies the signed tokens of links in mail (unsubscribe).
	Links *auth.Links
	// MailFrom is the site's mail address: the organizer of the calendar
	// entries it offers for download (RFC 5546 requires one).
	MailFrom string
	// Places are the zones and provinces (NewPlaces), shared with Search.
	Places *Places
}

// Accounts signs people up and in and keeps their sessions.
type Accounts struct {
	Store  Store
	Hasher *auth.Hasher
	Tokens *auth.Tokens
	Log    *slog.Logger
	Now    func() time.Time
	// HashWait bounds how long a sign-in waits for a hashing slot before
	// answering busy; zero means 5 s.
	HashWait time.Duration
	// Throttle counts failed sign-ins across replicas (nil: no throttle,
	// as in the CLI); Limits are its limits (zero: the contract's).
	Throttle SignInThrottle
	Limits   domain.SignInLimits
	// RequestLimits bound registrations and password-reset requests with
	// the same Throttle (zero: domain.DefaultRequestLimits).
	RequestLimits domain.RequestLimits
	// Links derives the tokens of mailed links (verification) from their
	// row IDs; the same key as Background.Links.
	Links *auth.Links
	// Sealer encrypts TOTP secrets at rest (a key derived from the JWT
	// secret); nil leaves two-factor enrolment unavailable.
	Sealer *auth.Sealer
}
