package postgres

import (
	"context"
	"encoding/json"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// auditEntry is one change that moves a count or a target.
type auditEntry struct {
	Kind          string
	ActorID       string
	EntityType    string
	EntityID      string
	ZoneCode      string
	ProvinceCode  string
	Before, After any
}

const insertAuditEntry = `INSERT INTO audit_log (kind, actor_id, entity_type, entity_id,
	zone_code, province_code, before, after, request_id, operator)
	VALUES (?, NULLIF(?, '')::uuid, ?, ?, NULLIF(?, ''), NULLIF(?, ''), ?::jsonb, ?::jsonb, NULLIF(?, ''), NULLIF(?, ''))`

// audit writes e inside tx, so the record exists exactly when the change does.
// It names the request and, for an operator's command, the operator
// (domain.WithOperator) from ctx.
func audit(ctx context.Context, tx *gorm.DB, e auditEntry) error {
	js := func(v any) any {
		if v == nil {
			return nil
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	return tx.Exec(insertAuditEntry,
		e.Kind, e.ActorID, e.EntityType, e.EntityID, e.ZoneCode, e.ProvinceCode, js(e.Before), js(e.After), domain.RequestID(ctx), domain.Operator(ctx)).Error
}
