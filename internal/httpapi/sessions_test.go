package httpapi_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/qr"
	"github.com/gradzone/gradzone/internal/testutil"
)

// TestSessionLifetime: a session (refresh chain) ends after
// domain.SessionIdle without a refresh and, however active, after
// domain.SessionMaxAge from its sign-in (issue 12 item 5).
func TestSessionLifetime(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	db := testutil.SQL(t, a.DBURL)
	refresh := func(tok string, want int) string {
		t.Helper()
		r := a.Must(want, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tok})
		if want != http.StatusOK {
			return ""
		}
		return r.JSON()["refresh_token"].(string)
	}
	at := func(d time.Duration) { a.Server.Store.SetClock(func() time.Time { return time.Now().Add(d) }) }
	defer a.Server.Store.SetClock(time.Now)

	// Idle: a refresh token works for the idle timeout, not longer; each
	// refresh starts the timeout again.
	var expires time.Time
	expiry := func(tok string) time.Time {
		db.QueryRow(`SELECT expires_at FROM refresh_tokens WHERE token_hash = $1`, auth.HashRefreshToken(tok)).Scan(&expires)
		return expires
	}
	at(domain.SessionIdle - time.Hour)
	tok := refresh(g.Refresh, http.StatusOK)
	if d := time.Until(expiry(tok)) - domain.SessionIdle; d < -time.Minute || d > time.Minute {
		t.Errorf("a refresh token lives %v, want the idle timeout %v", time.Until(expires), domain.SessionIdle)
	}
	at(domain.SessionIdle + time.Hour)
	refresh(tok, http.StatusUnauthorized)

	// Absolute: a session signed in 29 days ago gets a successor expiring
	// at day 30, not 7 days on; one signed in 31 days ago ends.
	at(0)
	s := a.Login(g.Email)
	started := time.Now().Add(-29 * 24 * time.Hour)
	db.Exec(`UPDATE refresh_tokens SET created_at = $1 WHERE user_id = $2`, started, g.ID)
	tok = refresh(s.Refresh, http.StatusOK)
	if end := started.Add(domain.SessionMaxAge); expiry(tok).After(end.Add(time.Second)) {
		t.Errorf("successor expires %v, after the session's end %v", expires, end)
	}
	db.Exec(`UPDATE refresh_tokens SET created_at = now() - interval '31 days' WHERE user_id = $1`, g.ID)
	refresh(tok, http.StatusUnauthorized)
}

// sessionList is GET /me/sessions decoded.
type sessionList struct {
	Items []domain.SessionInfo `json:"items"`
}

// A probe: a 401 named no scheme, so a client could not tell "refresh and
// retry" from "sign in". Every 401 carries WWW-Authenticate (RFC 9110
// §11.6.1): Bearer, and error="invalid_token" when the token sent was
// refused (RFC 6750 §3).
func TestUnauthenticatedNamesTheScheme(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	for _, c := range []struct {
		token, want string
	}{
		{"", `Bearer realm="gradzone"`},
		{"not-a-token", `Bearer realm="gradzone", error="invalid_token"`},
		{g.Token + "x", `Bearer realm="gradzone", error="invalid_token"`},
	} {
		if got := a.Must(http.StatusUnauthorized, "GET", "/api/v1/me", c.token, nil).Header.Get("WWW-Authenticate"); got != c.want {
			t.Errorf("token %.12q: WWW-Authenticate %q, want %q", c.token, got, c.want)
		}
	}
	r := a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "", map[string]string{"email": g.Email, "password": "wrong password"})
	if got := r.Header.Get("WWW-Authenticate"); got != `Bearer realm="gradzone"` {
		t.Errorf("a refused sign-in: WWW-Authenticate %q", got)
	}
	// A refused refresh token with a stale access token attached is not
	// "refresh, then retry": that would loop (a review).
	r = a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/refresh", g.Token+"x", map[string]string{"refresh_token": "not-a-refresh-token"})
	if got := r.Header.Get("WWW-Authenticate"); got != `Bearer realm="gradzone"` {
		t.Errorf("a refused refresh: WWW-Authenticate %q", got)
	}
}

// TestSessionsListAndRevoke: the user lists its sessions (each sign-in,
// with its client and masked address, its own marked current), signs one
// out — that session's refresh and access tokens stop working — and then
// every other; another user's session is 404 (issue 12 item 5).
func TestSessionsListAndRevoke(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate()
	phoneUA := "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
	var phone domain.Session
	a.Must(200, "POST", "/api/v1/auth/login", "", map[string]string{"email": g.Email, "password": testutil.Password},
		"User-Agent", phoneUA).Decode(t, &phone)
	laptop := a.Login(g.Email)
	list := func(tok string) []domain.SessionInfo {
		t.Helper()
		var l sessionList
		a.Must(200, "GET", "/api/v1/me/sessions", tok, nil).Decode(t, &l)
		return l.Items
	}
	got := list(laptop.Token)
	if len(got) != 3 { // registration, phone, laptop
		t.Fatalf("%d sessions, want 3: %+v", len(got), got)
	}
	var current, onPhone *domain.SessionInfo
	for i, s := range got {
		if s.Current {
			current = &got[i]
		}
		if s.Client == "Chrome · Android" {
			onPhone = &got[i]
		}
		if s.IP != "127.0.0.*" || s.CreatedAt.IsZero() || s.LastUsedAt.Before(s.CreatedAt) {
			t.Errorf("session %+v: want the masked address 127.0.0.* and its times", s)
		}
	}
	if current == nil || current.ID != got[0].ID {
		t.Fatalf("the caller's session is not the current, most recent one: %+v", got)
	}
	if onPhone == nil || onPhone.Current {
		t.Fatalf("the phone's session is not listed with its client: %+v", got)
	}

	// Another user neither sees nor ends it.
	other := a.Graduate()
	for _, s := range list(other.Token) {
		if s.ID == onPhone.ID {
			t.Fatal("another user lists the session")
		}
	}
	if r := a.Must(404, "DELETE", "/api/v1/me/sessions/"+onPhone.ID, other.Token, nil); r.ErrorCode() != "not_found" {
		t.Fatalf("another user's session: %s", r.Body)
	}
	a.Must(200, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": phone.RefreshToken})

	// Signing the phone out ends its chain and its access tokens; it is
	// gone from the list, and a second revocation is 404.
	phone2 := a.Login(g.Email)
	for _, s := range list(phone2.Token) {
		if s.Client == "Chrome · Android" {
			onPhone = &s
		}
	}
	a.Must(204, "DELETE", "/api/v1/me/sessions/"+onPhone.ID, laptop.Token, nil)
	a.Must(401, "GET", "/api/v1/me", phone.AccessToken, nil)
	a.Must(404, "DELETE", "/api/v1/me/sessions/"+onPhone.ID, laptop.Token, nil)
	if n := len(list(laptop.Token)); n != 3 { // registration, laptop, phone2
		t.Fatalf("%d sessions after signing one out, want 3", n)
	}

	// Bad IDs are 404, not 500.
	for _, id := range []string{"x", "00000000-0000-0000-0000-000000000000", "%27%3B--", "%ff"} {
		if r := a.Do("DELETE", "/api/v1/me/sessions/"+id, laptop.Token, nil); r.Status < 400 || r.Status > 499 {
			t.Errorf("DELETE session %q: %d", id, r.Status)
		}
	}

	// Sign out elsewhere: every other refresh token fails, the caller's
	// session goes on.
	a.Must(204, "POST", "/api/v1/me/sessions/revoke-others", laptop.Token, nil)
	for _, tok := range []string{g.Refresh, phone2.Refresh} {
		if r := a.Must(401, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tok}); r.ErrorCode() != "unauthenticated" {
			t.Fatalf("refresh of a session signed out elsewhere: %s", r.Body)
		}
	}
	a.Must(401, "GET", "/api/v1/me", phone2.Token, nil)
	if l := list(laptop.Token); len(l) != 1 || !l[0].Current {
		t.Fatalf("after signing out elsewhere: %+v", l)
	}
	a.Must(200, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": laptop.Refresh})
	// The other user's sessions are untouched.
	a.Must(200, "GET", "/api/v1/me", other.Token, nil)
}

// Two of a user's sessions changing the password at once: one change
// wins, the other is refused, and the password that signs in is the
// winner's. A replica probe found both answered 204, both sessions signed
// out and one "new" password never working. Two sessions signing every
// other out at once: one of them stays signed in (both were ended).
func TestSignInChangesAtOnce(t *testing.T) {
	a := testutil.NewApp(t)
	db := testutil.SQL(t, a.DBURL)
	// atOnce sends a request from each of two sessions of a new user, held
	// on the user's rows until both wait there, so that they overlap.
	atOnce := func(path string, bodies ...map[string]string) (sessions []testutil.Account, answers []testutil.Response) {
		g := a.Graduate()
		sessions = []testutil.Account{a.Login(g.Email), a.Login(g.Email)}
		answers = make([]testutil.Response, len(sessions))
		hold, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer hold.Rollback()
		for _, q := range []string{`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, `SELECT 1 FROM refresh_tokens WHERE user_id = $1 FOR UPDATE`} {
			if _, err := hold.Exec(q, g.ID); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		for i := range sessions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var body any
				if bodies != nil {
					body = bodies[i]
				}
				answers[i] = a.Do("POST", path, sessions[i].Token, body)
			}()
		}
		testutil.WaitForLockWaiters(t, db, len(sessions), "requests on the user's rows")
		hold.Rollback()
		wg.Wait()
		return sessions, answers
	}
	winner := func(what string, answers []testutil.Response) int {
		t.Helper()
		won := -1
		for i, r := range answers {
			switch {
			case r.Status == http.StatusNoContent && won < 0:
				won = i
			case r.Status == http.StatusNoContent:
				t.Fatalf("%s at once: both answered 204", what)
			case r.Status != http.StatusUnauthorized && r.Field("current_password") == "":
				t.Errorf("%s at once: %d %s", what, r.Status, r.Body) // refused: signed out, or the password changed
			}
		}
		if won < 0 {
			t.Fatalf("%s at once: neither won: %d %d", what, answers[0].Status, answers[1].Status)
		}
		return won
	}
	for trial := range 3 {
		passwords := []string{fmt.Sprintf("Trial-%d-first-Kestrel", trial), fmt.Sprintf("Trial-%d-second-Osprey", trial)}
		sessions, answers := atOnce("/api/v1/auth/password",
			map[string]string{"current_password": testutil.Password, "new_password": passwords[0]},
			map[string]string{"current_password": testutil.Password, "new_password": passwords[1]})
		won := winner("two password changes", answers)
		a.Must(http.StatusOK, "GET", "/api/v1/me", sessions[won].Token, nil)
		a.Must(http.StatusUnauthorized, "GET", "/api/v1/me", sessions[1-won].Token, nil)
		a.LoginWith(sessions[won].Email, passwords[won])
		a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "", map[string]string{"email": sessions[won].Email, "password": passwords[1-won]})

		sessions, answers = atOnce("/api/v1/me/sessions/revoke-others")
		won = winner("signing the others out", answers)
		a.Must(http.StatusOK, "GET", "/api/v1/me", sessions[won].Token, nil)
		a.Must(http.StatusUnauthorized, "GET", "/api/v1/me", sessions[1-won].Token, nil)
	}
}

// code is what an authenticator app shows for secret at t, computed by the
// library itself rather than by the code under test.
func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// otherCode is a six-digit code that is not the right one.
func otherCode(right string) string {
	var n int
	fmt.Sscanf(right, "%d", &n)
	return fmt.Sprintf("%06d", (n+1)%1000000)
}

func totpLogin(email, c string) map[string]string {
	return map[string]string{"email": email, "password": testutil.Password, "totp_code": c}
}

// Issue 12 item 5: staff turn on TOTP with a code of the new key; sign-in
// then needs a code (401 totp_required without, no tokens), a code is
// accepted once, a recovery code once; turning it off needs the password
// and a code.
func TestTOTPEnrolAndSignIn(t *testing.T) {
	a := testutil.NewApp(t)
	next := a.TOTPClock()
	now := a.Server.Accounts.Now()
	staff := a.ZoneAdmin("sichuan-chengdu")

	a.Must(http.StatusUnauthorized, "POST", "/api/v1/me/totp", "", nil)
	if st := a.Must(http.StatusOK, "GET", "/api/v1/me/totp", staff.Token, nil).JSON(); st["enabled"] != false {
		t.Fatalf("status before enrolling: %v", st)
	}
	if r := a.Must(http.StatusConflict, "POST", "/api/v1/me/totp/confirm", staff.Token, map[string]string{"code": "123456"}); r.ErrorCode() != "invalid_state" {
		t.Fatalf("confirm before enrolling: %s", r.Body)
	}

	var e domain.TOTPEnrolment
	a.Must(http.StatusCreated, "POST", "/api/v1/me/totp", staff.Token, nil).Decode(t, &e)
	if !strings.HasPrefix(e.URL, "otpauth://totp/") || !strings.Contains(e.URL, "secret="+e.Secret) {
		t.Fatalf("otpauth URL %q for secret %q", e.URL, e.Secret)
	}
	// The image is the URL's QR code as internal/qr draws it (whose own test
	// reads codes back with an independent decoder; ZXing's Go port misreads
	// about one random key in 300, so reading it here would make this test
	// flaky rather than stricter).
	png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(e.QR, "data:image/png;base64,"))
	want, _ := qr.PNG(e.URL)
	if err != nil || !bytes.Equal(png, want) {
		t.Fatalf("the QR image is not the URL's code (%v)", err)
	}
	// Not on yet: sign-in needs no code until a code confirms the key.
	a.Login(staff.Email)
	// The key is kept sealed, not as the base32 an app reads.
	var stored string
	if err := testutil.SQL(t, a.DBURL).QueryRow(`SELECT totp_secret FROM users WHERE id = $1`, staff.ID).Scan(&stored); err != nil ||
		stored == "" || strings.Contains(strings.ToUpper(stored), e.Secret) {
		t.Fatalf("stored secret %q (%v) is the plain key or missing", stored, err)
	}

	right := code(t, e.Secret, now)
	r := a.Must(http.StatusUnprocessableEntity, "POST", "/api/v1/me/totp/confirm", staff.Token, map[string]string{"code": otherCode(right)})
	if r.Field("code") != domain.ReasonWrongNewTOTP {
		t.Fatalf("wrong code: %s", r.Body)
	}
	var rc domain.RecoveryCodes
	a.Must(http.StatusOK, "POST", "/api/v1/me/totp/confirm", staff.Token, map[string]string{"code": right}).Decode(t, &rc)
	if len(rc.Codes) != domain.RecoveryCodeCount {
		t.Fatalf("recovery codes %v", rc.Codes)
	}
	a.Must(http.StatusConflict, "POST", "/api/v1/me/totp", staff.Token, nil)

	// Sign-in: the password alone is not enough, and says so distinctly.
	r = a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "", loginBody(staff.Email, testutil.Password))
	if r.ErrorCode() != "totp_required" || strings.Contains(string(r.Body), "access_token") {
		t.Fatalf("without a code: %s", r.Body)
	}
	// The code that confirmed the key was spent then: replay refused.
	if r := a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "", totpLogin(staff.Email, right)); r.ErrorCode() != "invalid_credentials" {
		t.Fatalf("replayed confirm code: %s", r.Body)
	}
	now = next()
	fresh := code(t, e.Secret, now)
	var s domain.Session
	a.Must(http.StatusOK, "POST", "/api/v1/auth/login", "", totpLogin(staff.Email, fresh)).Decode(t, &s)
	a.Must(http.StatusOK, "GET", "/api/v1/me", s.AccessToken, nil)
	// The same code again within its window: refused.
	a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "", totpLogin(staff.Email, fresh))
	// A wrong password with a good code is still a wrong password.
	now = next()
	a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "",
		map[string]string{"email": staff.Email, "password": "wrong-password-1", "totp_code": code(t, e.Secret, now)})

	// A recovery code works once, typed in capitals without its dash too.
	typed := strings.ToUpper(strings.ReplaceAll(rc.Codes[0], "-", ""))
	a.Must(http.StatusOK, "POST", "/api/v1/auth/login", "", totpLogin(staff.Email, typed))
	a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "", totpLogin(staff.Email, rc.Codes[0]))
	if st := a.Must(http.StatusOK, "GET", "/api/v1/me/totp", staff.Token, nil).JSON(); st["enabled"] != true || st["recovery_codes_left"] != float64(7) {
		t.Fatalf("status after one recovery code: %v", st)
	}

	// Off: the password and a code are both needed.
	now = next()
	off := map[string]string{"password": "wrong-password-1", "code": code(t, e.Secret, now)}
	if r := a.Must(http.StatusUnprocessableEntity, "DELETE", "/api/v1/me/totp", staff.Token, off); r.Field("password") == "" {
		t.Fatalf("wrong password: %s", r.Body)
	}
	off["password"], off["code"] = testutil.Password, otherCode(off["code"])
	if r := a.Must(http.StatusUnprocessableEntity, "DELETE", "/api/v1/me/totp", staff.Token, off); r.Field("code") != domain.ReasonWrongTOTP {
		t.Fatalf("wrong code: %s", r.Body)
	}
	off["code"] = rc.Codes[1]
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/me/totp", staff.Token, off)
	a.Must(http.StatusConflict, "DELETE", "/api/v1/me/totp", staff.Token, off)
	a.Login(staff.Email)
	var left int
	if err := testutil.SQL(t, a.DBURL).QueryRow(`SELECT count(*) FROM totp_recovery_codes WHERE user_id = $1`, staff.ID).Scan(&left); err != nil || left != 0 {
		t.Fatalf("recovery codes left after turning off: %d (%v)", left, err)
	}
	// Turning it on and off each queued the owner's security notice (a
	// review: only a password change was tested).
	if changes := securityNotices(t, a, staff.ID); !slices.Equal(changes, []string{"totp_on", "totp_off"}) {
		t.Errorf("security notices queued: %v", changes)
	}
}

// A sign-in from a device the account has not used for 90 days tells its
// owner: a mail audit found a stolen password that changed nothing went
// unnoticed. The registration's sign-in, and a device seen, do not.
func TestSignInFromANewDeviceIsNoticed(t *testing.T) {
	a := testutil.NewApp(t)
	g := a.Graduate() // signed in at registration, from Go's client
	phone := "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
	signIn := func(ua string) {
		t.Helper()
		a.Must(http.StatusOK, "POST", "/api/v1/auth/login", "", map[string]string{"email": g.Email, "password": testutil.Password}, "User-Agent", ua)
	}
	a.Login(g.Email)
	signIn(phone)
	signIn(phone)
	if changes := securityNotices(t, a, g.ID); !slices.Equal(changes, []string{"new_sign_in"}) {
		t.Fatalf("security notices after a new device's two sign-ins: %v", changes)
	}
	// A device last used more than 90 days ago is new again.
	if _, err := testutil.SQL(t, a.DBURL).Exec(`UPDATE refresh_tokens SET created_at = now() - interval '91 days'
		WHERE user_id = $1 AND client = 'Chrome · Android'`, g.ID); err != nil {
		t.Fatal(err)
	}
	signIn(phone)
	if changes := securityNotices(t, a, g.ID); !slices.Equal(changes, []string{"new_sign_in", "new_sign_in"}) {
		t.Fatalf("security notices after a sign-in from a device unused for 91 days: %v", changes)
	}
}

// securityNotices are the changes of the security notices queued for a
// user, in order.
func securityNotices(t *testing.T, a *testutil.App, userID string) []string {
	return testutil.Column[string](t, testutil.SQL(t, a.DBURL), `SELECT args->'mail'->'data'->>'change' FROM river_job
		WHERE kind = 'send_mail' AND args->'mail'->>'kind' = 'security_notice' AND args->'mail'->>'user_id' = $1 ORDER BY id`, userID)
}

// Employers and graduates may turn on two-step sign-in too: an employer's
// account reads applicants' phones and résumés, a graduate's holds their
// own. Once on, the password alone no longer signs them in.
func TestTOTPForEveryAccount(t *testing.T) {
	a := testutil.NewApp(t)
	next := a.TOTPClock()
	for _, acc := range []testutil.Account{a.VerifiedEmployer("51", "sichuan-chengdu"), a.Graduate()} {
		if st := a.Must(http.StatusOK, "GET", "/api/v1/me/totp", acc.Token, nil).JSON(); st["enabled"] != false {
			t.Fatalf("%s before enrolling: %v", acc.Email, st)
		}
		secret, _ := a.EnableTOTP(acc)
		if r := a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "", loginBody(acc.Email, testutil.Password)); r.ErrorCode() != "totp_required" {
			t.Fatalf("%s without a code: %s", acc.Email, r.Body)
		}
		next()
		a.Must(http.StatusOK, "POST", "/api/v1/auth/login", "", totpLogin(acc.Email, a.TOTPCode(secret)))
	}
}

// New recovery codes (a walk: the only way to more was turning two-step
// sign-in off and on) take the password and a code, as turning it off
// does; every earlier code stops working, and the owner is mailed.
func TestTOTPNewRecoveryCodes(t *testing.T) {
	a := testutil.NewApp(t)
	next := a.TOTPClock()
	g := a.Graduate()
	const path = "/api/v1/me/totp/recovery-codes"
	a.Must(http.StatusUnauthorized, "POST", path, "", map[string]string{"password": testutil.Password, "code": "123456"})
	if r := a.Must(http.StatusConflict, "POST", path, g.Token, map[string]string{"password": testutil.Password, "code": "123456"}); r.ErrorCode() != "invalid_state" {
		t.Fatalf("while off: %s", r.Body)
	}
	secret, old := a.EnableTOTP(g)
	next()
	if r := a.Must(http.StatusUnprocessableEntity, "POST", path, g.Token, map[string]string{"password": "wrong-password-1", "code": a.TOTPCode(secret)}); r.Field("password") == "" {
		t.Fatalf("wrong password: %s", r.Body)
	}
	if r := a.Must(http.StatusUnprocessableEntity, "POST", path, g.Token, map[string]string{"password": testutil.Password}); r.Field("code") == "" {
		t.Fatalf("no code: %s", r.Body)
	}
	next()
	var rc domain.RecoveryCodes
	a.Must(http.StatusOK, "POST", path, g.Token, map[string]string{"password": testutil.Password, "code": a.TOTPCode(secret)}).Decode(t, &rc)
	if len(rc.Codes) != domain.RecoveryCodeCount || slices.Contains(rc.Codes, old[0]) {
		t.Fatalf("new codes %v (old %v)", rc.Codes, old)
	}
	if st := a.Must(http.StatusOK, "GET", "/api/v1/me/totp", g.Token, nil).JSON(); st["enabled"] != true || st["recovery_codes_left"] != float64(domain.RecoveryCodeCount) {
		t.Fatalf("status after new codes: %v", st)
	}
	if r := a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "", totpLogin(g.Email, old[2])); r.ErrorCode() != "invalid_credentials" {
		t.Fatalf("an old recovery code: %s", r.Body)
	}
	a.Must(http.StatusOK, "POST", "/api/v1/auth/login", "", totpLogin(g.Email, rc.Codes[0]))
	if changes := securityNotices(t, a, g.ID); !slices.Equal(changes, []string{"totp_on", "recovery_codes"}) {
		t.Errorf("security notices queued: %v", changes)
	}
}

// A wrong code is a failed sign-in: ten of them refuse the next attempt
// with 429, even with the right code.
func TestTOTPWrongCodeThrottled(t *testing.T) {
	a := testutil.NewApp(t)
	next := a.TOTPClock()
	staff := a.MinistryAdmin()
	secret, _ := a.EnableTOTP(staff)
	now := next()
	right := code(t, secret, now)
	for range 10 {
		r := a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "", totpLogin(staff.Email, otherCode(right)))
		if r.ErrorCode() != "invalid_credentials" {
			t.Fatalf("wrong code: %s", r.Body)
		}
	}
	retryAfter(t, a.Do("POST", "/api/v1/auth/login", "", totpLogin(staff.Email, right)))
}

// A stored secret that can no longer be opened (GRADZONE_JWT_SECRET was
// changed, which derives the sealing key) must not answer 500 at sign-in:
// the code is refused like a wrong one, and a recovery code still lets the
// staff member in to enrol again.
func TestTOTPUnreadableSecretFallsBackToRecoveryCodes(t *testing.T) {
	a := testutil.NewApp(t)
	next := a.TOTPClock()
	staff := a.MinistryAdmin()
	secret, recovery := a.EnableTOTP(staff)
	a.Server.Accounts.Sealer = auth.NewSealer(strings.Repeat("rotated-secret-", 3))
	if r := a.Must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", "", totpLogin(staff.Email, code(t, secret, next()))); r.ErrorCode() != "invalid_credentials" {
		t.Fatalf("a code against an unreadable secret: %s", r.Body)
	}
	a.Must(http.StatusOK, "POST", "/api/v1/auth/login", "", totpLogin(staff.Email, recovery[0]))
}
