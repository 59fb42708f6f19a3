package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newMigrate(g *globals) *cobra.Command {
	var down bool
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply the SQL migrations (schema, provinces and the 178 zones)",
		RunE: g.connected(func(cmd *cobra.Command, w *wiring) error {
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
	return cmd
}
