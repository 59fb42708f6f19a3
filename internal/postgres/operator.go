package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// An operator's changes to a staff account (`gradzone user …`): each in
// one transaction with its audit line (no actor: the command line; the
// operator who ran it, from ctx, as audit writes it), the account's
// sessions signed out where the change says so.

// staffAccountRow is a staff account as an operator's change reads it.
type staffAccountRow struct {
	ID           string
	Role         string
	ZoneCode     *string
	ProvinceCode *string
	DisabledAt   *time.Time
	TOTPOn       bool `gorm:"column:totp_on"`
}

// lockStaffAccount locks the account's row like holdSignIn, so the change
// commits after (or before) any other change to its sign-in.
const lockStaffAccount = `SELECT id, role, zone_code, province_code, disabled_at,
	totp_secret IS NOT NULL OR EXISTS (SELECT 1 FROM totp_recovery_codes c WHERE c.user_id = u.id) AS totp_on
	FROM users u
	WHERE id = ? AND deleted_at IS NULL
	FOR NO KEY UPDATE`

// holdStaffAccount locks and reads the staff account userID. Errors:
// not_found (no such account, or not staff's).
func holdStaffAccount(tx *gorm.DB, userID string) (staffAccountRow, error) {
	var a staffAccountRow
	if err := tx.Raw(lockStaffAccount, userID).Scan(&a).Error; err != nil {
		return a, err
	}
	if a.ID == "" || !domain.Role(a.Role).IsStaff() {
		return a, domain.ErrNotFound
	}
	return a, nil
}

// auditStaff writes an operator's audit line about the account a, in its
// zone and province (a ministry account's has neither: the ministry sees it).
func auditStaff(ctx context.Context, tx *gorm.DB, kind string, a staffAccountRow, before, after any) error {
	return audit(ctx, tx, auditEntry{Kind: kind, EntityType: "user", EntityID: a.ID,
		ZoneCode: deref(a.ZoneCode), ProvinceCode: deref(a.ProvinceCode), Before: before, After: after})
}

// ResetStaffPassword is ChangePassword for an operator (every session
// signed out, the owner mailed), with its audit line. Errors: not_found,
// validation_failed (the password changed meanwhile).
func (s *Store) ResetStaffPassword(ctx context.Context, userID, was, passwordHash string) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		a, err := holdStaffAccount(tx, userID)
		if err != nil {
			return err
		}
		if err := s.changePassword(ctx, tx, userID, was, passwordHash, "", "password_set"); err != nil {
			return err
		}
		return auditStaff(ctx, tx, domain.AuditStaffPasswordReset, a, nil, nil)
	}))
}

const setDisabledAt = `UPDATE users
	SET disabled_at = ?
	WHERE id = ?`

// endAccountLinks spends the user's reset links and change of address
// waiting: links mailed before a disable work no more once the account is
// enabled again (whoever asked for them may be why it was disabled).
const endAccountLinks = `UPDATE account_tokens
	SET used_at = now()
	WHERE user_id = ? AND purpose IN ('password_reset', 'change_email') AND used_at IS NULL`

// SetStaffDisabled disables the staff account (every session signed out:
// its tokens stop working at once, and the links mailed before: reset
// links, a change of address waiting) or enables it again, and reports whether
// that changed anything (an account disabled already is left as it is,
// without an audit line). Errors: not_found.
func (s *Store) SetStaffDisabled(ctx context.Context, userID string, disabled bool) (bool, error) {
	changed := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		a, err := holdStaffAccount(tx, userID)
		if err != nil || (a.DisabledAt != nil) == disabled {
			return err
		}
		changed = true
		if !disabled {
			if err := tx.Exec(setDisabledAt, nil, userID).Error; err != nil {
				return err
			}
			return auditStaff(ctx, tx, domain.AuditStaffEnabled, a, map[string]any{"disabled_at": a.DisabledAt}, map[string]any{"disabled_at": nil})
		}
		now := s.now()
		if err := tx.Exec(setDisabledAt, now, userID).Error; err != nil {
			return err
		}
		if err := revokeSessions(tx, userID, ""); err != nil {
			return err
		}
		if err := tx.Exec(endAccountLinks, userID).Error; err != nil {
			return err
		}
		return auditStaff(ctx, tx, domain.AuditStaffDisabled, a, map[string]any{"disabled_at": nil}, map[string]any{"disabled_at": now})
	})
	return changed, translate(err)
}

// ClearStaffTOTP deletes the staff account's two-step secret and recovery
// codes (its owner lost both), signs out every session and mails the owner,
// and reports whether there was anything to clear (nothing is done, and
// nobody mailed, when there was not). Errors: not_found.
func (s *Store) ClearStaffTOTP(ctx context.Context, userID string) (bool, error) {
	changed := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		a, err := holdStaffAccount(tx, userID)
		if err != nil || !a.TOTPOn {
			return err
		}
		changed = true
		if err := tx.Exec(disableTOTP, userID).Error; err != nil {
			return err
		}
		if err := replaceRecoveryCodes(tx, userID, nil); err != nil {
			return err
		}
		if err := s.mailSecurityNotice(ctx, tx, userID, "totp_cleared"); err != nil {
			return err
		}
		if err := revokeSessions(tx, userID, ""); err != nil {
			return err
		}
		return auditStaff(ctx, tx, domain.AuditStaffTwoStepClear, a, nil, nil)
	})
	return changed, translate(err)
}
