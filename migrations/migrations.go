// Package migrations embeds the SQL migrations (goose format, one transaction
// each unless one says NO TRANSACTION, as an index built CONCURRENTLY must)
// and the reference data they load, so the binary carries its schema.
package migrations

import "embed"

// FS holds every migration file and zones.csv.
//
//go:embed *.sql zones.csv
var FS embed.FS
