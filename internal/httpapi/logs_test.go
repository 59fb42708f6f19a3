package httpapi_test

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/loadtest"
	"github.com/gradzone/gradzone/internal/testutil"
)

// Finding 14: expected conflicts were logged at ERROR with the SQL and its
// values (cover letters, e-mail addresses). The log of a whole flow, at
// debug level, holds none of the personal data sent, and no expected 4xx
// is logged above INFO.
func TestLogsHoldNoPersonalData(t *testing.T) {
	var out loadtest.SyncBuffer
	log := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a := testutil.NewAppLogged(t, log)
	startup := len(out.String()) // start-up notes (configuration) are not outcomes
	emp, admin, opening := a.PublishedOpening(nil)

	const (
		email  = "pii.person.q7@example.test"
		name   = "欧阳秘密"
		phone  = "13987654321"
		letter = "MY-PRIVATE-COVER-LETTER-3141"
		pw     = "pw-NotInLogs-2718"
	)
	body := testutil.GraduateBody(email)
	body["name"], body["password"] = name, pw
	g := a.Must(201, "POST", "/api/v1/auth/register", "", body).JSON()
	a.Must(409, "POST", "/api/v1/auth/register", "", body) // email_taken
	a.Must(401, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": pw + "x"})
	tok := a.Must(200, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": pw}).JSON()["access_token"].(string)
	a.Must(200, "PATCH", "/api/v1/me/profile", tok, map[string]any{"phone": phone})
	a.UploadFile("/api/v1/me/resume", tok, "cv.pdf", []byte("%PDF-1.4\n1 0 obj <<>> endobj\nRESUME-TEXT-SECRET-1618\n%%EOF\n"))
	app := a.Must(201, "POST", "/api/v1/openings/"+opening+"/applications", tok, map[string]string{"cover_letter": letter}).JSON()["id"].(string)
	if r := a.Must(409, "POST", "/api/v1/openings/"+opening+"/applications", tok, map[string]string{"cover_letter": letter}); r.ErrorCode() != "already_applied" {
		t.Fatalf("second apply: %s", r.Body)
	}
	a.Must(200, "GET", "/api/v1/applications/"+app, emp.Token, nil)
	a.Hire(emp.Token, tok, app, domain.DateOf(time.Now()).String())
	a.Must(200, "GET", "/api/v1/placements", admin.Token, nil)
	a.Must(200, "GET", "/api/v1/placements.csv", admin.Token, nil)
	_ = g

	logs := out.String()
	if !strings.Contains(logs, `"msg":"request"`) {
		t.Fatalf("nothing was logged: %q", logs)
	}
	for _, secret := range []string{email, name, phone, letter, pw, "RESUME-TEXT-SECRET-1618", "pii.person"} {
		if strings.Contains(logs, secret) {
			for _, line := range strings.Split(logs, "\n") {
				if strings.Contains(line, secret) {
					t.Errorf("log holds %q: %s", secret, line)
					break
				}
			}
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(logs[startup:]), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil {
			t.Errorf("not a JSON log line: %s", line)
			continue
		}
		// A slow statement is worth a warning on a loaded machine; anything
		// else above INFO would be an expected outcome logged as a fault.
		if (m["level"] == "ERROR" || m["level"] == "WARN") && m["msg"] != "sql slow" {
			t.Errorf("an expected outcome logged at %v: %s", m["level"], line)
		}
		if st, ok := m["status"].(float64); ok && st >= 400 && st < 500 && m["level"] != "INFO" {
			t.Errorf("4xx not at INFO: %s", line)
		}
	}
}
