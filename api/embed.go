// Package api holds the description of gradzone's HTTP API. It is embedded so
// the server serves, and the tests validate against, the very same bytes.
package api

import _ "embed"

// OpenAPI is api/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
