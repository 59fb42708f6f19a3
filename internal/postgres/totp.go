package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

const totpState = `SELECT totp_secret, totp_enabled_at, totp_last_step,
	(SELECT count(*) FROM totp_recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) AS left
	FROM users u
	WHERE id = ? AND deleted_at IS NULL`

// TOTP returns the user's two-factor state. Errors: not_found.
func (s *Store) TOTP(ctx context.Context, userID string) (domain.TOTPState, error) {
	var row struct {
		TotpSecret    *string
		TotpEnabledAt *time.Time
		TotpLastStep  int64
		Left          int
	}
	res := s.db.WithContext(ctx).Raw(totpState, userID).Scan(&row)
	if res.Error != nil {
		return domain.TOTPState{}, translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.TOTPState{}, domain.ErrNotFound
	}
	st := domain.TOTPState{EnabledAt: row.TotpEnabledAt, LastStep: row.TotpLastStep, RecoveryLeft: row.Left}
	if row.TotpSecret != nil {
		st.Sealed = *row.TotpSecret
	}
	return st, nil
}

// errTOTPOn refuses enrolling again while two-factor sign-in is on.
var errTOTPOn = &domain.Error{Code: domain.CodeInvalidState, Message: "two-factor sign-in is already on; turn it off first"}

const beginTOTPEnrolment = `UPDATE users
	SET totp_secret = ?, totp_last_step = 0
	WHERE id = ? AND totp_enabled_at IS NULL`

// BeginTOTP keeps a new sealed secret for an enrolment, replacing one not
// yet confirmed. Errors: invalid_state (already on), not_found.
func (s *Store) BeginTOTP(ctx context.Context, userID, sealed string) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(beginTOTPEnrolment, sealed, userID)
		if res.Error != nil || res.RowsAffected == 1 {
			return res.Error
		}
		return errTOTPOn
	}))
}

const enableTOTP = `UPDATE users
	SET totp_enabled_at = now(), totp_last_step = ?
	WHERE id = ? AND totp_enabled_at IS NULL AND totp_secret = ?`

// errTOTPKeyChanged answers a confirmation whose key was replaced (another
// tab asked for a new one) after its code was checked.
var errTOTPKeyChanged = &domain.Error{Code: domain.CodeInvalidState, Message: "two-factor sign-in is on already, or a new key replaced the one this code is from; scan the current key"}

// EnableTOTP turns two-factor sign-in on with the step of the code that
// confirmed it, and replaces the recovery codes, only while sealed is
// still the stored key: the code was checked against it, and a new key
// asked for in between must not be turned on unconfirmed. Errors:
// invalid_state (already on, no enrolment, or the key replaced).
func (s *Store) EnableTOTP(ctx context.Context, userID, sealed string, step int64, recoveryHashes []string) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(enableTOTP, step, userID, sealed)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errTOTPKeyChanged
		}
		if err := s.mailSecurityNotice(ctx, tx, userID, "totp_on"); err != nil {
			return err
		}
		return replaceRecoveryCodes(tx, userID, recoveryHashes)
	}))
}

const deleteRecoveryCodes = `DELETE FROM totp_recovery_codes
	WHERE user_id = ?`

const insertRecoveryCode = `INSERT INTO totp_recovery_codes (user_id, code_hash)
	VALUES (?, ?)`

func replaceRecoveryCodes(tx *gorm.DB, userID string, hashes []string) error {
	if err := tx.Exec(deleteRecoveryCodes, userID).Error; err != nil {
		return err
	}
	for _, h := range hashes {
		if err := tx.Exec(insertRecoveryCode, userID, h).Error; err != nil {
			return err
		}
	}
	return nil
}

const lockEnabledTOTP = `SELECT id FROM users
	WHERE id = ? AND totp_enabled_at IS NOT NULL
	FOR UPDATE`

// NewRecoveryCodes replaces the recovery codes, used or not, of an account
// with two-factor sign-in on, and mails the owner that they were. Errors:
// invalid_state (not on).
func (s *Store) NewRecoveryCodes(ctx context.Context, userID string, hashes []string) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(lockEnabledTOTP, userID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.ErrTOTPOff
		}
		if err := s.mailSecurityNotice(ctx, tx, userID, "recovery_codes"); err != nil {
			return err
		}
		return replaceRecoveryCodes(tx, userID, hashes)
	}))
}

const spendTOTPStep = `UPDATE users
	SET totp_last_step = ?
	WHERE id = ? AND totp_secret IS NOT NULL AND totp_last_step < ?`

// SpendTOTPStep records step as the last accepted code's, unless a code of
// that step or a later one was already accepted: of two sign-ins racing
// with the same code one wins. It reports whether this one did.
func (s *Store) SpendTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	res := s.db.WithContext(ctx).Exec(spendTOTPStep, step, userID, step)
	return res.RowsAffected == 1, translate(res.Error)
}

const spendRecoveryCode = `UPDATE totp_recovery_codes
	SET used_at = now()
	WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`

// SpendRecoveryCode marks an unused recovery code used and reports
// whether there was one.
func (s *Store) SpendRecoveryCode(ctx context.Context, userID, hash string) (bool, error) {
	res := s.db.WithContext(ctx).Exec(spendRecoveryCode, userID, hash)
	return res.RowsAffected == 1, translate(res.Error)
}

const disableTOTP = `UPDATE users
	SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = 0
	WHERE id = ?`

// DisableTOTP turns two-factor sign-in off: the secret and the recovery
// codes are deleted.
func (s *Store) DisableTOTP(ctx context.Context, userID string) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec(disableTOTP, userID).Error; err != nil {
			return err
		}
		if err := s.mailSecurityNotice(ctx, tx, userID, "totp_off"); err != nil {
			return err
		}
		return replaceRecoveryCodes(tx, userID, nil)
	}))
}
