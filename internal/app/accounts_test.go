package app_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/auth"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/testutil"
)

// accountsWith returns the test server's Accounts with its own hasher, so the
// test can count and saturate hashing.
func accountsWith(a *testutil.App, h *auth.Hasher) *app.Accounts {
	acc := *a.Server.Accounts
	acc.Hasher = h
	acc.HashWait = 200 * time.Millisecond
	return &acc
}

// Item 8 of issue 12: a registered and an unknown address take the same path
// through sign-in — the same number of password hashes, the same answer —
// also when every hashing slot is taken. Measured by behaviour, not by clock.
func TestLoginUnknownAndKnownAddressesAlike(t *testing.T) {
	a := testutil.NewApp(t)
	known := a.Graduate()
	unknown := fmt.Sprintf("nobody-%d@example.cn", time.Now().UnixNano())
	h := auth.NewHasher(1)
	acc := accountsWith(a, h)
	ctx := context.Background()

	try := func(email string) (int64, string) {
		before := h.Computed()
		_, err := acc.Login(ctx, email, "wrong-password-1")
		return h.Computed() - before, string(domain.CodeOf(err))
	}
	nk, ck := try(known.Email)
	nu, cu := try(unknown)
	if nk != 1 || nu != 1 || ck != cu || ck != string(domain.CodeInvalidCredentials) {
		t.Fatalf("free hasher: known address %d hashes → %s, unknown %d hashes → %s", nk, ck, nu, cu)
	}

	// Saturated: the one slot is held; both must wait for it and answer busy.
	release, err := h.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nk, ck = try(known.Email)
	nu, cu = try(unknown)
	release()
	if nk != 0 || nu != 0 || ck != cu || ck != string(domain.CodeRateLimited) {
		t.Fatalf("saturated hasher: known address %d hashes → %s, unknown %d hashes → %s", nk, ck, nu, cu)
	}
	// Once the slot is free the right password works again.
	if _, err := acc.Login(ctx, known.Email, testutil.Password); err != nil {
		t.Fatalf("sign-in after saturation: %v", err)
	}
}

// The use cases, the search and the site name and check zones and provinces
// from one read of the reference data (they were two caches, read apart).
func TestPlacesNameAndCheckFromOneCache(t *testing.T) {
	a := testutil.NewApp(t)
	svc, ctx := a.Server.App, context.Background()
	if svc.Places == nil || a.Server.Search.Places != svc.Places {
		t.Fatal("the search does not share the use cases' places")
	}
	for _, c := range []struct{ lang, code, want string }{
		{"zh", "51", "四川省"}, {"en", "51", "Sichuan"},
		{"zh", "sichuan-chengdu", "成都高新技术产业开发区"}, {"en", "nowhere", ""},
	} {
		if got := svc.PlaceName(ctx, c.lang, c.code); got != c.want {
			t.Errorf("PlaceName(%s, %s) = %q, want %q", c.lang, c.code, got, c.want)
		}
	}
	if zs, err := svc.Zones(ctx, "51"); err != nil || len(zs) == 0 {
		t.Fatalf("zones of a province: %d %v", len(zs), err)
	}
	// A zone's code is not a province's.
	if _, err := svc.Zones(ctx, "sichuan-chengdu"); domain.CodeOf(err) != domain.CodeValidation {
		t.Fatalf("a zone's code taken for a province: %v", err)
	}
}

// A kind's unsubscribe link is a POST with no sign-in: its token is the
// whole authority, so each token that is not one of the user's own mutable
// kinds is the one answer, a bad link, and changes nothing (a review).
func TestKindUnsubscribeLinksRefused(t *testing.T) {
	a := testutil.NewApp(t)
	svc, ctx, now := a.Server.App, context.Background(), time.Now()
	g, erased := a.Graduate(), a.Graduate()
	a.Must(http.StatusNoContent, "DELETE", "/api/v1/me", erased.Token, map[string]string{"password": testutil.Password})
	for name, tok := range map[string]string{
		"a kind no one may turn off": app.UnsubscribeKindToken(svc.Links, g.ID, domain.MailSecurityNotice, now),
		"another role's kind":        app.UnsubscribeKindToken(svc.Links, g.ID, domain.MailApplicantDigest, now),
		"signed for an alert":        svc.Links.Sign(domain.LinkUnsubscribeAlerts, g.ID+":"+string(domain.MailApplicationStatus), now.Add(time.Hour)),
		"an erased account's":        app.UnsubscribeKindToken(svc.Links, erased.ID, domain.MailApplicationStatus, now),
		"expired":                    svc.Links.Sign(domain.LinkUnsubscribeKind, g.ID+":"+string(domain.MailApplicationStatus), now.Add(-time.Minute)),
		"altered":                    app.UnsubscribeKindToken(svc.Links, g.ID, domain.MailApplicationStatus, now) + "x",
	} {
		for op, do := range map[string]func(context.Context, string) (domain.UnsubscribeTarget, error){"read": svc.UnsubscribeTarget, "unsubscribe": svc.Unsubscribe} {
			if _, err := do(ctx, tok); domain.FieldReason(err, "token") != domain.ReasonBadLink {
				t.Errorf("%s, %s: %v, want a bad link", name, op, err)
			}
		}
	}
	p, err := svc.MailPreferences(ctx, domain.Caller{UserID: g.ID, Role: domain.RoleGraduate})
	if err != nil {
		t.Fatal(err)
	}
	for k, on := range p.Kinds {
		if !on {
			t.Errorf("%s was turned off by a refused link", k)
		}
	}
	// The user's own link of a kind of theirs works, once and again.
	own := app.UnsubscribeKindToken(svc.Links, g.ID, domain.MailApplicationStatus, now)
	for range 2 {
		if tgt, err := svc.Unsubscribe(ctx, own); err != nil || tgt.Kind != domain.MailApplicationStatus || tgt.Mailed {
			t.Fatalf("own link: %+v %v", tgt, err)
		}
	}
}
