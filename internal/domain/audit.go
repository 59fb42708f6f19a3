package domain

import (
	"encoding/json"
	"time"
)

// AuditEntry is one audit row as staff read it.
type AuditEntry struct {
	ID        string  `json:"id"` // opaque (audit_log.public_id)
	Kind      string  `json:"kind"`
	ActorID   *string `json:"actor_id"`
	ActorName *string `json:"actor_name"`
	// Operator is who ran an operator's command (`gradzone user …`:
	// "root@host"), which has no actor; nil for other lines and for
	// operators' lines written before it was kept.
	Operator   *string `json:"operator"`
	EntityType string  `json:"entity_type"`
	EntityID   string  `json:"entity_id"`
	// EntityName names the record for people: an opening's title, an
	// employer's name, a placement's graduate and opening ("李华 · 科研助理");
	// nil for other records, or one since deleted.
	EntityName *string         `json:"entity_name"`
	ZoneCode   *string         `json:"zone_code"`
	Province   *string         `json:"province_code"`
	Before     json.RawMessage `json:"before"`
	After      json.RawMessage `json:"after"`
	RequestID  *string         `json:"request_id"`
	CreatedAt  time.Time       `json:"created_at"`
}
