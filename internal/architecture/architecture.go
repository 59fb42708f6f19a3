// Package architecture states gradzone's layer rules as data and checks the
// real import graph against them (architecture_test.go runs the check in
// `make test`), so that the picture in docs/architecture.md cannot drift from
// the code. Only production files count: tests may reach into any package.
package architecture

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Import is one import line of one production file.
type Import struct {
	// Package is the importing package's path relative to the module
	// ("internal/httpapi"), File the file's path relative to the module
	// ("internal/httpapi/hiring.go"), and Path the imported path as written.
	Package, File, Path string
}

// Adapters are the packages that talk to an outside system, one each. A new
// adapter (mail, object storage, …) is added here.
var Adapters = []string{
	"internal/postgres",
	"internal/search",
	"internal/mail",
	"internal/objectstore",
	"internal/jobs",
}

// Delivery are the doors: they decode input, call internal/app and encode
// the answer.
var Delivery = []string{"internal/httpapi", "internal/webui", "internal/cli"}

// CompositionRoots are the files of delivery packages that may wire
// adapters: the CLI opens the store for migrate, seed and reindex and starts
// the server. internal/server, the server's composition root, is not a
// delivery package.
var CompositionRoots = []string{"internal/cli/wire.go"}

// CompositionRootPackages build the application from its adapters; only they
// and the CompositionRoots files may import them.
var CompositionRootPackages = []string{"internal/server"}

// Free are the outside libraries every package may import: small helpers
// of no outside system (IDs, a group of goroutines).
var Free = []string{"github.com/google/uuid", "golang.org/x/sync"}

// Owners names, for each outside library, the only packages that may import
// it: one package per outside thing; a library neither here nor Free fails
// TestEveryLibraryHasAnOwner.
var Owners = map[string][]string{
	"github.com/gin-gonic/gin":              {"internal/httpapi", "internal/webui"},
	"gorm.io/":                              {"internal/postgres"},
	"github.com/meilisearch/meilisearch-go": {"internal/search"},
	"github.com/golang-jwt/jwt":             {"internal/auth"},
	"github.com/riverqueue/":                {"internal/jobs"},
	"riverqueue.com/":                       {"internal/jobs"},
	"github.com/arran4/golang-ical":         {"internal/ical"},
	"github.com/yeqown/":                    {"internal/qr"},
	"github.com/pquerna/otp":                {"internal/auth"},
	"github.com/wneessen/go-mail":           {"internal/mail"},
	"github.com/minio/minio-go":             {"internal/objectstore"},
	"github.com/xuri/excelize":              {"internal/excel"},
	"github.com/spf13/cobra":                {"internal/cli"},
	"github.com/schollz/progressbar":        {"internal/cli"},
	"github.com/knadh/koanf":                {"internal/config"},
	"github.com/prometheus/":                {"internal/metrics"},
	"github.com/mozillazg/go-pinyin":        {"internal/pinyin"},
	"github.com/sony/gobreaker":             {"internal/app"},
	"github.com/hashicorp/golang-lru":       {"internal/app"},      // the search cache
	"github.com/bytedance/sonic":            {"internal/search"},   // decoding Meilisearch's answers
	"github.com/pressly/goose":              {"internal/postgres"}, // migrations
	"github.com/lib/pq":                     {"internal/postgres"}, // its array and error types
	"golang.org/x/crypto":                   {"internal/auth"},     // argon2
	"golang.org/x/term":                     {"internal/cli"},      // reading a password
	"github.com/getkin/kin-openapi":         {"internal/testutil"}, // validating the tests' exchanges
	"github.com/makiuchi-d/gozxing":         {"internal/testutil"}, // reading the mails' QR codes
	// pgx is the driver under GORM and River, and the load generator's and
	// the tests' direct connection.
	"github.com/jackc/pgx": {"internal/postgres", "internal/jobs", "internal/loadtest", "internal/testutil"},
}

// Violation is one import that breaks a rule.
type Violation struct {
	Import
	Rule string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s imports %s: %s", v.File, v.Path, v.Rule)
}

// Check returns every import of module (its path, e.g.
// "github.com/gradzone/gradzone") that breaks a rule, sorted by file.
func Check(module string, imports []Import) []Violation {
	var out []Violation
	bad := func(im Import, rule string) { out = append(out, Violation{im, rule}) }
	for _, im := range imports {
		local, inModule := strings.CutPrefix(im.Path, module+"/")
		switch {
		// domain: types and rules only.
		case under(im.Package, "internal/domain") && !standard(im.Path):
			bad(im, "internal/domain imports only the standard library")
		// The doors reach adapters and the composition root only through
		// their named composition-root files.
		case inModule && in(im.Package, Delivery) && !slices.Contains(CompositionRoots, im.File) &&
			(in(local, Adapters) || in(local, CompositionRootPackages)):
			bad(im, "a delivery package calls internal/app, never an adapter or the composition root (except "+strings.Join(CompositionRoots, ", ")+")")
		// The use cases own interfaces; adapters implement them.
		case inModule && under(im.Package, "internal/app") && (in(local, Adapters) || in(local, CompositionRootPackages)):
			bad(im, "internal/app defines the interfaces it needs and imports no adapter")
		// One adapter does not reach into another.
		case inModule && in(im.Package, Adapters) && in(local, Adapters) && !under(local, im.Package):
			bad(im, "an adapter does not import another adapter")
		}
		for lib, owners := range Owners {
			if strings.HasPrefix(im.Path, lib) && !in(im.Package, owners) {
				bad(im, "only "+strings.Join(owners, ", ")+" may import "+strings.TrimSuffix(lib, "/"))
			}
		}
		// Delivery never talks to a database or an engine directly.
		if in(im.Package, Delivery) && !slices.Contains(CompositionRoots, im.File) && databaseDriver(im.Path) {
			bad(im, "a delivery package does not open a database")
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// databaseDriver reports SQL drivers and clients, which only adapters use.
func databaseDriver(path string) bool {
	for _, p := range []string{"database/sql", "github.com/jackc/pgx", "github.com/lib/pq", "gorm.io/", "github.com/meilisearch/"} {
		if path == p || strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// standard reports a standard-library path: its first element has no dot.
func standard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// under reports pkg being root or inside it.
func under(pkg, root string) bool { return pkg == root || strings.HasPrefix(pkg, root+"/") }

// in reports pkg being under one of roots.
func in(pkg string, roots []string) bool {
	for _, r := range roots {
		if under(pkg, r) {
			return true
		}
	}
	return false
}

// Load lists the module in dir with `go list` and reads the imports of every
// production file (build constraints applied, tests left out). It returns
// the module path and the imports.
func Load(dir string) (string, []Import, error) {
	mod, err := goList(dir, "-m", "-f", "{{.Path}}")
	if err != nil {
		return "", nil, err
	}
	module := strings.TrimSpace(string(mod))
	out, err := goList(dir, "-json=ImportPath,Dir,GoFiles,CgoFiles", "./...")
	if err != nil {
		return "", nil, err
	}
	var imports []Import
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath, Dir   string
			GoFiles, CgoFiles []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return "", nil, err
		}
		pkg := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		for _, f := range append(p.GoFiles, p.CgoFiles...) {
			path := filepath.Join(p.Dir, f)
			file, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
			if err != nil {
				return "", nil, err
			}
			rel := pkg + "/" + f
			if pkg == "" {
				rel = f
			}
			for _, spec := range file.Imports {
				ip, _ := strconv.Unquote(spec.Path.Value)
				imports = append(imports, Import{Package: pkg, File: rel, Path: ip})
			}
		}
	}
	return module, imports, nil
}

func goList(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %w: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}
