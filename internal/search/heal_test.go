package search_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/search"
	"github.com/gradzone/gradzone/internal/testutil"
)

// The index's settings include facetSearch off (issue 14 item 7: its
// database of 100,000 ids is indexing work on every change), and the heal's
// check sees an index where it is on as differing, so the next check puts
// it back.
func TestCheckSeesFacetSearchTurnedOn(t *testing.T) {
	ctx := context.Background()
	url, key := testutil.MeiliURL(t), os.Getenv("GRADZONE_MEILI_KEY")
	name := fmt.Sprintf("heal_check_%d", time.Now().UnixNano())
	ix := search.New(url, key, name)
	t.Cleanup(func() { _ = ix.Drop(context.Background()) })
	if _, err := ix.EnsureSettings(ctx); err != nil {
		t.Fatal(err)
	}
	if c, err := ix.Check(ctx); err != nil || !c.Exists || !c.SettingsOK {
		t.Fatalf("after EnsureSettings: %+v %v", c, err)
	}

	// As Meilisearch's default (or an operator) would have it.
	req, _ := http.NewRequest("PUT", url+"/indexes/"+name+"/settings/facet-search", bytes.NewBufferString("true"))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusAccepted {
		t.Fatalf("turning facet search on: %v %v", res, err)
	}
	res.Body.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := ix.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !c.SettingsOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the check still calls the settings right with facet search on")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := ix.EnsureSettings(ctx); err != nil {
		t.Fatal(err)
	}
	if c, err := ix.Check(ctx); err != nil || !c.SettingsOK {
		t.Fatalf("after the settings were applied again: %+v %v", c, err)
	}
}
