// Command gradzone is the whole gradzone platform in one binary: the server,
// migrations, staff accounts, search reindexing, demo data, moving old local
// files into S3 and the season load test.
package main

import (
	"context"
	"os"

	"github.com/gradzone/gradzone/internal/cli"
)

func main() {
	os.Exit(cli.Execute(context.Background()))
}
