package postgres

import (
	"context"
	"regexp"
	"time"

	"github.com/lib/pq"
	"gorm.io/gorm"

	"github.com/gradzone/gradzone/internal/domain"
)

// userRow is a row of users.
type userRow struct {
	ID           string `gorm:"primaryKey;default:gen_random_uuid()"`
	Role         string
	Email        string
	PasswordHash string
	Name         string
	EmployerID   *string
	ZoneCode     *string
	ProvinceCode *string
	CreatedAt    time.Time `gorm:"default:now()"`
	// The privacy notice accepted at registration, and when (staff: none).
	PrivacyNoticeVersion *string
	PrivacyConsentAt     *time.Time
	// EmailVerifiedAt is when the address was proved (nil: not yet).
	EmailVerifiedAt *time.Time
	// MailLanguage is the language mail puts first (empty: the column's zh).
	MailLanguage string `gorm:"default:zh"`
	// DisabledAt is when an operator disabled the account (nil: it is not).
	DisabledAt *time.Time
}

// verification sets how a new account starts: with a verification token
// (a sign-up, which must prove its address) it starts unverified; without
// (the demo seed, imports and staff accounts, whose addresses the person
// making them vouches for) it starts verified.
func (s *Store) verification(u *userRow, t *domain.AccountToken) {
	if t == nil {
		now := s.now()
		u.EmailVerifiedAt = &now
	}
}

// sendVerification stores the sign-up's verification token and queues its
// mail, in the transaction that made the account.
func (s *Store) sendVerification(tx *gorm.DB, u userRow, t *domain.AccountToken) error {
	if t == nil {
		return nil
	}
	return s.insertToken(tx, u.ID, u.Email, *t, domain.MailVerifyEmail, "")
}

// consented returns the consent columns of a registration made now.
func (s *Store) consented() (*string, *time.Time) {
	v, at := domain.PrivacyNoticeVersion, s.now()
	return &v, &at
}

func (userRow) TableName() string { return "users" }

func (r userRow) toDomain() domain.User {
	return domain.User{ID: r.ID, Role: domain.Role(r.Role), Email: r.Email, Name: r.Name, Disabled: r.DisabledAt != nil}
}

type graduateRow struct {
	UserID           string `gorm:"primaryKey"`
	University       string
	Degree           string
	Major            string
	GraduationYear   int
	Phone            *string
	PreferredCities  pq.StringArray `gorm:"type:text[]"`
	Skills           pq.StringArray `gorm:"type:text[]"`
	Statement        string
	ResumeFile       *string
	ResumeUploadedAt *time.Time
	UpdatedAt        time.Time `gorm:"default:now()"`
}

func (graduateRow) TableName() string { return "graduates" }

func (r graduateRow) toDomain() domain.Graduate {
	g := domain.Graduate{
		UserID: r.UserID, University: r.University, Degree: r.Degree, Major: r.Major,
		GraduationYear: r.GraduationYear, PreferredCities: nonNil(r.PreferredCities), Skills: nonNil(r.Skills),
		Statement: r.Statement, HasResume: r.ResumeFile != nil, ResumeUploaded: r.ResumeUploadedAt,
	}
	if r.Phone != nil {
		g.Phone = *r.Phone
	}
	return g
}

func nonNil(a []string) []string {
	if a == nil {
		return []string{}
	}
	return a
}

type employerRow struct {
	ID           string `gorm:"primaryKey;default:gen_random_uuid()"`
	Name         string
	CreditCode   string
	Type         string
	Size         string
	Industry     string
	ProvinceCode string
	ZoneCode     *string
	Status       string `gorm:"default:pending"`
	VerifiedAt   *time.Time
	VerifiedBy   *string
	CreatedAt    time.Time `gorm:"default:now()"`
	UpdatedAt    time.Time `gorm:"default:now()"`
	ReturnReason *string
	ReturnedAt   *time.Time
}

func (employerRow) TableName() string { return "employers" }

func (r employerRow) toDomain() domain.Employer {
	return domain.Employer{ID: r.ID, OrgDetails: domain.OrgDetails{Name: r.Name, CreditCode: r.CreditCode, Type: r.Type, Size: r.Size,
		Industry: r.Industry, ProvinceCode: r.ProvinceCode}, ZoneCode: r.ZoneCode, Status: r.Status,
		VerifiedAt: r.VerifiedAt, CreatedAt: r.CreatedAt, ReturnReason: deref(r.ReturnReason), ReturnedAt: r.ReturnedAt}
}

// CreateGraduate creates a graduate account and profile.
// Errors: email_taken.
func (s *Store) CreateGraduate(ctx context.Context, r domain.GraduateRegistration, passwordHash string) (domain.User, error) {
	u := userRow{Role: string(domain.RoleGraduate), Email: r.Email, PasswordHash: passwordHash, Name: r.Name,
		MailLanguage: r.Language}
	if r.Consent {
		u.PrivacyNoticeVersion, u.PrivacyConsentAt = s.consented()
	}
	s.verification(&u, r.Verify)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&u).Error; err != nil {
			return err
		}
		if err := tx.Create(&graduateRow{UserID: u.ID, University: r.University, Degree: r.Degree, Major: r.Major,
			GraduationYear: r.GraduationYear, PreferredCities: pq.StringArray{}, Skills: pq.StringArray{}}).Error; err != nil {
			return err
		}
		return s.sendVerification(tx, u, r.Verify)
	})
	return u.toDomain(), translate(err)
}

// abandonedRegistration finds a registration under a credit code that was
// never verified and whose every account was erased: an account walk
// erased its one account, and its company could never register again.
const abandonedRegistration = `SELECT e.id
	FROM employers e
	WHERE e.credit_code = ? AND e.status = 'pending'
		AND NOT EXISTS (SELECT 1 FROM users u WHERE u.employer_id = e.id AND u.deleted_at IS NULL)
	FOR UPDATE`

// restateRegistration takes an abandoned registration over, unless an
// account of it came to life meanwhile: a sign-up that waited on the row
// lock rereads the users here (its SELECT … FOR UPDATE rechecked the row
// with its old view of them, and two sign-ups at once both took it over).
const restateRegistration = `UPDATE employers e
	SET name = ?, type = ?, size = ?, industry = ?, province_code = ?, zone_code = ?,
		return_reason = NULL, returned_at = NULL, created_at = now(), updated_at = now()
	WHERE e.id = ? AND e.status = 'pending'
		AND NOT EXISTS (SELECT 1 FROM users u WHERE u.employer_id = e.id AND u.deleted_at IS NULL)`

// CreateEmployerAccount creates an employer organisation (pending) and its
// first user; an abandoned registration of the same credit code is taken
// over, its details replaced by these (abandonedRegistration). Errors:
// email_taken, credit_code_taken, validation_failed when the province or
// zone is unknown or the zone is in another province.
func (s *Store) CreateEmployerAccount(ctx context.Context, r domain.EmployerRegistration, passwordHash string) (domain.User, domain.Employer, error) {
	e := employerRow{Name: r.Organisation.Name, CreditCode: r.CreditCode, Type: r.Type, Size: r.Size, Industry: r.Industry,
		ProvinceCode: r.ProvinceCode, Status: domain.EmployerPending}
	var u userRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.checkPlace(tx, r.ProvinceCode, r.ZoneCode, "employer."); err != nil {
			return err
		}
		if r.ZoneCode != "" {
			e.ZoneCode = &r.ZoneCode
		}
		var abandoned []string
		if err := tx.Raw(abandonedRegistration, r.CreditCode).Scan(&abandoned).Error; err != nil {
			return err
		}
		taken := false
		var before employerRow
		if len(abandoned) > 0 {
			if err := tx.Where("id = ?", abandoned[0]).Take(&before).Error; err != nil {
				return err
			}
			res := tx.Exec(restateRegistration, e.Name, e.Type, e.Size, e.Industry, e.ProvinceCode, e.ZoneCode, abandoned[0])
			if res.Error != nil {
				return res.Error
			}
			if taken = res.RowsAffected == 1; taken {
				if err := tx.Where("id = ?", abandoned[0]).Take(&e).Error; err != nil {
					return err
				}
			}
		}
		// Not taken over: a new organisation, or credit_code_taken.
		if !taken {
			if err := tx.Create(&e).Error; err != nil {
				return err
			}
		}
		u = userRow{Role: string(domain.RoleEmployer), Email: r.Email, PasswordHash: passwordHash, Name: r.Name,
			EmployerID: &e.ID, MailLanguage: r.Language}
		if r.Consent {
			u.PrivacyNoticeVersion, u.PrivacyConsentAt = s.consented()
		}
		s.verification(&u, r.Verify)
		if err := tx.Create(&u).Error; err != nil {
			return err
		}
		if taken {
			// Its reviewers read who took it over and what it states now (a
			// verify walk found no trace of it).
			now := e.toDomain()
			if err := audit(ctx, tx, auditEntry{Kind: "employer.registered_again", ActorID: u.ID, EntityType: "employer", EntityID: e.ID,
				ZoneCode: deref(now.ZoneCode), ProvinceCode: now.ProvinceCode,
				Before: organisationFields(before.toDomain()), After: organisationFields(now)}); err != nil {
				return err
			}
		}
		return s.sendVerification(tx, u, r.Verify)
	})
	if err != nil {
		return domain.User{}, domain.Employer{}, translate(err)
	}
	return u.toDomain(), e.toDomain(), nil
}

// checkPlace checks that the province exists and the zone, if given, lies in it.
func (s *Store) checkPlace(tx *gorm.DB, province, zone, prefix string) error {
	problems, err := placeProblems(tx, province, zone, prefix)
	if err != nil || len(problems) == 0 {
		return err
	}
	return &domain.Error{Code: domain.CodeValidation, Message: "some fields are invalid", Fields: problems}
}

// PlaceProblems names what is wrong with a province and zone (prefix
// starts the field names): an unknown province, an unknown zone, a zone of
// another province. None: the place is right.
func (s *Store) PlaceProblems(ctx context.Context, province, zone, prefix string) (map[string]string, error) {
	problems, err := placeProblems(s.db.WithContext(ctx), province, zone, prefix)
	return problems, translate(err)
}

func placeProblems(tx *gorm.DB, province, zone, prefix string) (map[string]string, error) {
	problems := map[string]string{}
	var n int64
	if err := tx.Table("provinces").Where("code = ?", province).Count(&n).Error; err != nil {
		return nil, err
	}
	if n == 0 {
		problems[prefix+"province_code"] = "unknown province"
	}
	if zone == "" {
		return problems, nil
	}
	var zp string
	if err := tx.Table("zones").Select("province_code").Where("code = ?", zone).Scan(&zp).Error; err != nil {
		return nil, err
	}
	switch {
	case zp == "":
		problems[prefix+"zone_code"] = "unknown zone"
	case n > 0 && zp != province:
		problems[prefix+"zone_code"] = "zone is not in that province"
	}
	return problems, nil
}

// CreateStaff creates a zone, province or ministry account (the seed's and
// the tests' fixtures': no audit line). A zone admin's province is its
// zone's. Errors: email_taken, validation_failed.
func (s *Store) CreateStaff(ctx context.Context, a domain.StaffAccount, passwordHash string) (domain.User, error) {
	return s.createStaff(ctx, a, passwordHash, false)
}

// CreateStaffByOperator is CreateStaff for `gradzone user create`, with
// its audit line (user.created, the account's role) in the account's zone
// and province, naming the operator in ctx.
func (s *Store) CreateStaffByOperator(ctx context.Context, a domain.StaffAccount, passwordHash string) (domain.User, error) {
	return s.createStaff(ctx, a, passwordHash, true)
}

func (s *Store) createStaff(ctx context.Context, a domain.StaffAccount, passwordHash string, audited bool) (domain.User, error) {
	u := userRow{Role: string(a.Role), Email: a.Email, PasswordHash: passwordHash, Name: a.Name}
	s.verification(&u, nil)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		switch info, _ := a.Role.Info(); {
		case info.NeedsZone:
			var zp string
			if err := tx.Table("zones").Select("province_code").Where("code = ?", a.ZoneCode).Scan(&zp).Error; err != nil {
				return err
			}
			if zp == "" {
				return domain.FieldError("zone", "unknown zone")
			}
			u.ZoneCode, u.ProvinceCode = &a.ZoneCode, &zp
		case info.NeedsProvince:
			if err := s.checkPlace(tx, a.ProvinceCode, "", ""); err != nil {
				return domain.FieldError("province", "unknown province")
			}
			u.ProvinceCode = &a.ProvinceCode
		}
		if err := tx.Create(&u).Error; err != nil || !audited {
			return err
		}
		return auditStaff(ctx, tx, domain.AuditStaffCreated, staffAccountRow{ID: u.ID, ZoneCode: u.ZoneCode, ProvinceCode: u.ProvinceCode},
			nil, map[string]any{"role": u.Role})
	})
	return u.toDomain(), translate(err)
}

// Credentials returns the user with the email and its password hash.
// Errors: not_found.
func (s *Store) Credentials(ctx context.Context, email string) (domain.User, string, error) {
	var u userRow
	err := s.db.WithContext(ctx).Where("email = ?", email).Take(&u).Error
	return u.toDomain(), u.PasswordHash, translate(err)
}

// User returns a user by ID. Errors: not_found.
func (s *Store) User(ctx context.Context, id string) (domain.User, error) {
	var u userRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&u).Error
	return u.toDomain(), translate(err)
}

// uuidShape is a UUID in its text form.
var uuidShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// sessionUUID is the session ID as the family_id column's type, or NULL
// when there is none: compared as a uuid, the check uses the family index
// (every signed-in request runs it) instead of reading every refresh token.
func sessionUUID(sid string) *string {
	if !uuidShape.MatchString(sid) {
		return nil
	}
	return &sid
}

// callerOfSession is a live user's role and scope, and whether the access
// token (jti) or its session (refresh-token family) was revoked. A disabled
// account is no live user.
const callerOfSession = `SELECT u.role, u.employer_id, u.zone_code, u.province_code,
	EXISTS (SELECT 1 FROM revoked_access_tokens r WHERE r.jti = ?)
	OR ` + sessionRevoked + `
	AS revoked
	FROM users u
	WHERE u.id = ? AND u.deleted_at IS NULL AND u.disabled_at IS NULL`

// Caller resolves the signed-in user of an access token: its role and scope.
// A revoked jti, a revoked session (sid: its refresh-token family, revoked
// by sign-out, a password change or reset, or reuse of a refresh token), a
// deleted (or erased) user or a disabled one gives unauthenticated.
func (s *Store) Caller(ctx context.Context, userID, jti, sid string) (domain.Caller, error) {
	var row struct {
		Role         string
		EmployerID   *string
		ZoneCode     *string
		ProvinceCode *string
		Revoked      bool
	}
	err := s.db.WithContext(ctx).Raw(callerOfSession, jti, sessionUUID(sid), userID).Scan(&row).Error
	if err != nil {
		return domain.Caller{}, translate(err)
	}
	if row.Role == "" || row.Revoked {
		return domain.Caller{}, domain.ErrUnauthenticated
	}
	c := domain.Caller{UserID: userID, Role: domain.Role(row.Role)}
	if row.EmployerID != nil {
		c.EmployerID = *row.EmployerID
	}
	if row.ZoneCode != nil {
		c.ZoneCode = *row.ZoneCode
	}
	if row.ProvinceCode != nil {
		c.ProvinceCode = *row.ProvinceCode
	}
	return c, nil
}

// mailStateOfUser is whether the address is proved, and when its server
// last refused it for good, if it did since.
const mailStateOfUser = `SELECT email_verified_at IS NOT NULL AS email_verified, mail_refused_at, coalesce(mail_refused_reply, '') AS mail_refused_reply
	FROM users
	WHERE id = ?`

type mailStateRow struct {
	EmailVerified    bool
	MailRefusedAt    *time.Time
	MailRefusedReply string
}

const provinceByCode = `SELECT code, name_zh, name_en
	FROM provinces
	WHERE code = ?`

// Me returns the caller's account with its employer, graduate profile, zone
// or province.
func (s *Store) Me(ctx context.Context, c domain.Caller) (domain.Me, error) {
	u, err := s.User(ctx, c.UserID)
	if err != nil {
		return domain.Me{}, err
	}
	me := domain.Me{User: u}
	db := s.db.WithContext(ctx)
	var mail mailStateRow
	if err := db.Raw(mailStateOfUser, c.UserID).Scan(&mail).Error; err != nil {
		return me, translate(err)
	}
	me.EmailVerified = mail.EmailVerified
	if mail.MailRefusedAt != nil {
		me.MailRefused = &domain.MailRefusal{At: *mail.MailRefusedAt, Reply: mail.MailRefusedReply}
	}
	if me.EmailChange, err = s.emailChangeOf(db, c.UserID); err != nil {
		return me, translate(err)
	}
	if me.EmailChangeRefused, err = s.emailChangeRefusalOf(db, c.UserID); err != nil {
		return me, translate(err)
	}
	switch c.Role {
	case domain.RoleEmployer:
		e, err := s.employer(db, c.EmployerID)
		if err != nil {
			return me, err
		}
		me.Employer = &e
	case domain.RoleGraduate:
		var g graduateRow
		if err := db.Where("user_id = ?", c.UserID).Take(&g).Error; err != nil {
			return me, translate(err)
		}
		gd := g.toDomain()
		placed, err := s.PlacedThisYear(ctx, c.UserID, domain.DateOf(s.now()).Year)
		if err != nil {
			return me, err
		}
		gd.PlacedThisYear = placed
		me.Graduate = &gd
	}
	if c.Level() == domain.LevelZone {
		z, err := s.Zone(ctx, c.ZoneCode)
		if err != nil {
			return me, err
		}
		me.Zone = &z
	}
	if c.ProvinceCode != "" {
		var p domain.Province
		if err := db.Raw(provinceByCode, c.ProvinceCode).Scan(&p).Error; err != nil {
			return me, translate(err)
		}
		me.Province = &p
	}
	return me, nil
}

func (s *Store) employer(db *gorm.DB, id string) (domain.Employer, error) {
	var e employerRow
	if err := db.Where("id = ?", id).Take(&e).Error; err != nil {
		return domain.Employer{}, translate(err)
	}
	return e.toDomain(), nil
}

const insertRefreshFamily = `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at, client, ip)
	VALUES (?, gen_random_uuid(), ?, ?, ?, ?)
	RETURNING family_id`

const touchLastActive = `UPDATE users
	SET last_active_at = ?
	WHERE id = ? AND last_active_at < ?`

// touchActive records that the user signed in, refreshed a session or
// applied now: the résumé retention job measures inactivity from it. It
// writes at most once an hour per user (a retention counted in months needs
// no finer clock, and every refresh would otherwise rewrite the user's row).
func touchActive(tx *gorm.DB, userID string, now time.Time) error {
	return tx.Exec(touchLastActive, now, userID, now.Add(-time.Hour)).Error
}

// deviceIsNew is true when the user has signed in before (any token) and
// no token of theirs since ? came from client ?.
const deviceIsNew = `SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE user_id = ?)
	AND NOT EXISTS (SELECT 1 FROM refresh_tokens WHERE user_id = ? AND client = ? AND created_at > ?)`

// StartSession stores a new refresh token (hash) starting a new family and
// returns the family's ID, which names the session in its access tokens.
// A sign-in from a device new to the account (domain.NewDeviceAfter) mails
// its owner a security notice.
func (s *Store) StartSession(ctx context.Context, userID, tokenHash string, expires time.Time, client domain.Client) (string, error) {
	var family string
	name, ip := client.Summary() // short names from a fixed table: within the columns' limits
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		var isNew bool
		if err := tx.Raw(deviceIsNew, userID, userID, name, now.Add(-domain.NewDeviceAfter)).Scan(&isNew).Error; err != nil {
			return err
		}
		if err := tx.Raw(insertRefreshFamily, userID, tokenHash, expires, name, ip).Scan(&family).Error; err != nil {
			return err
		}
		if isNew {
			if err := s.mailSecurityNotice(ctx, tx, userID, "new_sign_in"); err != nil {
				return err
			}
		}
		return touchActive(tx, userID, now)
	})
	return family, translate(err)
}

const refreshTokenForUpdate = `SELECT id, user_id, family_id, expires_at, used_at, revoked_at,
	(SELECT min(f.created_at) FROM refresh_tokens f WHERE f.family_id = r.family_id) AS started_at,
	(SELECT u.disabled_at IS NOT NULL FROM users u WHERE u.id = r.user_id) AS disabled
	FROM refresh_tokens r
	WHERE token_hash = ?
	FOR UPDATE`

const revokeRefreshFamily = `UPDATE refresh_tokens
	SET revoked_at = now()
	WHERE family_id = ? AND revoked_at IS NULL`

const insertRefreshInFamily = `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at, client, ip)
	VALUES (?, ?, ?, ?, ?, ?)`

const spendRefreshToken = `UPDATE refresh_tokens
	SET used_at = now()
	WHERE id = ?`

// RotateRefresh spends the refresh token with oldHash and stores newHash as
// its successor in the same family. A token already used revokes its family
// (the revocation is committed) and returns domain.ErrRefreshReused; an unknown,
// expired or revoked one, or one of a disabled account, returns unauthenticated. It returns the user and
// the family (session) ID.
func (s *Store) RotateRefresh(ctx context.Context, oldHash, newHash string, expires time.Time, client domain.Client) (domain.User, string, error) {
	var userID, family string
	name, ip := client.Summary() // short names from a fixed table: within the columns' limits
	var reused bool
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var t struct {
			ID        string
			UserID    string
			FamilyID  string
			ExpiresAt time.Time
			UsedAt    *time.Time
			RevokedAt *time.Time
			StartedAt time.Time
			Disabled  bool
		}
		// FOR UPDATE serialises two concurrent uses of one token: the second
		// sees used_at set and is treated as reuse. started_at is the
		// sign-in that began the family (its first token).
		if err := tx.Raw(refreshTokenForUpdate, oldHash).Scan(&t).Error; err != nil {
			return err
		}
		end := t.StartedAt.Add(domain.SessionMaxAge)
		switch {
		case t.ID == "" || t.RevokedAt != nil || t.Disabled || s.now().After(t.ExpiresAt) || !s.now().Before(end):
			return domain.ErrUnauthenticated
		case t.UsedAt != nil:
			reused = true
			return tx.Exec(revokeRefreshFamily, t.FamilyID).Error
		}
		userID, family = t.UserID, t.FamilyID
		if err := tx.Exec(spendRefreshToken, t.ID).Error; err != nil {
			return err
		}
		// The successor lives the idle timeout, but not past the session's
		// absolute end.
		if expires.After(end) {
			expires = end
		}
		if err := tx.Exec(insertRefreshInFamily, t.UserID, t.FamilyID, newHash, expires, name, ip).Error; err != nil {
			return err
		}
		return touchActive(tx, t.UserID, s.now())
	})
	if err != nil {
		return domain.User{}, "", translate(err)
	}
	if reused {
		return domain.User{}, "", domain.ErrRefreshReused
	}
	u, err := s.User(ctx, userID)
	return u, family, err
}

const revokeAccessToken = `INSERT INTO revoked_access_tokens (jti, expires_at)
	VALUES (?, ?)
	ON CONFLICT DO NOTHING`

const revokeUserSession = `UPDATE refresh_tokens
	SET revoked_at = now()
	WHERE revoked_at IS NULL AND family_id::text = ? AND user_id = ?`

const revokeSessionOfRefreshToken = `UPDATE refresh_tokens
	SET revoked_at = now()
	WHERE revoked_at IS NULL
	AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ? AND user_id = ?)`

const deleteExpiredAccessRevocations = `DELETE FROM revoked_access_tokens
	WHERE expires_at < now()`

// EndSession revokes the session's refresh-token family — named by
// sessionID (the access token's session) or found from refreshHash, each
// only if it belongs to the user — and the access token's jti until it
// would have expired anyway.
func (s *Store) EndSession(ctx context.Context, userID, refreshHash, sessionID, jti string, accessExpires time.Time) error {
	return translate(s.tx(ctx, func(tx *gorm.DB) error {
		if sessionID != "" {
			if err := tx.Exec(revokeUserSession, sessionID, userID).Error; err != nil {
				return err
			}
		}
		if refreshHash != "" {
			if err := tx.Exec(revokeSessionOfRefreshToken, refreshHash, userID).Error; err != nil {
				return err
			}
		}
		// Old revocations are useless once the token has expired; prune them here.
		if err := tx.Exec(deleteExpiredAccessRevocations).Error; err != nil {
			return err
		}
		return tx.Exec(revokeAccessToken, jti, accessExpires).Error
	}))
}
