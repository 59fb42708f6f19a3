package webui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"testing"
)

// Every error code the domain can return has a message in both languages,
// so a refused action is never shown as a bare English code (issue 15).
// The codes are read from the source of the Code constants, so a new code
// without a message fails here, not in front of a user.
func TestEveryErrorCodeHasAMessage(t *testing.T) {
	cat, err := loadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	codes := domainCodes(t)
	if len(codes) < 20 {
		t.Fatalf("read %d codes from internal/domain/errors.go; the parser missed them", len(codes))
	}
	for _, code := range codes {
		for _, lang := range []string{"zh", "en"} {
			if _, ok := cat.lookup(lang, "code."+code); !ok {
				t.Errorf("web/i18n/%s.json has no \"code.%s\"", lang, code)
			}
		}
	}
}

// The two catalogues have the same keys: a string added in one language
// only would show the other language's fallback to half the readers.
func TestCataloguesHaveTheSameKeys(t *testing.T) {
	cat, err := loadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{"zh", "en"}, {"en", "zh"}} {
		var missing []string
		for k := range cat[pair[0]] {
			if _, ok := cat[pair[1]][k]; !ok {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		for _, k := range missing {
			t.Errorf("%q is in %s.json but not in %s.json", k, pair[0], pair[1])
		}
	}
}

// domainCodes are the string values of every constant of type Code.
func domainCodes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../domain/errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		if id, ok := spec.Type.(*ast.Ident); !ok || id.Name != "Code" {
			return true
		}
		for _, v := range spec.Values {
			if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				codes = append(codes, s)
			}
		}
		return true
	})
	return codes
}
