package domain

import "time"

// SavedOpening is an opening a graduate saved (收藏), as its list shows it.
// The opening stays in the list after it closes; Open says whether it still
// takes applications.
type SavedOpening struct {
	Opening Opening   `json:"opening"`
	SavedAt time.Time `json:"saved_at"`
	// Open: published, deadline not passed and seats left (Opening.Searchable).
	Open bool `json:"open"`
}

// MaxSavedOpenings bounds how many openings one graduate keeps saved.
const MaxSavedOpenings = 200
