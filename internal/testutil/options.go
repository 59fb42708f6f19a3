package testutil

import (
	"time"

	"github.com/gradzone/gradzone/internal/config"
	"github.com/gradzone/gradzone/internal/httpapi"
	"github.com/gradzone/gradzone/internal/server"
)

// Option adjusts an App's configuration or server options before it starts.
// The named options below are the adjustments tests make; a test needing
// another passes its own func.
type Option = func(*config.Config, *server.Options)

// PublicURL sets the address the site says it lives at (links in mail, the
// sitemap, canonical links).
func PublicURL(u string) Option {
	return func(c *config.Config, _ *server.Options) { c.PublicURL = u }
}

// DatabaseURL points the app at another database: a second replica of the
// same one, or a proxy that can cut Postgres off.
func DatabaseURL(u string) Option {
	return func(c *config.Config, _ *server.Options) { c.DatabaseURL = u }
}

// MeiliAt points the app at another Meilisearch (an unreachable one, or one
// the test starts and stops).
func MeiliAt(url, key string) Option {
	return func(c *config.Config, _ *server.Options) { c.MeiliURL, c.MeiliKey = url, key }
}

// NoObjectStore starts the app with no S3 gateway configured (GRADZONE_S3_*
// unset), as a deployment that forgot them.
func NoObjectStore() Option {
	return func(c *config.Config, _ *server.Options) { c.S3Endpoint = "" }
}

// ContactEmail sets the address pages offer for help.
func ContactEmail(e string) Option {
	return func(c *config.Config, _ *server.Options) { c.ContactEmail = e }
}

// TrustedProxies sets which peers may say who the client is.
func TrustedProxies(cidrs string) Option {
	return func(c *config.Config, _ *server.Options) { c.TrustedProxies = cidrs }
}

// SearchCacheEntries sets the search cache's size (0 turns it off).
func SearchCacheEntries(n int) Option {
	return func(c *config.Config, _ *server.Options) { c.SearchCacheEntries = n }
}

// SearchHealEvery sets the period of the search index check.
func SearchHealEvery(d time.Duration) Option {
	return func(_ *config.Config, o *server.Options) { o.SearchHealEvery = d }
}

// MetricsCacheFor sets how long one read of the programme's numbers serves
// /metrics (server.Options.MetricsCacheFor).
func MetricsCacheFor(d time.Duration) Option {
	return func(_ *config.Config, o *server.Options) { o.MetricsCacheFor = d }
}

// SiteClock fixes the web pages' clock at the instant at (the day they
// count "today" from).
func SiteClock(at time.Time) Option {
	return func(_ *config.Config, o *server.Options) { o.Now = func() time.Time { return at } }
}

// MailLimits sets the mail rate limits: mails per recipient an hour and
// per recipient domain a minute (0: no limit).
func MailLimits(perRecipientHour, perDomainMinute int) Option {
	return func(c *config.Config, _ *server.Options) {
		c.MailPerRecipientHour, c.MailPerDomainMinute = perRecipientHour, perDomainMinute
	}
}

// ImportSlots bounds the imports the server runs at once, and those of one
// zone (app.Imports.Concurrent, PerZone).
func ImportSlots(concurrent, perZone int) Option {
	return WithDeps(func(d *httpapi.Deps) { d.Imports.Concurrent, d.Imports.PerZone = concurrent, perZone })
}
