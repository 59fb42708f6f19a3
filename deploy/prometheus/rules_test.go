// Package prometheus holds the alerting rules for gradzone's metrics; its
// test keeps the file well formed (TestMailOutageShowsInMetrics, in
// internal/httpapi, checks that /metrics serves every series it names).
package prometheus

import (
	"os"
	"regexp"
	"strconv"
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

// readRules decodes alerts.yaml strictly: a field Prometheus does not
// know fails.
func readRules(t *testing.T) ruleFile {
	t.Helper()
	raw, err := os.ReadFile("alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var f ruleFile
	if err := yaml.UnmarshalStrict(raw, &f); err != nil {
		t.Fatalf("alerts.yaml: %v", err)
	}
	return f
}

func TestAlertRulesDecodeStrictly(t *testing.T) {
	f := readRules(t)
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

// Left by the twentieth round: the alert of a mail given up on read the
// count of discarded mails kept (max(gradzone_mail_discarded) > 0), so it
// fired for as long as River kept the job, 7 days unless staff retried or
// deleted it, and a second discard in that week raised nothing new. It
// reads the time of the newest discard against a window, so it fires on a
// new discard and ends by itself.
func TestMailDiscardedAlertFiresOnNewDiscards(t *testing.T) {
	f := readRules(t)
	window := regexp.MustCompile(`^time\(\) - max\(gradzone_mail_last_discarded_timestamp_seconds\) < (\d+)$`)
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			if r.Alert != "GradzoneMailDiscarded" {
				continue
			}
			m := window.FindStringSubmatch(strings.TrimSpace(r.Expr))
			if m == nil {
				t.Fatalf("GradzoneMailDiscarded: %q does not read the time of the newest discard against a window", r.Expr)
			}
			// Long enough to be seen between rule evaluations and routed, short
			// enough to end the same working day.
			if s, _ := strconv.Atoi(m[1]); s < 900 || s > 6*3600 {
				t.Errorf("GradzoneMailDiscarded: a window of %d s", s)
			}
			if r.For != "" {
				t.Errorf("GradzoneMailDiscarded: for %s delays or, past the window, hides a discard", r.For)
			}
			return
		}
	}
	t.Fatal("no GradzoneMailDiscarded alert")
}
