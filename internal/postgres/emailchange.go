package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// A change of address (POST /me/email): the new address is kept on its
// one-time token (account_tokens.email, purpose change_email), whose link
// goes to the new address; the account changes only when it is followed
// (VerifyEmail → confirmEmailChange).

// errEmailTaken is the answer to a change to an address another account
// has (at the request, or by the time the link is followed).
var errEmailTaken = &domain.Error{Code: domain.CodeEmailTaken, Message: "an account with this email already exists"}

const emailOfPassword = `SELECT email, email_verified_at IS NOT NULL AS verified
	FROM users
	WHERE id = ? AND password_hash = ? AND deleted_at IS NULL`

const emailTaken = `SELECT EXISTS (SELECT 1 FROM users WHERE email = ? AND id <> ?)`

// RequestEmailChange stores t, the token of a change of the user's address
// to email, and queues its mail to the new address and the owner's
// security notice to the current one, in one transaction. was is the
// password hash the caller's password was checked against: a password
// changed meanwhile refuses it (validation_failed on password), as does a
// session ended meanwhile (unauthenticated; holdSignIn). An earlier change
// waiting for its link is replaced (its link stops working). At most
// perHour changes are asked for an hour (rate_limited). Errors:
// email_taken, validation_failed, unauthenticated, rate_limited, not_found.
func (s *Store) RequestEmailChange(ctx context.Context, userID, session, was, email string, t domain.AccountToken, perHour int) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		if err := holdSignIn(tx, userID, session); err != nil {
			return err
		}
		var cur struct {
			Email    string
			Verified bool
		}
		if err := tx.Raw(emailOfPassword, userID, was).Scan(&cur).Error; err != nil {
			return err
		}
		if cur.Email == "" {
			return domain.FieldError("password", domain.ReasonWrongPassword)
		}
		if err := s.emailChangeAllowed(tx, userID, email, perHour); err != nil {
			return err
		}
		if err := tx.Exec(useAccountTokens, userID, string(domain.TokenChangeEmail)).Error; err != nil {
			return err
		}
		if err := s.insertToken(tx, userID, email, t, domain.MailConfirmEmail, ""); err != nil {
			return err
		}
		// To the address being replaced, whenever its job runs: sent after
		// the link was followed (snoozed by a rate limit, retried), it
		// would otherwise warn the new address, the one who asked. Not to
		// an address never proved, or refused since (review37): the job,
		// run after the switch, would read the new address's proof, and
		// tell a mistyped address's owner the account's name and new
		// address.
		if !cur.Verified {
			return nil
		}
		return s.mailSecurityNotice(ctx, tx, userID, "email_change", "new_email", email, "to", cur.Email)
	}))
}

// emailChangeAllowed refuses, in db, a change of the user's address to
// email that another account has (email_taken), or past perHour changes
// asked for this hour (rate_limited).
func (s *Store) emailChangeAllowed(db *gorm.DB, userID, email string, perHour int) error {
	var taken bool
	if err := db.Raw(emailTaken, email, userID).Scan(&taken).Error; err != nil {
		return err
	}
	if taken {
		return errEmailTaken
	}
	return s.withinTheHour(db, domain.TokenChangeEmail, userID, perHour,
		"a change of address was asked for several times this hour; use the newest link, or wait")
}

// EmailChangeAllowed tells what RequestEmailChange would refuse a change
// of the user's address to email for, before it is asked: a two-step code
// checked with the request is spent only for a request that can be made
// (review38: a change to a taken address spent the recovery code it
// carried). RequestEmailChange checks again, in its transaction. Errors:
// email_taken, rate_limited.
func (s *Store) EmailChangeAllowed(ctx context.Context, userID, email string, perHour int) error {
	return translate(s.emailChangeAllowed(s.db.WithContext(ctx), userID, email, perHour))
}

const spendEmailChange = `UPDATE account_tokens t
	SET used_at = now()
	FROM users u
	WHERE t.token_hash = ? AND t.purpose = 'change_email' AND t.used_at IS NULL AND t.expires_at > ?
	AND u.id = t.user_id AND u.deleted_at IS NULL AND u.disabled_at IS NULL
	RETURNING t.user_id::text AS user_id, t.email`

const emailOfUser = `SELECT email, email_verified_at IS NOT NULL AS verified
	FROM users
	WHERE id = ?`

const switchEmail = `UPDATE users
	SET email = ?, email_verified_at = ?, mail_refused_at = NULL, mail_refused_reply = NULL
	WHERE id = ?
	RETURNING email, mail_language AS language`

// scopeOfUser is the zone and province an account's audit lines are in:
// a staff account's own, an employer user's organisation's.
const scopeOfUser = `SELECT coalesce(u.zone_code, e.zone_code, '') AS zone_code,
		coalesce(u.province_code, z.province_code, e.province_code, '') AS province_code
	FROM users u
	LEFT JOIN employers e ON e.id = u.employer_id
	LEFT JOIN zones z ON z.code = coalesce(u.zone_code, e.zone_code)
	WHERE u.id = ?`

const useVerifications = `UPDATE account_tokens
	SET used_at = now()
	WHERE user_id = ? AND purpose = 'verify_email' AND used_at IS NULL`

// confirmEmailChange spends the change-of-address token with hash, when
// it is one, in tx: the account's address becomes the token's, verified
// (the link reached it), any refusal of the old one forgotten; the links
// mailed to the old address (verification, password reset) and other
// changes waiting stop working; the audit line is written. Sessions stay:
// the password did not change. It returns the new address ("" when hash
// is no usable change-of-address token). Errors: email_taken (another
// account took the address meanwhile; the token stays usable).
func (s *Store) confirmEmailChange(ctx context.Context, tx *gorm.DB, hash string) (domain.VerifiedAddress, error) {
	var addr domain.VerifiedAddress
	var t struct{ UserID, Email string }
	if err := tx.Raw(spendEmailChange, hash, s.now()).Scan(&t).Error; err != nil || t.UserID == "" {
		return addr, err
	}
	if err := holdSignIn(tx, t.UserID, ""); err != nil {
		return addr, err
	}
	var taken bool
	if err := tx.Raw(emailTaken, t.Email, t.UserID).Scan(&taken).Error; err != nil {
		return addr, err
	}
	if taken {
		return addr, errEmailTaken
	}
	var was struct {
		Email    string
		Verified bool
	}
	if err := tx.Raw(emailOfUser, t.UserID).Scan(&was).Error; err != nil {
		return addr, err
	}
	if err := tx.Raw(switchEmail, t.Email, s.now(), t.UserID).Scan(&addr).Error; err != nil {
		return addr, err
	}
	// The address replaced is told it was (review36): the notice of the
	// request said a password reset would cancel it, which it no longer
	// can, as that address no longer has the account. Only an address
	// proved and not refused since (review37): the job reads the proof of
	// the account's address then, the new one's, and a contract's
	// unverified address receives no mail but a verification or a reset.
	if was.Verified {
		if err := s.mailSecurityNotice(ctx, tx, t.UserID, "email_changed", "new_email", t.Email, "to", was.Email); err != nil {
			return addr, err
		}
	}
	addr.Changed = true
	if err := spendAccountTokens(tx, t.UserID); err != nil {
		return addr, err
	}
	if err := tx.Exec(useVerifications, t.UserID).Error; err != nil {
		return addr, err
	}
	var sc struct{ ZoneCode, ProvinceCode string }
	if err := tx.Raw(scopeOfUser, t.UserID).Scan(&sc).Error; err != nil {
		return addr, err
	}
	return addr, audit(ctx, tx, auditEntry{Kind: domain.AuditEmailChanged, ActorID: t.UserID, EntityType: "user", EntityID: t.UserID,
		ZoneCode: sc.ZoneCode, ProvinceCode: sc.ProvinceCode, After: map[string]any{"email_verified": true}})
}

// usableEmailChange is the new address of the change-of-address token
// whose column (id or token_hash) is key, while its link still works: as
// spendEmailChange, not for an account deleted or disabled since
// (review37: its page asked for a click that then failed).
const usableEmailChange = `SELECT t.email, u.mail_language
	FROM account_tokens t
	JOIN users u ON u.id = t.user_id AND u.deleted_at IS NULL AND u.disabled_at IS NULL
	WHERE t.purpose = 'change_email' AND t.used_at IS NULL AND t.expires_at > ? AND t.`

func (s *Store) emailChangeBy(ctx context.Context, column, key string) (email, language string, err error) {
	var r struct{ Email, MailLanguage string }
	err = s.db.WithContext(ctx).Raw(usableEmailChange+column+` = ?`, s.now(), key).Scan(&r).Error
	return r.Email, r.MailLanguage, translate(err)
}

// EmailChangeOfLink returns the new address of the change-of-address
// token with hash while its link still works, "" for any other token: the
// site asks the reader to confirm such a change with a click, where a
// verification is made on opening its link. language is the account's
// mail language, the mail's that carried the link.
func (s *Store) EmailChangeOfLink(ctx context.Context, hash string) (email, language string, err error) {
	return s.emailChangeBy(ctx, "token_hash", hash)
}

// EmailChangeAddress returns the new address of the change-of-address
// token tokenID, while its link still works ("" when it was followed,
// replaced, cancelled or expired: its mail is not sent then).
func (s *Store) EmailChangeAddress(ctx context.Context, tokenID string) (string, error) {
	email, _, err := s.emailChangeBy(ctx, "id", tokenID)
	return email, err
}

const pendingEmailChange = `SELECT email, expires_at AS expires
	FROM account_tokens
	WHERE user_id = ? AND purpose = 'change_email' AND used_at IS NULL AND expires_at > ?
	ORDER BY created_at DESC
	LIMIT 1`

// emailChangeOf is the user's change of address waiting for its link, or nil.
func (s *Store) emailChangeOf(db *gorm.DB, userID string) (*domain.EmailChange, error) {
	var c domain.EmailChange
	if err := db.Raw(pendingEmailChange, userID, s.now()).Scan(&c).Error; err != nil || c.Email == "" {
		return nil, err
	}
	return &c, nil
}

// errNoEmailChange answers a cancel when no change of address waits.
var errNoEmailChange = &domain.Error{Code: domain.CodeNotFound, Message: "no change of address is waiting"}

const cancelEmailChange = `UPDATE account_tokens
	SET used_at = now()
	WHERE user_id = ? AND purpose = 'change_email' AND used_at IS NULL AND expires_at > ?`

// CancelEmailChange ends the user's change of address waiting for its
// link: the link stops working (the page it opens says it is no longer
// valid). Errors: not_found when none waits.
func (s *Store) CancelEmailChange(ctx context.Context, userID string) error {
	res := s.db.WithContext(ctx).Exec(cancelEmailChange, userID, s.now())
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return errNoEmailChange
	}
	return nil
}

// refuseEmailChange spends a change's token whose confirmation mail the
// new address's server refused, keeping when and the reply, while it
// still waited (not confirmed, replaced or cancelled meanwhile).
const refuseEmailChange = `UPDATE account_tokens
	SET used_at = now(), mail_refused_at = ?, mail_refused_reply = ?
	WHERE id = ? AND user_id = ? AND purpose = 'change_email' AND used_at IS NULL
	RETURNING email`

// RecordEmailChangeRefused ends the change of address of token tokenID
// whose confirmation mail the new address's server refused for good
// (domain.MailRefused) with reply at at: its link dies, the refusal is kept
// on it (Me.EmailChangeRefused, until the user asks again) and the user is
// notified, in one transaction. The account's own address is not marked
// refused: it was not the one refused. A change confirmed, replaced or
// cancelled meanwhile is left as it is.
func (s *Store) RecordEmailChangeRefused(ctx context.Context, userID, tokenID, reply string, at time.Time) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		var t struct{ Email string }
		if err := tx.Raw(refuseEmailChange, at, reply, tokenID, userID).Scan(&t).Error; err != nil || t.Email == "" {
			return err
		}
		return notify(tx, domain.EmailChangeRefusedNotice(userID, t.Email), "email_change_refused:"+tokenID)
	}))
}

// refusedEmailChange is the user's newest change of address asked for,
// when the new address's server refused its confirmation mail.
const refusedEmailChange = `SELECT email, mail_refused_at AS at, coalesce(mail_refused_reply, '') AS reply
	FROM (SELECT email, mail_refused_at, mail_refused_reply
		FROM account_tokens
		WHERE user_id = ? AND purpose = 'change_email'
		ORDER BY created_at DESC, id DESC
		LIMIT 1) newest
	WHERE mail_refused_at IS NOT NULL`

// emailChangeRefusalOf is the user's newest change of address when it
// ended refused by the new address's server, or nil.
func (s *Store) emailChangeRefusalOf(db *gorm.DB, userID string) (*domain.EmailChangeRefusal, error) {
	var r domain.EmailChangeRefusal
	if err := db.Raw(refusedEmailChange, userID).Scan(&r).Error; err != nil || r.Email == "" {
		return nil, err
	}
	return &r, nil
}
