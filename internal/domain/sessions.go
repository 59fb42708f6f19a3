package domain

import "time"

// Session lifetimes (issue 12 item 5; ASVS 4.0 V3.3). A session is a
// refresh-token family, started by a sign-in.
const (
	// SessionMaxAge is the absolute lifetime: 30 days after the sign-in
	// the session ends however busy it is, and the user signs in again.
	SessionMaxAge = 30 * 24 * time.Hour
	// SessionIdle is the idle timeout: a session not refreshed for 7 days
	// ends (each refresh token expires 7 days after it was issued). Access
	// tokens live 15 minutes, so an active client refreshes far more often;
	// graduates who come back weekly stay signed in.
	SessionIdle = 7 * 24 * time.Hour
)
