package cli

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"
)

// newHealthcheck is a container's health check where the image has no
// HTTP client (distroless): it asks the serve of this machine whether it
// answers, as Kubernetes' liveness probe does.
func newHealthcheck(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "healthcheck",
		Short: "Ask this machine's serve (GRADZONE_HTTP_ADDR) for /healthz: exit 0 when it answers 200 (a container's health check)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, _, err := g.load()
			if err != nil {
				return err
			}
			host, port, err := net.SplitHostPort(cfg.HTTPAddr)
			if err != nil {
				return fmt.Errorf("healthcheck: GRADZONE_HTTP_ADDR %q: %w", cfg.HTTPAddr, err)
			}
			if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
				host = "127.0.0.1" // serve listens on every address: ask the loopback one
			}
			url := "http://" + net.JoinHostPort(host, port) + "/healthz"
			res, err := (&http.Client{Timeout: 3 * time.Second}).Get(url)
			if err != nil {
				return fmt.Errorf("healthcheck: %w", err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("healthcheck: %s answered %d", url, res.StatusCode)
			}
			fmt.Fprintln(cmd.OutOrStdout(), "ok")
			return nil
		},
	}
}
