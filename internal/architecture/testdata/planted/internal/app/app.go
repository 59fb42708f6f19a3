// Package app breaks its rule: it imports an adapter.
package app

import _ "example.com/planted/internal/postgres"
