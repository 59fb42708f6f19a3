package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/gradzone/gradzone/internal/seed"
)

func init() { extraCommands = append(extraCommands, newSeed) }

// barProgress shows each seed step as a progress bar on stderr.
type barProgress struct {
	cmd *cobra.Command
	bar *progressbar.ProgressBar
}

func (p *barProgress) Step(name string, total int) {
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.cmd.ErrOrStderr())
	}
	p.bar = progressbar.NewOptions(total, progressbar.OptionSetDescription(fmt.Sprintf("%-36s", name)),
		progressbar.OptionSetWriter(p.cmd.ErrOrStderr()), progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond))
}

func (p *barProgress) Add(n int) { _ = p.bar.Add(n) }

func newSeed(g *globals) *cobra.Command {
	var demo bool
	cmd := &cobra.Command{
		Use:   "seed --demo",
		Short: "Load the demo data (idempotent): accounts, employers, openings, applications, placements, events, past years",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !demo {
				return errors.New("only --demo data exists; run `gradzone seed --demo`")
			}
			_, _, store, err := g.openStore(cmd)
			if err != nil {
				return err
			}
			defer store.Close()
			if err := store.CheckMigrated(cmd.Context()); err != nil {
				return err
			}
			start := time.Now()
			p := &barProgress{cmd: cmd}
			if err := (&seed.Seeder{Store: store, Progress: p, Now: time.Now}).Run(cmd.Context()); err != nil {
				return err
			}
			if p.bar != nil {
				_ = p.bar.Finish()
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\nseed: demo data ready in %s (sign in with %s / %s; see README)\n",
				time.Since(start).Round(time.Millisecond), seed.GraduateEmail, seed.Password)
			return nil
		},
	}
	cmd.Flags().BoolVar(&demo, "demo", false, "load the demo data set")
	return cmd
}
