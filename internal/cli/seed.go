package cli

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/gradzone/gradzone/internal/seed"
)

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
	var demo, force bool
	cmd := &cobra.Command{
		Use:   "seed --demo [--force]",
		Short: "Load the demo data (idempotent): accounts, employers, openings, applications, placements, events, past years",
		Long: `Load the demo data. Every demo account gets one password: the value of
GRADZONE_DEMO_PASSWORD when set, otherwise a generated one printed at the end.
Refuses a database holding accounts the demo did not make, unless --force.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !demo {
				return errors.New("only --demo data exists; run `gradzone seed --demo`")
			}
			w, err := g.connect(cmd)
			if err != nil {
				return err
			}
			defer w.Close()
			password, generated := os.Getenv(seed.PasswordEnv), false
			if password == "" {
				password, generated = generatePassword(), true
			}
			start := time.Now()
			p := &barProgress{cmd: cmd}
			if err := w.seedDemo(cmd.Context(), p, password, force); err != nil {
				return err
			}
			if p.bar != nil {
				_ = p.bar.Finish()
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\nseed: demo data ready in %s; sign in as %s (and the other demo accounts in the README)\n",
				time.Since(start).Round(time.Millisecond), seed.GraduateEmail)
			if generated {
				fmt.Fprintf(cmd.OutOrStdout(), "demo password (every demo account; shown once, set %s to choose it): %s\n", seed.PasswordEnv, password)
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "demo password: the value of %s\n", seed.PasswordEnv)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&demo, "demo", false, "load the demo data set")
	cmd.Flags().BoolVar(&force, "force", false, "seed even when the database holds accounts that are not demo accounts")
	return cmd
}
