package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/loadtest"
)

func newLoadtest(g *globals) *cobra.Command {
	lt := &cobra.Command{Use: "loadtest", Short: "Simulations that load a running gradzone and check what it answered"}
	sc := loadtest.NationalSeason
	var (
		replicas    int
		targets     []string
		faults      []string
		out         string
		mailpit     string
		killReplica bool
	)
	season := &cobra.Command{
		Use:   "season",
		Short: "The national sprint: posting, review, search, applications, hires and monthly reports over simulated days, with faults",
		Long: `Plays a compressed recruitment season against gradzone: every simulated day
each zone's employer posts an opening and its staff approve it, graduates
search and apply (with an Idempotency-Key, retried on another replica when one
does not answer), employers hire, and half-way every zone submits its monthly
report. Accounts are made as users make them (registration through the API,
staff with the same use case as 'user create'), so run it on a staging or
throwaway database, never on production.

It starts --replicas 'serve' processes of this binary with the current
configuration (or uses --target URLs), kills one -9 and replaces it
eight-tenths of the way through, and runs each --fault DAY=COMMAND (a shell
command, e.g. '.ci/services fault meili-kill') on its day. At the end it
checks: every application answered 2xx is in Postgres, every hire is one
placement, every counter equals a recount, no submitted report changed, each
status mail went once (with --mailpit), and search is answered by Meilisearch
again, complete. It exits non-zero when any check fails and writes
season.md and season.svg into --out.`,
		PreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkSeasonFlags(sc, replicas, targets, faults, out, mailpit); err != nil {
				return err
			}
			// Base URLs as written, with their slash or not (with it every
			// path began "//": 404).
			for i := range targets {
				targets[i] = strings.TrimRight(targets[i], "/")
			}
			mailpit = strings.TrimRight(mailpit, "/")
			return nil
		},
		RunE: g.migrated(func(cmd *cobra.Command, w *wiring) error {
			ctx := cmd.Context()
			logf := func(format string, args ...any) { fmt.Fprintf(cmd.ErrOrStderr(), format+"\n", args...) }
			c := loadtest.NewCluster(&http.Client{Timeout: 30 * time.Second}, targets...)
			s := &loadtest.Season{Scale: sc, Cluster: c, Log: logf, Seed: uint64(time.Now().UnixNano()),
				CreateStaff: func(ctx context.Context, a domain.StaffAccount) error {
					_, err := w.accounts().CreateStaff(ctx, a)
					return err
				}}
			if mailpit != "" {
				s.Mail = &loadtest.MailpitCounter{URL: mailpit, Client: &http.Client{Timeout: 30 * time.Second}}
			}
			var err error
			if s.Faults, err = commandFaults(faults, cmd); err != nil {
				return err
			}
			if len(targets) == 0 {
				pool, err := startReplicas(replicas, g.configPath, c)
				if err != nil {
					return err
				}
				defer pool.stop()
				if killReplica && replicas > 1 {
					day := sc.FaultDay(8)
					if _, taken := s.Faults[day]; taken {
						return fmt.Errorf("--fault on day %d: that day a replica is killed (--kill-replica=false to leave it)", day)
					}
					s.Faults[day] = loadtest.Fault{Name: "a replica killed -9 and replaced", Do: pool.replaceOne}
				}
			}
			o, err := s.Run(ctx)
			if err != nil {
				return err
			}
			problems, err := s.Check(ctx, o, w.cfg.DatabaseURL, w.counterDrift)
			if err != nil {
				return err
			}
			if out != "" {
				if err := s.WriteReport(out, o, problems); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "season: %d days, %d zones, %d requests, %d applications, %d hires, %d problems\n",
				sc.Days, len(o.Zones), len(c.Samples()), len(o.Applied), len(o.Hired), len(problems))
			for _, p := range problems {
				fmt.Fprintln(cmd.OutOrStdout(), "  -", p)
			}
			if len(problems) > 0 {
				return fmt.Errorf("the season's check found %d problems", len(problems))
			}
			return nil
		}),
	}
	f := season.Flags()
	f.IntVar(&sc.Days, "days", sc.Days, "simulated days")
	f.IntVar(&sc.Zones, "zones", sc.Zones, "zones taking part (the first N by code)")
	f.IntVar(&sc.GraduatesPerZone, "graduates-per-zone", sc.GraduatesPerZone, "graduates registered per zone")
	f.IntVar(&sc.AppliesPerDay, "applies-per-day", sc.AppliesPerDay, "applications tried per simulated day (a quarter as many hires)")
	f.IntVar(&replicas, "replicas", 3, "serve processes of this binary to start (ignored with --target)")
	f.StringSliceVar(&targets, "target", nil, "base URLs of running replicas to use instead of starting any")
	f.StringArrayVar(&faults, "fault", nil, "DAY=COMMAND: a shell command run on that simulated day (repeatable)")
	f.BoolVar(&killReplica, "kill-replica", true, "kill -9 one started replica eight-tenths of the way through and start another")
	f.StringVar(&out, "out", "", "folder for season.md and season.svg")
	f.StringVar(&mailpit, "mailpit", os.Getenv("GRADZONE_MAILPIT_URL"), "Mailpit's HTTP address: verify a third of the graduates through their mail and count status mails")
	lt.AddCommand(season)
	return lt
}

// checkSeasonFlags refuses, before anything runs, a flag the season cannot
// play (an operator probe: --zones 0 panicked, --days 0 made accounts, a
// --fault past the last day never ran and the season passed, an --out that
// cannot be written failed after the whole season).
func checkSeasonFlags(sc loadtest.SeasonScale, replicas int, targets, faults []string, out, mailpit string) error {
	for _, f := range []struct {
		name     string
		v, least int
	}{{"--days", sc.Days, 1}, {"--zones", sc.Zones, 1}, {"--graduates-per-zone", sc.GraduatesPerZone, 1}, {"--applies-per-day", sc.AppliesPerDay, 0}} {
		if f.v < f.least {
			return fmt.Errorf("%s %d: want a whole number from %d", f.name, f.v, f.least)
		}
	}
	if len(targets) == 0 && replicas < 1 {
		return fmt.Errorf("--replicas %d: want a whole number from 1 (or --target URLs)", replicas)
	}
	for _, t := range targets {
		if !webAddress(t) {
			return fmt.Errorf("--target %q: want a replica's base URL, e.g. http://127.0.0.1:8080", t)
		}
	}
	if mailpit != "" && !webAddress(mailpit) {
		return fmt.Errorf("--mailpit %q: want Mailpit's HTTP address, e.g. http://127.0.0.1:8025", mailpit)
	}
	for _, spec := range faults {
		if d, _, ok := strings.Cut(spec, "="); ok {
			if day, err := strconv.Atoi(strings.TrimSpace(d)); err == nil && day > sc.Days {
				return fmt.Errorf("--fault %q: day %d is past the season's last (--days %d): it would never run", spec, day, sc.Days)
			}
		}
	}
	if out != "" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		probe, err := os.CreateTemp(out, ".season-*")
		if err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		probe.Close()
		os.Remove(probe.Name())
	}
	return nil
}

// webAddress reports whether s is an absolute http or https URL with a host.
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// commandFaults reads DAY=COMMAND flags into faults that run the command
// with sh, its output on the command's standard error.
func commandFaults(specs []string, cmd *cobra.Command) (map[int]loadtest.Fault, error) {
	faults := map[int]loadtest.Fault{}
	for _, spec := range specs {
		d, command, ok := strings.Cut(spec, "=")
		day, err := strconv.Atoi(strings.TrimSpace(d))
		if !ok || err != nil || day < 1 || strings.TrimSpace(command) == "" {
			return nil, fmt.Errorf("--fault %q: want DAY=COMMAND, DAY a whole number from 1", spec)
		}
		if _, dup := faults[day]; dup {
			return nil, fmt.Errorf("--fault: two faults on day %d", day)
		}
		faults[day] = loadtest.Fault{Name: command, Do: func(ctx context.Context) error {
			sh := exec.CommandContext(ctx, "sh", "-c", command)
			sh.Stdout, sh.Stderr = cmd.ErrOrStderr(), cmd.ErrOrStderr()
			return sh.Run()
		}}
	}
	return faults, nil
}

// replicaPool is the serve processes a season started.
type replicaPool struct {
	bin     string
	args    []string
	cluster *loadtest.Cluster
	running []*loadtest.Replica
}

// startReplicas starts n serve processes of this binary with the current
// environment and config file, and puts them into c's rotation.
func startReplicas(n int, configPath string, c *loadtest.Cluster) (*replicaPool, error) {
	bin, err := os.Executable()
	if err != nil {
		return nil, err
	}
	p := &replicaPool{bin: bin, args: []string{"serve"}, cluster: c}
	if configPath != "" {
		p.args = append(p.args, "--config", configPath)
	}
	for range n {
		if err := p.startOne(); err != nil {
			p.stop()
			return nil, err
		}
	}
	return p, nil
}

func (p *replicaPool) startOne() error {
	r, err := loadtest.StartReplica(p.bin, p.args, os.Environ())
	if err != nil {
		return err
	}
	p.running = append(p.running, r)
	p.cluster.Add(r.URL)
	return nil
}

// replaceOne kills the second replica -9, as a crash would, and starts
// another in its place.
func (p *replicaPool) replaceOne(context.Context) error {
	dead := p.running[1]
	p.cluster.Remove(dead.URL)
	dead.Kill()
	p.running = append(p.running[:1:1], p.running[2:]...)
	return p.startOne()
}

func (p *replicaPool) stop() {
	for _, r := range p.running {
		r.Stop()
	}
}
