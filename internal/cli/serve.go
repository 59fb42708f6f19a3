package cli

import (
	"net"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func newServe(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Serve the API under /api/v1, the web UI under /, /healthz and /readyz; /metrics on GRADZONE_METRICS_ADDR",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, log, err := g.load()
			if err != nil {
				return err
			}
			if err := cfg.ValidateForServe(log); err != nil {
				return err
			}
			log.Info("config", "config", cfg.Masked())
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			srv, err := newServer(ctx, cfg, log)
			if err != nil {
				return err
			}
			defer srv.Close()
			ln, err := net.Listen("tcp", cfg.HTTPAddr)
			if err != nil {
				return err
			}
			// The metrics address is the operators': /metrics and readiness
			// details are served there and nowhere else.
			var mln net.Listener
			if cfg.MetricsAddr != "" {
				if mln, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
					ln.Close()
					return err
				}
			}
			return srv.Run(ctx, ln, mln)
		},
	}
}
