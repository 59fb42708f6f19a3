package loadtest

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// WriteReport writes season.md (the summary, answers by status, p50 and p99
// per simulated day) and season.svg (latency over time) into dir.
func (s *Season) WriteReport(dir string, out *SeasonOutcome, problems []string) error {
	sc := s.Scale
	byDay := map[int][]time.Duration{}
	status := map[int]int{}
	samples := s.Cluster.Samples()
	for _, x := range samples {
		if x.Day == 0 {
			continue // making the accounts, not the season
		}
		byDay[x.Day] = append(byDay[x.Day], x.Latency)
		status[x.Status]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Season simulation\n\n`gradzone loadtest season` (`make season`): %d days, %d zones, %d graduates per zone, %d applications tried per day; faults: %s.\n\n",
		sc.Days, len(out.Zones), sc.GraduatesPerZone, sc.AppliesPerDay, s.faultList())
	fmt.Fprintf(&b, "| figure | value |\n|---|---|\n| requests | %d |\n| applications answered 2xx | %d |\n| hires (placements) | %d |\n| verified graduates whose mail was counted | %d |\n",
		len(samples), len(out.Applied), len(out.Hired), len(out.MailsWant))
	for _, k := range slices.Sorted(maps.Keys(status)) {
		fmt.Fprintf(&b, "| answered %d | %d |\n", k, status[k])
	}
	if len(problems) == 0 {
		b.WriteString("\n**Check passed**: every application answered 2xx is in Postgres, every hire is one placement, every counter equals a recount, no submitted report changed, each status mail went once, and search came back to Meilisearch complete with no one acting.\n")
	} else {
		fmt.Fprintf(&b, "\n**Check found %d problems:**\n\n", len(problems))
		for _, p := range problems {
			fmt.Fprintf(&b, "- %s\n", p)
		}
	}
	b.WriteString("\n![latency per day](season.svg)\n\n| day | requests | p50 ms | p99 ms |\n|---|---|---|---|\n")
	var p50s, p99s []float64
	for d := 1; d <= sc.Days; d++ {
		l := byDay[d]
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
		var p50, p99 float64
		if len(l) > 0 {
			p50, p99 = ms(l[len(l)/2]), ms(l[min(len(l)-1, len(l)*99/100)])
		}
		p50s, p99s = append(p50s, p50), append(p99s, p99)
		fmt.Fprintf(&b, "| %d | %d | %.1f | %.1f |\n", d, len(l), p50, p99)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "season.md"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "season.svg"), []byte(latencySVG(p50s, p99s)), 0o644)
}

// faultList names the faults by day: "day 20: Meilisearch killed, …".
func (s *Season) faultList() string {
	days := slices.Sorted(maps.Keys(s.Faults))
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = fmt.Sprintf("day %d %s", d, s.Faults[d].Name)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// latencySVG draws p50 and p99 per day as two lines.
func latencySVG(p50, p99 []float64) string {
	const w, h, pad = 800.0, 300.0, 40.0
	top := 1.0
	for _, v := range p99 {
		top = max(top, v)
	}
	line := func(vs []float64) string {
		var pts []string
		for i, v := range vs {
			x := pad + (w-2*pad)*float64(i)/float64(max(1, len(vs)-1))
			y := h - pad - (h-2*pad)*v/top
			pts = append(pts, strconv.FormatFloat(x, 'f', 1, 64)+","+strconv.FormatFloat(y, 'f', 1, 64))
		}
		return strings.Join(pts, " ")
	}
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">
<rect width="100%%" height="100%%" fill="white"/>
<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#555"/><line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#555"/>
<text x="%.0f" y="%.0f">%.0f ms</text><text x="%.0f" y="%.0f">day →</text>
<polyline fill="none" stroke="#1565c0" stroke-width="2" points="%s"/><polyline fill="none" stroke="#c62828" stroke-width="2" points="%s"/>
<text x="%.0f" y="20" fill="#1565c0">p50</text><text x="%.0f" y="20" fill="#c62828">p99</text>
</svg>
`, w, h, pad, h-pad, w-pad, h-pad, pad, pad, pad, h-pad, 4.0, pad-8, top, w-pad-30, h-pad+20, line(p50), line(p99), w-120, w-80)
}
