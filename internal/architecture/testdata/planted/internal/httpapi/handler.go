// Package httpapi breaks its rule: a handler reaches the store.
package httpapi

import _ "example.com/planted/internal/postgres"
