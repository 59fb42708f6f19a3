package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/gradzone/gradzone/internal/app"
)

func newFiles(g *globals) *cobra.Command {
	files := &cobra.Command{Use: "files", Short: "Uploaded files in the object store (GRADZONE_S3_*)"}
	var dir string
	migrate := &cobra.Command{
		Use:   "migrate-local",
		Short: "Move résumé files from the local upload folder into the object store (safe to run again)",
		Long: `Uploads every file in the upload folder (--dir, default GRADZONE_UPLOAD_DIR) to
the bucket under resumes/<name>, checks the stored size, then deletes the local
copy. Interrupted runs lose nothing: run it again.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, log, err := g.load()
			if err != nil {
				return err
			}
			if err := cfg.ValidateS3(); err != nil {
				return err
			}
			if dir == "" {
				dir = cfg.UploadDir
			}
			st, err := fileStore(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			rep, err := app.MoveLocalResumes(cmd.Context(), dir, st, log)
			if err != nil && rep.Moved+rep.Already+rep.Skipped == 0 {
				return err // nothing done: the error alone says it
			}
			fmt.Fprintf(cmd.OutOrStdout(), "files: %d moved (%d bytes), %d already in bucket %q, %d skipped\n",
				rep.Moved, rep.Bytes, rep.Already, cfg.S3Bucket, rep.Skipped)
			return err
		},
	}
	migrate.Flags().StringVar(&dir, "dir", "", "local upload folder (default GRADZONE_UPLOAD_DIR)")
	files.AddCommand(migrate)
	return files
}
