package postgres

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// MailJob is the job that sends one mail. Put it in the transaction of the
// change that causes the mail: s.enqueue(tx, MailJob(…)). key may be empty
// (the job's ID is then the send key); give one when the same mail could be
// asked for twice and must go out once.
func MailJob(kind domain.MailKind, userID string, data map[string]string, key string) domain.Job {
	return domain.Job{Kind: domain.JobSendMail, Mail: &domain.MailRequest{Kind: kind, UserID: userID, Data: data, Key: key}}
}

// MailRecipient returns the user as a mail recipient. Errors: not_found.
func (s *Store) MailRecipient(ctx context.Context, userID string) (domain.MailRecipient, error) {
	var u userRow
	// An erased account (DELETE /me) receives nothing more.
	if err := s.db.WithContext(ctx).Where("id = ? AND deleted_at IS NULL", userID).Take(&u).Error; err != nil {
		return domain.MailRecipient{}, translate(err)
	}
	p, err := s.mailPrefsRow(s.db.WithContext(ctx), userID)
	if err != nil {
		return domain.MailRecipient{}, translate(err)
	}
	return domain.MailRecipient{UserID: u.ID, Email: u.Email, Name: u.Name, Role: domain.Role(u.Role), Verified: u.EmailVerifiedAt != nil,
		Off: p.off(), Language: p.MailLanguage, Disabled: u.DisabledAt != nil}, nil
}

// markMailRefused unverifies an address its server refused for good at ?,
// if the account still has it and it was not proved since.
const markMailRefused = `UPDATE users
	SET email_verified_at = NULL, mail_refused_at = ?, mail_refused_reply = ?
	WHERE id = ? AND email = ? AND deleted_at IS NULL AND (email_verified_at IS NULL OR email_verified_at < ?)`

// RecordMailRefused records that the mail server of email refused it for
// good (domain.MailRefused): the address counts as unverified, so it
// receives only the verification and password-reset mails the user asks
// for, until a link mailed after at proves it again. An account whose
// address changed meanwhile, is gone, or was proved after at, is left as it
// is.
func (s *Store) RecordMailRefused(ctx context.Context, userID, email, reply string, at time.Time) error {
	return translate(s.db.WithContext(ctx).Exec(markMailRefused, at, reply, userID, email, at).Error)
}

const countMailSends = `SELECT count(*)
	FROM mail_sends
	WHERE send_key = ?`

// MailSent reports whether the mail with the send key went out.
func (s *Store) MailSent(ctx context.Context, key string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(countMailSends, key).Scan(&n).Error
	return n > 0, translate(err)
}

const insertMailSend = `INSERT INTO mail_sends (send_key, kind, user_id, message_id)
	VALUES (?, ?, ?, ?)
	ON CONFLICT (send_key) DO NOTHING`

// RecordMailSent records the send key of a mail the server took.
func (s *Store) RecordMailSent(ctx context.Context, key string, kind domain.MailKind, userID, messageID string) error {
	var uid *string
	if userID != "" {
		uid = &userID
	}
	return translate(s.db.WithContext(ctx).Exec(insertMailSend, key, string(kind), uid, messageID).Error)
}

const insertAccountToken = `INSERT INTO account_tokens (id, user_id, purpose, email, token_hash, expires_at)
	VALUES (?, ?, ?, ?, ?, ?)`

// insertToken stores t for the user (address email) in tx and queues the
// mail of kind that carries it.
func (s *Store) insertToken(tx *gorm.DB, userID, email string, t domain.AccountToken, kind domain.MailKind, mailKey string) error {
	if err := tx.Exec(insertAccountToken, t.ID, userID, string(t.Purpose), email, t.Hash, t.Expires).Error; err != nil {
		return err
	}
	// The job carries the row's ID; the sender derives the token from it
	// (app.Background.prepareMail), so the queue never holds a usable token.
	return s.enqueue(tx, MailJob(kind, userID, map[string]string{"token_id": t.ID}, mailKey))
}

const addressOfToken = `SELECT email
	FROM account_tokens
	WHERE id = ?`

// MailTokenAddress returns the address the mailed token tokenID was made
// for, used or not ("" when there is no such token): its mail goes there
// or nowhere.
func (s *Store) MailTokenAddress(ctx context.Context, tokenID string) (string, error) {
	if !validUUID(tokenID) {
		return "", nil
	}
	var r struct{ Email string }
	err := s.db.WithContext(ctx).Raw(addressOfToken, tokenID).Scan(&r).Error
	return r.Email, translate(err)
}

// CreatePasswordReset stores t for the account with the email, if there is
// one, and queues its reset mail with send key mailKey, in one transaction.
// It reports whether the account exists.
func (s *Store) CreatePasswordReset(ctx context.Context, email string, t domain.AccountToken, mailKey string) (bool, error) {
	found := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var u userRow
		err := tx.Where("email = ?", email).Take(&u).Error
		if err == gorm.ErrRecordNotFound {
			return nil
		}
		if err != nil {
			return err
		}
		if u.DisabledAt != nil {
			// A disabled staff account sets no password by mail (an official
			// who left would set one they know): answered as an unknown
			// address, so the request tells nothing.
			return nil
		}
		found = true
		return s.insertToken(tx, u.ID, u.Email, t, domain.MailPasswordReset, mailKey)
	})
	return found, translate(err)
}

const spendAccountToken = `UPDATE account_tokens t
	SET used_at = now()
	FROM users u
	WHERE t.token_hash = ? AND t.purpose = ? AND t.used_at IS NULL AND t.expires_at > ?
	AND u.id = t.user_id AND u.email = t.email AND u.disabled_at IS NULL
	RETURNING t.user_id::text AS user_id, t.created_at`

const usableAccountToken = `SELECT u.mail_language AS language,
		(u.email = t.email AND u.disabled_at IS NULL AND t.used_at IS NULL AND t.expires_at > ?) AS usable
	FROM account_tokens t JOIN users u ON u.id = t.user_id
	WHERE t.token_hash = ? AND t.purpose = ?`

// TokenUsable reports whether the token of purpose with hash would be
// spent now (spendToken's conditions), without spending it, and the mail
// language of its account (the language of the mail that carried it),
// spent or not: a dead link's page says so in the mail's language.
func (s *Store) TokenUsable(ctx context.Context, purpose domain.TokenPurpose, hash string) (bool, string, error) {
	var rows []struct {
		Language string
		Usable   bool
	}
	err := s.db.WithContext(ctx).Raw(usableAccountToken, s.now(), hash, string(purpose)).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return false, "", translate(err)
	}
	return rows[0].Usable, rows[0].Language, nil
}

// spendToken marks the token of purpose with hash used, in tx, when it is
// unused, unexpired and still for the account's current address (and the account not disabled), and
// returns its user. Errors: validation_failed on token.
func (s *Store) spendToken(tx *gorm.DB, purpose domain.TokenPurpose, hash string) (spentToken, error) {
	var t spentToken
	err := tx.Raw(spendAccountToken, hash, string(purpose), s.now()).Scan(&t).Error
	if err != nil {
		return t, err
	}
	if t.UserID == "" {
		return t, domain.FieldError("token", domain.ReasonBadToken)
	}
	return t, nil
}

// spentToken is whose a spent token was, and when it was mailed.
type spentToken struct {
	UserID    string
	CreatedAt time.Time
}

// proveAddress marks the address verified by a mailed link (verification or
// password reset) and forgets a refusal its server gave before the link was
// mailed. A link mailed before a refusal proves nothing: the mailbox that
// took it refuses mail now (review35a), so the row is left as it is.
const proveAddress = `UPDATE users
	SET email_verified_at = coalesce(email_verified_at, ?), mail_refused_at = NULL, mail_refused_reply = NULL
	WHERE id = ? AND (mail_refused_at IS NULL OR mail_refused_at < ?)`

const markEmailVerified = proveAddress + `
	RETURNING email, mail_language AS language`

// languageOfVerifiedToken is the address and mail language of the account whose
// current, verified address a verification token (or the confirmation of
// a change to that address) was made for, used or not, expired or not.
const languageOfVerifiedToken = `SELECT u.email, u.mail_language AS language
	FROM account_tokens t
	JOIN users u ON u.id = t.user_id AND u.email = t.email
	WHERE t.token_hash = ? AND t.purpose IN ('verify_email', 'change_email')
		AND u.email_verified_at IS NOT NULL AND u.deleted_at IS NULL`

// purposeOfToken is what a token was mailed for, spent or not, and its
// account's mail language.
const purposeOfToken = `SELECT t.purpose, u.mail_language AS language
	FROM account_tokens t JOIN users u ON u.id = t.user_id
	WHERE t.token_hash = ?`

// VerifyEmail spends a verification token, marks the address verified and
// returns it with the account's mail language. A token that cannot be
// spent but was for an address verified since is refused with its own
// reason (and the address), so the page can say the address is verified;
// one that was a change of address's says so (ChangeLink).
// Errors: validation_failed on token.
func (s *Store) VerifyEmail(ctx context.Context, tokenHash string) (domain.VerifiedAddress, error) {
	var addr domain.VerifiedAddress
	err := s.tx(ctx, func(tx *gorm.DB) error {
		changed, err := s.confirmEmailChange(ctx, tx, tokenHash)
		if err != nil || changed.Email != "" {
			addr = changed
			return err
		}
		t, err := s.spendToken(tx, domain.TokenVerifyEmail, tokenHash)
		if err == nil {
			if err := tx.Raw(markEmailVerified, s.now(), t.UserID, t.CreatedAt).Scan(&addr).Error; err != nil || addr.Email != "" {
				return err
			}
			// The address was refused since this link was mailed.
			return domain.FieldError("token", domain.ReasonBadToken)
		}
		if domain.CodeOf(err) != domain.CodeValidation {
			return err
		}
		if err := tx.Raw(languageOfVerifiedToken, tokenHash).Scan(&addr).Error; err != nil {
			return err
		}
		var link struct{ Purpose, Language string }
		if err := tx.Raw(purposeOfToken, tokenHash).Scan(&link).Error; err != nil {
			return err
		}
		addr.ChangeLink = link.Purpose == string(domain.TokenChangeEmail)
		// A dead link's page speaks the language of the mail that carried
		// it, as a live one's does: the link is written out without lang.
		addr.Language = cmp.Or(addr.Language, link.Language)
		if addr.Email != "" {
			return domain.FieldError("token", domain.ReasonVerifiedAlready)
		}
		return err
	})
	return addr, translate(err)
}

const userToVerifyForUpdate = `SELECT email, email_verified_at IS NOT NULL AS verified
	FROM users
	WHERE id = ? AND deleted_at IS NULL
	FOR UPDATE`

// errAlreadyVerified answers a resend to an address already proved.
var errAlreadyVerified = &domain.Error{Code: domain.CodeInvalidState, Message: "this address is verified already"}

// ResendVerification stores t, a new verification token of the user, and
// queues its mail, unless the address is proved already or perHour links
// (the sign-up's included) went out in the last hour. The user's row is
// locked, so parallel requests count each other. Errors: not_found,
// invalid_state, rate_limited.
func (s *Store) ResendVerification(ctx context.Context, userID string, t domain.AccountToken, perHour int) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		var u struct {
			Email    string
			Verified bool
		}
		if err := tx.Raw(userToVerifyForUpdate, userID).Scan(&u).Error; err != nil {
			return err
		}
		if u.Email == "" {
			return domain.ErrNotFound
		}
		if u.Verified {
			return errAlreadyVerified
		}
		if err := s.withinTheHour(tx, domain.TokenVerifyEmail, userID, perHour,
			"verification mails were sent several times this hour; use the newest, or wait"); err != nil {
			return err
		}
		return s.insertToken(tx, userID, u.Email, t, domain.MailVerifyEmail, "")
	}))
}

// oldestCountedLink is, of a user's links of a kind mailed since a time,
// the perHour-th newest (OFFSET perHour-1): none while under the limit;
// when it turns an hour old, another may go.
const oldestCountedLink = `SELECT created_at
	FROM account_tokens
	WHERE user_id = ? AND purpose = ? AND created_at > ?
	ORDER BY created_at DESC
	OFFSET ? LIMIT 1`

// withinTheHour refuses a mailed link of purpose over perHour an hour
// (rate_limited, saying why, with the seconds until one may go: an hour
// said whatever the wait, a walk).
func (s *Store) withinTheHour(tx *gorm.DB, purpose domain.TokenPurpose, userID string, perHour int, why string) error {
	now := s.now()
	var oldest []time.Time
	if err := tx.Raw(oldestCountedLink, userID, purpose, now.Add(-time.Hour), perHour-1).Scan(&oldest).Error; err != nil {
		return err
	}
	if len(oldest) == 0 {
		return nil
	}
	wait := int(math.Ceil(oldest[0].Add(time.Hour).Sub(now).Seconds()))
	return &domain.Error{Code: domain.CodeRateLimited, Message: why, RetryAfter: max(wait, 1)}
}

const setPassword = `UPDATE users
	SET password_hash = ?
	WHERE id = ?`

const useAccountTokens = `UPDATE account_tokens
	SET used_at = now()
	WHERE user_id = ? AND purpose = ? AND used_at IS NULL`

// spendAccountTokens spends the user's reset links and a change of address
// waiting for its link: what a new password ends.
func spendAccountTokens(tx *gorm.DB, userID string) error {
	for _, p := range []domain.TokenPurpose{domain.TokenPasswordReset, domain.TokenChangeEmail} {
		if err := tx.Exec(useAccountTokens, userID, string(p)).Error; err != nil {
			return err
		}
	}
	return nil
}

const clearSignInFailuresOfUser = `DELETE FROM sign_in_failures
	WHERE key = (SELECT 'a:' || encode(sha256(convert_to(email, 'UTF8')), 'hex') FROM users WHERE id = ?)`

// ResetPassword spends a reset token, sets the new password hash and
// revokes every session of the user. The reset proves the mailbox, so the
// address counts as verified too (unless its server refused mail after the
// link was mailed: proveAddress), and it lifts the sign-in throttle of the
// account (its failures are forgotten: the owner chose a new password, the
// guesses were at the old one). Errors: validation_failed on token.
func (s *Store) ResetPassword(ctx context.Context, tokenHash, passwordHash string) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		t, err := s.spendToken(tx, domain.TokenPasswordReset, tokenHash)
		if err != nil {
			return err
		}
		uid := t.UserID
		if err := tx.Exec(setPassword, passwordHash, uid).Error; err != nil {
			return err
		}
		if err := tx.Exec(proveAddress, s.now(), uid, t.CreatedAt).Error; err != nil {
			return err
		}
		// The throttle's key is "a:" and the SHA-256 of the normalised address
		// (app.SignIn); users.email is stored normalised.
		if err := tx.Exec(clearSignInFailuresOfUser, uid).Error; err != nil {
			return err
		}
		// Other reset links sent before stop working with this one, and so
		// does a change of address asked for: the owner who feared a
		// takeover resets the password, and the thief's new address never
		// takes over (the notice of the change says so).
		if err := spendAccountTokens(tx, uid); err != nil {
			return err
		}
		if err := s.mailSecurityNotice(ctx, tx, uid, "password_reset"); err != nil {
			return err
		}
		return revokeSessions(tx, uid, "")
	}))
}

// mailSecurityNotice queues the owner's notice of a change to the
// account's sign-in (domain.SecurityNoticeData), from the request's client;
// extra adds to what it says (the new address of a change of address).
func (s *Store) mailSecurityNotice(ctx context.Context, tx *gorm.DB, userID, change string, extra ...string) error {
	now := s.now()
	d := domain.SecurityNoticeData(change, now, domain.ClientOf(ctx))
	for i := 0; i+1 < len(extra); i += 2 {
		d[extra[i]] = extra[i+1]
	}
	return s.enqueue(tx, MailJob(domain.MailSecurityNotice, userID, d,
		fmt.Sprintf("%s:%s:%s:%d", domain.MailSecurityNotice, change, userID, now.UnixNano())))
}

const setPasswordHash = `UPDATE users
	SET password_hash = ?
	WHERE id = ? AND password_hash = ?`

// ChangePassword replaces the hash the caller's current password was
// checked against (was) with passwordHash, spends the reset links mailed
// before (whoever read one could otherwise undo the change) and revokes
// every session but keepSession (the caller's own). A change committed
// meanwhile refuses it: current_password is no longer right, or (from
// another session) the caller was signed out.
func (s *Store) ChangePassword(ctx context.Context, userID, was, passwordHash, keepSession string) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		return s.changePassword(ctx, tx, userID, was, passwordHash, keepSession, "password_changed")
	}))
}

// changePassword is ChangePassword within tx; the owner's notice says
// change (domain.SecurityNoticeData).
func (s *Store) changePassword(ctx context.Context, tx *gorm.DB, userID, was, passwordHash, keepSession, change string) error {
	if err := holdSignIn(tx, userID, keepSession); err != nil {
		return err
	}
	res := tx.Exec(setPasswordHash, passwordHash, userID, was)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return domain.FieldError("current_password", domain.ReasonWrongPassword)
	}
	if err := spendAccountTokens(tx, userID); err != nil {
		return err
	}
	if err := s.mailSecurityNotice(ctx, tx, userID, change); err != nil {
		return err
	}
	return revokeSessions(tx, userID, keepSession)
}

// PasswordHash returns the user's password hash. Errors: not_found.
func (s *Store) PasswordOf(ctx context.Context, userID string) (email, hash string, err error) {
	var u userRow
	err = s.db.WithContext(ctx).Select("email", "password_hash").Where("id = ?", userID).Take(&u).Error
	return u.Email, u.PasswordHash, translate(err)
}

const revokeOtherSessions = `UPDATE refresh_tokens
	SET revoked_at = now()
	WHERE user_id = ? AND revoked_at IS NULL AND family_id::text <> ?`

// revokeSessions revokes every refresh-token family of the user except
// keep. Access tokens of those sessions stop working too: Caller refuses a
// token whose session is revoked.
func revokeSessions(tx *gorm.DB, userID, keep string) error {
	return tx.Exec(revokeOtherSessions, userID, keep).Error
}
