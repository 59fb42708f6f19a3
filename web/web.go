// Package web holds the site's templates, static assets and message
// catalogues, embedded into the binary. ECharts is vendored from the npm
// registry (static/vendor): the site makes no request outside its origin.
package web

import "embed"

// FS is the embedded site.
//
//go:embed templates static i18n
var FS embed.FS
