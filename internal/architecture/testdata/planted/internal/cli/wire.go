// Package cli: wire.go is the composition root and may import the store.
package cli

import _ "example.com/planted/internal/postgres"
