// Package postgres stands in for the real adapter.
package postgres

// Store is a stand-in.
type Store struct{}
