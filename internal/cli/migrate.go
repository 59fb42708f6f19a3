package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/gradzone/gradzone/internal/postgres"
)

func newMigrate(g *globals) *cobra.Command {
	var down bool
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply the SQL migrations (schema, provinces and the 178 zones)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, log, err := g.load()
			if err != nil {
				return err
			}
			store, err := postgres.Open(cmd.Context(), cfg.DatabaseURL, log)
			if err != nil {
				return err
			}
			defer store.Close()
			if down {
				v, err := store.MigrateDown(cmd.Context())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "migrate: rolled back %d\n", v)
				return nil
			}
			applied, err := store.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "migrate: already up to date")
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "migrate: applied %v\n", applied)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&down, "down", false, "roll back the most recent migration instead")
	return cmd
}
