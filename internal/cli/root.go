// Package cli is the gradzone command line: serve, migrate, seed, reindex,
// user (create, reset-password, disable, enable, clear-two-step), files
// migrate-local, loadtest season and healthcheck. main only calls Execute.
package cli

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gradzone/gradzone/internal/config"
)

// Execute runs the command line and returns the process exit code.
func Execute(ctx context.Context) int {
	if err := newRoot().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "gradzone:", err)
		return 1
	}
	return 0
}

type globals struct {
	configPath string
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "gradzone",
		Short:         "gradzone — research-assistant job matching for China's national high-tech zones",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.configPath, "config", "", "YAML config file (default configs/gradzone.yaml; GRADZONE_* variables override it)")
	root.AddCommand(newServe(g), newMigrate(g), newUser(g), newSeed(g), newReindex(g), newFiles(g), newLoadtest(g), newHealthcheck(g))
	root.InitDefaultCompletionCmd() // made now, not at Execute, to be walked
	for _, c := range root.Commands() {
		refuseStrayWords(c)
	}
	return root
}

// refuseStrayWords makes c and its subcommands refuse a word they do not
// take: by default a command took any, so `migrate down` migrated up, and a
// group (`user`) answered a misspelt subcommand with its help and exit 0.
func refuseStrayWords(c *cobra.Command) {
	for _, s := range c.Commands() {
		refuseStrayWords(s)
	}
	if c.Args == nil {
		c.Args = cobra.NoArgs
	}
	if !c.Runnable() && c.HasSubCommands() {
		c.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
		// `user disabel --email E` failed on the flag the misspelt
		// subcommand takes ("unknown flag: --email"): name the word.
		c.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
			if word := c.Flags().Arg(0); word != "" {
				return fmt.Errorf("unknown command %q for %q", word, c.CommandPath())
			}
			return err
		})
	}
}

func (g *globals) load() (config.Config, *slog.Logger, error) {
	// A file the operator named must be there: read without it, the
	// defaults would run in its place without a word (an operator probe).
	if named := cmp.Or(g.configPath, os.Getenv("GRADZONE_CONFIG")); named != "" {
		if _, err := os.Stat(named); err != nil {
			return config.Config{}, nil, fmt.Errorf("config file: %w", err)
		}
	}
	cfg, err := config.Load(g.configPath)
	if err != nil {
		return cfg, nil, err
	}
	// The form of every setting, as serve checks it: a typo is named here,
	// not read as a default (GRADZONE_LOG_LEVEL=verbose logged at info).
	if err := cfg.Validate(); err != nil {
		return cfg, nil, err
	}
	return cfg, newLogger(cfg.LogLevel), nil
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
