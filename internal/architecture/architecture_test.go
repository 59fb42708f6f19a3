package architecture

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gradzone/gradzone/internal/domain"
)

// TestLayers checks gradzone's own import graph: the rules in
// architecture.go hold for every production file of the module.
func TestLayers(t *testing.T) {
	module, imports, err := Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	if module != "github.com/gradzone/gradzone" || len(imports) < 100 {
		t.Fatalf("loaded %d imports of %q: the loader did not see the module", len(imports), module)
	}
	// The loader saw the files the rules are about.
	for _, f := range []string{"internal/httpapi/server.go", "internal/cli/wire.go", "internal/domain/errors.go", "internal/postgres/db.go"} {
		if !slices.ContainsFunc(imports, func(im Import) bool { return im.File == f }) {
			t.Errorf("no imports read from %s", f)
		}
	}
	for _, v := range Check(module, imports) {
		t.Errorf("%s", v)
	}
}

// TestEveryLibraryHasAnOwner: each module go.mod requires that a
// production file imports is owned (Owners) or free to all (Free); a
// library missing from both would be free to every package unseen (a
// review found eight so). Libraries of the tests alone (chromedp) are not
// checked: test files are not.
func TestEveryLibraryHasAnOwner(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	_, imports, err := Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	covered := func(module string) bool {
		for lib := range Owners {
			if strings.HasPrefix(module+"/", strings.TrimSuffix(lib, "/")+"/") || strings.HasPrefix(lib, module+"/") || lib == module {
				return true
			}
		}
		return slices.Contains(Free, module)
	}
	required := 0
	for _, line := range strings.Split(string(mod), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.Contains(line, "// indirect") || !strings.Contains(f[0], ".") || f[0] == "module" || f[0] == "go" {
			continue
		}
		module := f[0]
		required++
		used := slices.ContainsFunc(imports, func(im Import) bool { return im.Path == module || strings.HasPrefix(im.Path, module+"/") })
		if used && !covered(module) {
			t.Errorf("%s is imported by production code and has no owner (Owners) and is not Free", module)
		}
	}
	if required < 10 {
		t.Fatalf("read %d direct requirements of go.mod: the reader did not see them", required)
	}
}

// TestPlantedViolationsFail runs the same loader and checker over a module
// in testdata with a violation of each kind planted: each is reported, and
// the allowed imports (the CLI's composition root, a test file) are not.
func TestPlantedViolationsFail(t *testing.T) {
	module, imports, err := Load("testdata/planted")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, v := range Check(module, imports) {
		got[v.File] = true
	}
	want := []string{"internal/app/app.go", "internal/cli/migrate.go", "internal/domain/domain.go", "internal/httpapi/handler.go"}
	for _, f := range want {
		if !got[f] {
			t.Errorf("planted violation in %s not reported", f)
		}
	}
	for f := range got {
		if !slices.Contains(want, f) {
			t.Errorf("%s reported, but it breaks no rule", f)
		}
	}
}

// TestCheckRules feeds a made-up import graph to the checker: one import per
// rule that must fail, and the neighbouring imports that must pass.
func TestCheckRules(t *testing.T) {
	const m = "github.com/gradzone/gradzone"
	im := func(file, path string) Import {
		return Import{Package: file[:strings.LastIndex(file, "/")], File: file, Path: path}
	}
	cases := []struct {
		imp  Import
		fail bool
	}{
		{im("internal/httpapi/hiring.go", m+"/internal/postgres"), true},
		{im("internal/webui/site.go", m+"/internal/search"), true},
		{im("internal/webui/site.go", m+"/internal/objectstore"), true},
		{im("internal/cli/user.go", m+"/internal/postgres"), true},
		{im("internal/cli/user.go", m+"/internal/server"), true},
		{im("internal/cli/wire.go", m+"/internal/postgres"), false},
		{im("internal/cli/wire.go", m+"/internal/server"), false},
		{im("internal/httpapi/server.go", m+"/internal/app"), false},
		{im("internal/httpapi/server.go", "gorm.io/gorm"), true},
		{im("internal/webui/site.go", "github.com/jackc/pgx/v5"), true},
		{im("internal/httpapi/server.go", "github.com/gin-gonic/gin"), false},
		{im("internal/webui/render.go", "github.com/gin-gonic/gin"), false},
		{im("internal/server/server.go", "github.com/gin-gonic/gin"), true},
		{im("internal/app/app.go", "github.com/gin-gonic/gin"), true},
		{im("internal/search/index.go", "gorm.io/gorm"), true},
		{im("internal/postgres/db.go", "gorm.io/driver/postgres"), false},
		{im("internal/postgres/db.go", "github.com/meilisearch/meilisearch-go"), true},
		{im("internal/search/index.go", "github.com/meilisearch/meilisearch-go"), false},
		{im("internal/search/index.go", m+"/internal/postgres"), true},
		{im("internal/auth/token.go", "github.com/golang-jwt/jwt/v5"), false},
		{im("internal/httpapi/auth.go", "github.com/golang-jwt/jwt/v5"), true},
		{im("internal/domain/types.go", "time"), false},
		{im("internal/domain/types.go", "golang.org/x/text/unicode/norm"), true},
		{im("internal/domain/types.go", m+"/internal/config"), true},
		{im("internal/app/app.go", m+"/internal/postgres"), true},
		{im("internal/app/app.go", m+"/internal/domain"), false},
		{im("internal/server/server.go", m+"/internal/postgres"), false},
	}
	for _, c := range cases {
		got := Check(m, []Import{c.imp})
		if (len(got) > 0) != c.fail {
			t.Errorf("%s imports %s: violations %v, want failing=%v", c.imp.File, c.imp.Path, got, c.fail)
		}
	}
	// Each outside library passes in its owners and fails in a package
	// that is not one (the support package excel, or else seed).
	for lib, owners := range Owners {
		path := strings.TrimSuffix(lib, "/") + "/v2"
		stranger := "internal/excel"
		if slices.Contains(owners, stranger) {
			stranger = "internal/seed"
		}
		if got := Check(m, []Import{im(owners[0]+"/a.go", path)}); len(got) > 0 {
			t.Errorf("%s in its owner %s: %v", lib, owners[0], got)
		}
		if got := Check(m, []Import{im(stranger+"/a.go", path)}); len(got) == 0 {
			t.Errorf("%s in %s passed", lib, stranger)
		}
	}
}

// staffRoleByName matches a staff role of the registry spelt out (a Go
// constant, RoleZoneAdmin for zone_admin, or its name in quotes) where its
// level should be named instead (domain.RolesAt, RolesAtLeast): what a staff
// role may do follows from its registry entry. It is built from the
// registry, so a staff role added there is checked too.
var staffRoleByName = func() *regexp.Regexp {
	var constants, names []string
	for _, r := range domain.StaffRoles {
		var c strings.Builder
		for _, w := range strings.Split(string(r), "_") {
			c.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
		constants, names = append(constants, c.String()), append(names, regexp.QuoteMeta(string(r)))
	}
	return regexp.MustCompile(`\b(domain\.)?Role(` + strings.Join(constants, "|") + `)\b|['"](` + strings.Join(names, "|") + `)['"]`)
}()

// TestStaffRolesNamedByLevel: no production file of cmd/ or internal/ names
// a staff role (a constant, or its name in Go or SQL quotes); the registry
// does (domain's enums.go and roles.go), and the packages that create named
// accounts (seed, loadtest, testutil).
func TestStaffRolesNamedByLevel(t *testing.T) {
	for line, named := range map[string]bool{
		`r.GET(StatusPath, signedIn(domain.RoleMinistryAdmin), s.statusPage)`: true,
		`WHERE u.role = 'zone_admin' AND u.zone_code = z.code`:                true,
		`signedIn(domain.RolesAtLeast(domain.LevelProvince)...)`:              false,
		`WHERE role IN ? AND zone_code = ?`:                                   false,
		`if c.Role == "ministry_admin" {`:                                     true,
		`{Kind: MailReportDue, Roles: []Role{RoleZoneAdmin}},`:                true,
	} {
		if staffRoleByName.MatchString(line) != named {
			t.Errorf("%q: matched %v, want %v", line, !named, named)
		}
	}
	allowed := []string{"seed", "loadtest", "testutil", "architecture"}
	registry := []string{filepath.Join("..", "domain", "enums.go"), filepath.Join("..", "domain", "roles.go")}
	walk := func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && slices.Contains(allowed, d.Name()):
			return filepath.SkipDir
		case d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || slices.Contains(registry, path):
			return nil
		}
		src, err := os.ReadFile(path)
		for i, line := range strings.Split(string(src), "\n") {
			if staffRoleByName.MatchString(line) {
				t.Errorf("%s:%d names a staff role; name its level: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return err
	}
	for _, root := range []string{"..", filepath.Join("..", "..", "cmd")} {
		if err := filepath.WalkDir(root, walk); err != nil {
			t.Fatal(err)
		}
	}
}
