package httpapi_test

import (
	"os"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/goccy/go-yaml"

	"github.com/gradzone/gradzone/internal/testutil"
)

// TestOpenAPIDescribesEveryRoute keeps api/openapi.yaml complete: every API
// route the server registers is described, with its method, and nothing
// described is missing from the server.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	b, err := os.ReadFile("../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	a := testutil.NewApp(t)
	served := map[string]bool{}
	for _, r := range a.Server.Handler.(*gin.Engine).Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		parts := strings.Split(strings.TrimPrefix(r.Path, "/api/v1"), "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") {
				parts[i] = "{" + p[1:] + "}"
			}
		}
		path, method := strings.Join(parts, "/"), strings.ToLower(r.Method)
		served[method+" "+path] = true
		if _, ok := doc.Paths[path][method]; !ok {
			t.Errorf("%s %s is served but not described in api/openapi.yaml", r.Method, path)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !served[method+" "+path] {
				t.Errorf("api/openapi.yaml describes %s %s, which the server does not serve", method, path)
			}
		}
	}
}
