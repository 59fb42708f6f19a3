package app_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/app"
	"github.com/gradzone/gradzone/internal/domain"
	"github.com/gradzone/gradzone/internal/postgres"
	"github.com/gradzone/gradzone/internal/testutil"
)

// readsCounted is the store, counting the watch's reads.
type readsCounted struct {
	*postgres.Store
	reads atomic.Int32
}

func (r *readsCounted) SearchIndexState(ctx context.Context) (domain.SearchIndexState, error) {
	r.reads.Add(1)
	return r.Store.SearchIndexState(ctx)
}

// An ops probe stopped Postgres and counted ten failed reads a second from
// the result cache's watch, each logged. While its reads fail, the watch
// reads less and less often; it reads every 100 ms while they succeed.
func TestIndexWatchBacksOffWhileTheDatabaseFails(t *testing.T) {
	watch := func(st *postgres.Store) int32 {
		counted := &readsCounted{Store: st}
		s := app.NewSearch(nil, counted, nil, testutil.Quiet(), 10)
		ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
		defer cancel()
		s.WatchIndex(ctx)
		return counted.reads.Load()
	}
	st, err := postgres.Open(context.Background(), testutil.NewDatabase(t), testutil.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	if n := watch(st); n < 8 {
		t.Errorf("%d reads in 1.5 s while the database answers, want one each 100 ms", n)
	}
	st.Close() // every read fails from now on
	if n := watch(st); n > 5 {
		t.Errorf("%d reads in 1.5 s while every read fails", n)
	}
}
