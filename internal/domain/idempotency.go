package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// IdempotencyWindow is how long a key answers the same (as payment APIs'
// keys do): a retry comes within it; a form sent again later makes anew.
const IdempotencyWindow = 24 * time.Hour

// Idempotency is a create request's key (the API's Idempotency-Key; for a
// site form, its content: SameContent) and the hash of what it asks: the
// same key and request get the first answer again; the same key with
// another request is refused. No key promises nothing.
type Idempotency struct {
	IdempotencyKey string
	RequestHash    string
	// byContent makes the request's content its key (SameContent).
	byContent bool
}

// SameContent is the idempotency of a site form whose content is its key:
// the same content sent again within IdempotencyWindow (a double click, a
// slow line, or Back and 保存 again, which a forms probe and a walk each
// met) answers the first thing it made; other content makes another.
func SameContent() Idempotency { return Idempotency{IdempotencyKey: "form", byContent: true} }

// Of is i with the hash of request, the bytes that tell a replay from a
// reused key, when it has a key and no hash yet.
func (i Idempotency) Of(request []byte) Idempotency {
	if i.IdempotencyKey != "" && i.RequestHash == "" {
		sum := sha256.Sum256(request)
		i.RequestHash = hex.EncodeToString(sum[:])
		if i.byContent {
			i.IdempotencyKey += ":" + i.RequestHash
		}
	}
	return i
}
