// Package prometheus holds the alerting rules for gradzone's metrics; its
// test keeps the file well formed (TestMailOutageShowsInMetrics, in
// internal/httpapi, checks that /metrics serves every series it names).
package prometheus

import (
	"os"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

// ruleFile is the part of Prometheus's rule-file format these rules use;
// decoded strictly, a misspelt key fails as it would fail `promtool check
// rules`.
type ruleFile struct {
	Groups []struct {
		Name  string `json:"name"`
		Rules []struct {
			Alert       string            `json:"alert"`
			Expr        string            `json:"expr"`
			For         string            `json:"for,omitempty"`
			Labels      map[string]string `json:"labels"`
			Annotations map[string]string `json:"annotations"`
		} `json:"rules"`
	} `json:"groups"`
}

func TestAlertRulesDecodeStrictly(t *testing.T) {
	raw, err := os.ReadFile("alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var f ruleFile
	if err := yaml.UnmarshalStrict(raw, &f); err != nil {
		t.Fatalf("alerts.yaml: %v", err)
	}
	if len(f.Groups) == 0 {
		t.Fatal("alerts.yaml: no groups")
	}
	seen := map[string]bool{}
	for _, g := range f.Groups {
		if g.Name == "" || len(g.Rules) == 0 {
			t.Errorf("group %q: a name and rules, please", g.Name)
		}
		for _, r := range g.Rules {
			switch {
			case r.Alert == "" || seen[r.Alert]:
				t.Errorf("group %q: an alert without a name, or twice: %q", g.Name, r.Alert)
			case !strings.Contains(r.Expr, "gradzone_"):
				t.Errorf("%s: the expression names no gradzone series: %q", r.Alert, r.Expr)
			case r.Labels["severity"] != "warning" && r.Labels["severity"] != "critical":
				t.Errorf("%s: severity %q, want warning or critical", r.Alert, r.Labels["severity"])
			case r.Annotations["summary"] == "" || r.Annotations["description"] == "":
				t.Errorf("%s: a summary and a description, please", r.Alert)
			case strings.Count(r.Expr, "(") != strings.Count(r.Expr, ")"):
				t.Errorf("%s: unbalanced parentheses in %q", r.Alert, r.Expr)
			}
			if r.For != "" {
				// Prometheus's durations are Go's without the compound
				// units it also takes (1h30m), which these rules do not use.
				if _, err := time.ParseDuration(r.For); err != nil {
					t.Errorf("%s: for %q: %v", r.Alert, r.For, err)
				}
			}
			seen[r.Alert] = true
		}
	}
}
