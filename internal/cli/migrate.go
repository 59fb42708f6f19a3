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
		RunE: g.connected(func(cmd *cobra.Command, w *wiring) error {
			if wait > 0 {
				return waitMigrated(cmd, w, wait)
			}
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
		}),
	}
	cmd.Flags().BoolVar(&down, "down", false, "roll back the most recent migration instead")
	cmd.Flags().DurationVar(&wait, "wait", 0, "apply nothing: wait up to this long until another process (a release's migration Job) has applied them all")
	return cmd
}

// waitMigrated is a release's pods' init step: serve refuses a schema older
// than the binary, and a pod that exits for it is restarted with a growing
// back-off (minutes) after the migrations are in.
func waitMigrated(cmd *cobra.Command, w *wiring, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		pending, err := w.migrationsPending(cmd.Context())
		switch {
		case err != nil:
			return err
		case !pending:
			fmt.Fprintln(cmd.OutOrStdout(), "migrate: up to date")
			return nil
		case time.Now().After(deadline):
			return fmt.Errorf("migrations still pending after %s", limit)
		}
		select {
		case <-cmd.Context().Done():
			return cmd.Context().Err()
		case <-time.After(time.Second):
		}
	}
}
