package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gradzone/gradzone/internal/domain"
)

// The programme's numbers: read from Postgres, so every replica exports the
// same values (sum() over replicas counts them once per replica: use max()).
var (
	programmePlacementsDesc = prometheus.NewDesc("gradzone_programme_placements",
		"Active placements with hired_on in the current year (Asia/Shanghai), by the employer's province: the numbers GET /api/v1/progress gives. Read from Postgres, the same on every replica: aggregate over replicas with max(), never sum().",
		[]string{"province"}, nil)
	programmePositionsDesc = prometheus.NewDesc("gradzone_programme_positions_developed",
		"Positions developed (headcount of openings approved) in the current year (Asia/Shanghai), by the employer's province: the numbers GET /api/v1/progress gives. The same on every replica: aggregate over replicas with max(), never sum().",
		[]string{"province"}, nil)
	programmeApplicationsDesc = prometheus.NewDesc("gradzone_programme_applications",
		"Applications made in the current year (Asia/Shanghai), by the province of the opening's employer and their status now. The same on every replica: aggregate over replicas with max(), never sum().",
		[]string{"province", "status"}, nil)
	programmeYearDesc = prometheus.NewDesc("gradzone_programme_year",
		"The year (Asia/Shanghai) the gradzone_programme_ series count.", nil, nil)
	programmeUpDesc = prometheus.NewDesc("gradzone_programme_up",
		"1 when this scrape carries the programme's numbers, 0 when their last read from Postgres failed or timed out (the series are then left out, not zero).", nil, nil)
	programmeErrorsDesc = prometheus.NewDesc("gradzone_programme_read_errors_total",
		"Reads of the programme's numbers from Postgres by this process that failed or timed out.", nil, nil)
)

// Defaults of the programme collector: how long a read serves scrapes, and
// how long one may take (below Prometheus's default scrape timeout of 10 s).
const (
	ProgrammeCacheFor = 30 * time.Second
	programmeTimeout  = 3 * time.Second
)

// programme exports the programme's numbers. A read serves every scrape
// for cacheFor, so a scrape storm reads Postgres once; concurrent scrapes
// wait for the one read. A failed read is kept as long: the gauges are
// left out and gradzone_programme_up says 0, and the scrape succeeds.
type programme struct {
	read     func(ctx context.Context, year int) (domain.ProgrammeCounts, error)
	now      func() time.Time
	cacheFor time.Duration
	timeout  time.Duration

	mu     sync.Mutex
	readAt time.Time
	counts domain.ProgrammeCounts
	err    error
	errors int64
}

func (p *programme) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{programmePlacementsDesc, programmePositionsDesc, programmeApplicationsDesc,
		programmeYearDesc, programmeUpDesc, programmeErrorsDesc} {
		ch <- d
	}
}

// latest returns the counts of the last read, reading again once it is
// cacheFor old (or the year has turned).
func (p *programme) latest() (counts domain.ProgrammeCounts, errors int64, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	year := domain.DateOf(now).Year
	if p.readAt.IsZero() || now.Sub(p.readAt) >= p.cacheFor || now.Before(p.readAt) || (p.err == nil && p.counts.Year != year) {
		ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
		p.counts, p.err = p.read(ctx, year)
		cancel()
		p.readAt = p.now()
		if p.err != nil {
			p.errors++
		}
	}
	return p.counts, p.errors, p.err
}

func (p *programme) Collect(ch chan<- prometheus.Metric) {
	counts, errors, err := p.latest()
	ch <- prometheus.MustNewConstMetric(programmeErrorsDesc, prometheus.CounterValue, float64(errors))
	if err != nil {
		ch <- prometheus.MustNewConstMetric(programmeUpDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(programmeUpDesc, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(programmeYearDesc, prometheus.GaugeValue, float64(counts.Year))
	for _, pr := range counts.Provinces {
		ch <- prometheus.MustNewConstMetric(programmePlacementsDesc, prometheus.GaugeValue, float64(pr.Placements), pr.Code)
		ch <- prometheus.MustNewConstMetric(programmePositionsDesc, prometheus.GaugeValue, float64(pr.PositionsDeveloped), pr.Code)
		for _, st := range domain.ApplicationStatuses {
			ch <- prometheus.MustNewConstMetric(programmeApplicationsDesc, prometheus.GaugeValue, float64(pr.Applications[st]), pr.Code, st)
		}
	}
}
