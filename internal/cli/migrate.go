package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func newMigrate(g *globals) *cobra.Command {
	var down bool
	var wait time.Duration
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply the SQL migrations (schema, provinces and the 178 zones)",
		RunE: func(cmd *cobra.Command, args []string) error {
			if wait > 0 {
				if down {
					return fmt.Errorf("--wait applies nothing: it does not go with --down")
				}
				return waitMigrated(cmd, g, wait)
			}
			return g.connected(migrateNow(down))(cmd, args)
		},
	}
	cmd.Flags().BoolVar(&down, "down", false, "roll back the most recent migration instead")
	cmd.Flags().DurationVar(&wait, "wait", 0, "apply nothing: wait up to this long (with its unit: 90s, 15m) until another process (a release's migration Job) has applied them all")
	return cmd
}

// migrateNow applies the pending migrations, or rolls back the latest.
func migrateNow(down bool) func(cmd *cobra.Command, w *wiring) error {
	return func(cmd *cobra.Command, w *wiring) error {
		if down {
			v, err := w.migrateDown(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "migrate: rolled back %d\n", v)
			return nil
		}
		applied, err := w.migrate(cmd.Context())
		if err != nil {
			return err
		}
		if len(applied) == 0 {
			fmt.Fprintln(cmd.OutOrStdout(), "migrate: already up to date")
		} else {
			fmt.Fprintf(cmd.OutOrStdout(), "migrate: applied %v\n", applied)
		}
		return nil
	}
}

// waitMigrated is a release's pods' init step: serve refuses a schema older
// than the binary, and a pod that exits for it is restarted with a growing
// back-off (minutes) after the migrations are in. A database that does not
// answer yet (PgBouncer restarting) is waited for too, until the limit.
func waitMigrated(cmd *cobra.Command, g *globals, limit time.Duration) error {
	// What waiting cannot mend fails at once (an operator probe: a wrong
	// password sat out the init step's 15 minutes): a bad config file, a
	// refused connection.
	if _, _, err := g.load(); err != nil {
		return err
	}
	deadline := time.Now().Add(limit)
	for {
		pending, err := g.migrationsPending(cmd)
		switch {
		case connectRefused(err):
			return err
		case err == nil && !pending:
			fmt.Fprintln(cmd.OutOrStdout(), "migrate: up to date")
			return nil
		case time.Now().After(deadline) && err != nil:
			return fmt.Errorf("migrations not known applied after %s: %w", limit, err)
		case time.Now().After(deadline):
			return fmt.Errorf("migrations still pending after %s", limit)
		case err != nil:
			fmt.Fprintf(cmd.ErrOrStderr(), "migrate: waiting: %v\n", err)
		}
		select {
		case <-cmd.Context().Done():
			return cmd.Context().Err()
		case <-time.After(time.Second):
		}
	}
}

// migrationsPending connects, asks whether the schema is behind the binary,
// and lets the connection go.
func (g *globals) migrationsPending(cmd *cobra.Command) (bool, error) {
	w, err := g.connect(cmd)
	if err != nil {
		return false, err
	}
	defer w.Close()
	return w.migrationsPending(cmd.Context())
}
