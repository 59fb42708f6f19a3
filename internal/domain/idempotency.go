package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// IdempotencyWindow is how long a key answers the same (as payment APIs'
// keys do): a retry comes within it; a form sent again later makes anew.
const IdempotencyWindow = 24 * time.Hour

// Idempotency is a create request's key (the API's Idempotency-Key, a site
// form's one-time key) and the hash of what it asks: the same key and
// request get the first answer again; the same key with another request is
// refused. No key promises nothing.
type Idempotency struct {
	IdempotencyKey string
	RequestHash    string
	// perContent marks a site form's key (FormKey).
	perContent bool
}

// FormKey is the idempotency of a site form's one-time key (a hidden
// field): the form sent twice with the same content makes one thing, and
// sent again with other content (Back, edited) makes another, where an
// API key would be refused.
func FormKey(key string) Idempotency {
	if key == "" || len(key) > 64 {
		return Idempotency{}
	}
	return Idempotency{IdempotencyKey: key, perContent: true}
}

// Of is i with the hash of request, the bytes that tell a replay from a
// reused key, when it has a key and no hash yet.
func (i Idempotency) Of(request []byte) Idempotency {
	if i.IdempotencyKey != "" && i.RequestHash == "" {
		sum := sha256.Sum256(request)
		i.RequestHash = hex.EncodeToString(sum[:])
		if i.perContent {
			i.IdempotencyKey = "form:" + i.IdempotencyKey + ":" + i.RequestHash
		}
	}
	return i
}
