package cli

import (
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/gradzone/gradzone/internal/app"
)

func newReindex(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from Postgres (a fresh index swapped in: no empty moment)",
		RunE: g.migrated(func(cmd *cobra.Command, w *wiring) error {
			var bar *progressbar.ProgressBar
			start := time.Now()
			n, err := w.reindex(cmd.Context(), app.Progress{
				Total: func(n int64) {
					bar = progressbar.NewOptions64(n, progressbar.OptionSetDescription("reindex"),
						progressbar.OptionSetWriter(cmd.ErrOrStderr()), progressbar.OptionShowCount(),
						progressbar.OptionShowIts(), progressbar.OptionSetItsString("docs"), progressbar.OptionThrottle(100*time.Millisecond))
					// Drawn at once, which starts the bar's clock: started by
					// the first batch's arrival, it showed millions of docs/s.
					_ = bar.RenderBlank()
				},
				Done: func(n int) { _ = bar.Add(n) },
			})
			if bar != nil {
				_ = bar.Finish()
			}
			if err != nil {
				return fmt.Errorf("reindex: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\nreindex: %d openings indexed into %q in %s\n", n, w.cfg.MeiliIndex, time.Since(start).Round(time.Millisecond))
			return nil
		}),
	}
}
