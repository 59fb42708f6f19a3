package testutil

import (
	"net/http"
	"time"

	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
)

// TOTPClock pins the accounts' clock to a time the test moves, so each
// sign-in can use a code of a fresh 30-second step (a code is accepted
// once). It returns the function that moves it on by one step.
func (a *App) TOTPClock() (next func() time.Time) {
	now := time.Now()
	a.Server.Accounts.Now = func() time.Time { return now }
	return func() time.Time {
		now = now.Add(30 * time.Second)
		return now
	}
}

// EnableTOTP turns on two-factor sign-in for a staff account through the
// API, as an authenticator app would (a code at the accounts' clock), and
// returns the secret and the recovery codes.
func (a *App) EnableTOTP(acc Account) (secret string, recovery []string) {
	a.T.Helper()
	var e domain.TOTPEnrolment
	a.Must(http.StatusCreated, "POST", "/api/v1/me/totp", acc.Token, nil).Decode(a.T, &e)
	var rc domain.RecoveryCodes
	a.Must(http.StatusOK, "POST", "/api/v1/me/totp/confirm", acc.Token, map[string]string{"code": a.TOTPCode(e.Secret)}).Decode(a.T, &rc)
	return e.Secret, rc.Codes
}

// TOTPCode is the secret's code at the accounts' clock.
func (a *App) TOTPCode(secret string) string {
	a.T.Helper()
	code, err := auth.TOTPCode(secret, a.Server.Accounts.Now())
	if err != nil {
		a.T.Fatal(err)
	}
	return code
}
