package search_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/gradzone/gradzone/internal/domain"
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
	ix := freshIndex(t, "heal_check")
	name := ix.Name()
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

// The heal's sample of the index is read in windows at random places. A
// window's start drawn from where a whole window fits reached the last
// documents once in every N checks, and openings published since a backup
// sit together at one end (a review): every document, first and last
// alike, must be as likely to be in it.
func TestSampleReachesBothEnds(t *testing.T) {
	ctx := context.Background()
	ix := freshIndex(t, "heal_sample")
	docs := make([]search.Document, 200)
	for i := range docs {
		docs[i] = search.Document{ID: fmt.Sprintf("doc-%03d", i), Title: "样本"}
	}
	if err := ix.Sync(ctx, docs, nil); err != nil {
		t.Fatal(err)
	}
	all, err := ix.SampleIDs(ctx, len(docs)) // as many as there are: all, in the index's order
	if err != nil || len(all) != len(docs) {
		t.Fatalf("the whole index: %d ids, %v", len(all), err)
	}
	first, last := all[0], all[len(all)-1]
	seen := map[string]int{}
	const draws = 400
	for range draws {
		ids, err := ix.SampleIDs(ctx, 20)
		if err != nil || len(ids) < 20 {
			t.Fatalf("a sample: %d ids, %v", len(ids), err)
		}
		for _, id := range ids {
			seen[id]++
		}
	}
	// Each is in a sample of 20 from 200 one time in ten: 40 of 400 draws
	// (fewer than 15 has a chance below one in a million).
	if seen[first] < 15 || seen[last] < 15 {
		t.Errorf("in %d samples the first document was met %d times and the last %d, want about %d each", draws, seen[first], seen[last], draws/10)
	}
}

// The heal compares sampled documents with what Postgres makes of their
// openings now; a document of another release is not judged (a rolling
// deploy's newer documents would otherwise be rebuilt by the older
// replicas, and theirs by the newer, in turn).
func TestDifferingComparesDocumentsOfThisRelease(t *testing.T) {
	ctx := context.Background()
	ix := freshIndex(t, "heal_differ")
	published := time.Date(2026, 11, 3, 9, 30, 0, 123456000, time.UTC)
	opening := func(id, title string) domain.Opening {
		return domain.Opening{ID: id, Title: title, City: "成都", Deadline: "2027-01-31", PublishedAt: &published,
			Employer: domain.EmployerRef{ID: "e1", Name: "智算科技", Type: "enterprise"}, Industry: "ai"}
	}
	same, edited, newer := opening("same", "科研助理"), opening("edited", "算法助理"), opening("newer", "数据助理")
	newerDoc := search.NewDocument(newer)
	newerDoc.Version, newerDoc.Title = search.DocumentVersion+1, "下一版的文档"
	if err := ix.Sync(ctx, []search.Document{search.NewDocument(same), search.NewDocument(edited), newerDoc}, nil); err != nil {
		t.Fatal(err)
	}
	edited.Title = "备份时的旧标题"
	got, err := ix.Differing(ctx, []domain.Opening{same, edited, newer, opening("absent", "不在索引")})
	if err != nil || !slices.Equal(got, []string{"edited"}) {
		t.Fatalf("differing: %v %v, want [edited]", got, err)
	}
}

// A rebuild whose live index is deleted while it fills the fresh one (by
// hand, or by a test wiping it) still ends with the fresh index live: the
// swap found no index to swap with and the rebuild failed, leaving search
// without an index until the next check rebuilt it all again (CI met it in
// TestSearchHealLeavesRunningRebuild).
func TestRebuildSurvivesTheLiveIndexDeleted(t *testing.T) {
	ctx := context.Background()
	ix := freshIndex(t, "rebuild_lost")
	published := time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)
	op := domain.Opening{ID: "kept", Title: "重建中的岗位", City: "成都", Deadline: "2027-01-31", PublishedAt: &published,
		Employer: domain.EmployerRef{ID: "e1", Name: "智算科技", Type: "enterprise"}, Industry: "ai"}
	err := ix.Rebuild(ctx, func(add func([]search.Document) error) error {
		if err := ix.Drop(ctx); err != nil {
			return err
		}
		return add([]search.Document{search.NewDocument(op)})
	})
	if err != nil {
		t.Fatalf("a rebuild whose live index was deleted meanwhile: %v", err)
	}
	if c, err := ix.Check(ctx); err != nil || !c.Exists || !c.SettingsOK || c.Documents != 1 {
		t.Fatalf("after the rebuild: %+v %v, want the rebuilt index live with its settings", c, err)
	}
}

// freshIndex is an index of its own for a test, with the code's settings,
// dropped when the test ends.
func freshIndex(t *testing.T, prefix string) *search.Index {
	t.Helper()
	ix := search.New(testutil.MeiliURL(t), os.Getenv("GRADZONE_MEILI_KEY"), fmt.Sprintf("%s_%d", prefix, time.Now().UnixNano()))
	t.Cleanup(func() { _ = ix.Drop(context.Background()) })
	if _, err := ix.EnsureSettings(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ix
}

// A rebuild cut off by Meilisearch stopping (or by its process dying) left
// its fresh index behind: its deferred delete found no engine, and nothing
// deleted it later, so each one kept a full copy of the index on
// Meilisearch's disk for good. The next rebuild deletes the copies earlier
// rebuilds of its index left, and only those.
func TestRebuildDeletesTheCopyOfAnInterruptedOne(t *testing.T) {
	ctx := context.Background()
	m := testutil.StartMeili(t)
	ix := search.New(m.URL(), m.Key, "openings")
	published := time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)
	docs := []search.Document{search.NewDocument(domain.Opening{ID: "kept", Title: "中断后的岗位", City: "成都", Deadline: "2027-01-31",
		PublishedAt: &published, Employer: domain.EmployerRef{ID: "e1", Name: "智算科技", Type: "enterprise"}, Industry: "ai"})}
	// Another index's copy, which this index's rebuild must leave alone.
	other := search.New(m.URL(), m.Key, "other_rebuild_1")
	if _, err := other.EnsureSettings(ctx); err != nil {
		t.Fatal(err)
	}
	err := ix.Rebuild(ctx, func(add func([]search.Document) error) error {
		if err := add(docs); err != nil {
			return err
		}
		m.Stop()
		return nil
	})
	if err == nil {
		t.Fatal("a rebuild whose engine stopped did not fail")
	}
	m.Start()
	if err := ix.Rebuild(ctx, func(add func([]search.Document) error) error { return add(docs) }); err != nil {
		t.Fatal(err)
	}
	// The swapped-out index is deleted after the rebuild returns.
	testutil.Eventually(t, 10*time.Second, 50*time.Millisecond, func() string {
		req, _ := http.NewRequest("GET", m.URL()+"/indexes?limit=100", nil)
		req.Header.Set("Authorization", "Bearer "+m.Key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err.Error()
		}
		defer res.Body.Close()
		var list struct {
			Results []struct {
				UID string `json:"uid"`
			} `json:"results"`
		}
		if err := json.NewDecoder(res.Body).Decode(&list); err != nil {
			return err.Error()
		}
		var names []string
		for _, r := range list.Results {
			names = append(names, r.UID)
		}
		slices.Sort(names)
		if !slices.Equal(names, []string{"openings", "other_rebuild_1"}) {
			return fmt.Sprintf("indexes after a rebuild that followed an interrupted one: %v", names)
		}
		return ""
	})
}

// Saved searches are asked of Meilisearch many to a request: each answer
// must come back to its own search across requests, and a search with no
// openings to look at is not sent.
func TestMatchingIDsAnswersEachSearch(t *testing.T) {
	ctx := context.Background()
	ix := freshIndex(t, "match")
	cities := []string{"成都", "北京", "上海"}
	var docs []search.Document
	for i, c := range cities {
		docs = append(docs, search.NewDocument(domain.Opening{ID: fmt.Sprintf("in-%d", i), Title: "科研助理", City: c, Deadline: "2027-01-31",
			Employer: domain.EmployerRef{ID: "e1", Name: "智算科技", Type: "enterprise"}, Industry: "ai"}))
	}
	if err := ix.Sync(ctx, docs, nil); err != nil {
		t.Fatal(err)
	}
	today, _ := domain.ParseDate("2026-12-01")
	qs := make([]domain.SearchQuery, 250)
	for i := range qs {
		qs[i] = domain.SearchQuery{SearchFilters: domain.SearchFilters{City: cities[i%3]}, Today: today}
		if i%7 != 0 {
			qs[i].IDs = []string{"in-0", "in-1", "in-2"}
		}
	}
	matched, err := ix.MatchingIDs(ctx, qs)
	if err != nil || len(matched) != len(qs) {
		t.Fatalf("%d answers for %d searches: %v", len(matched), len(qs), err)
	}
	for i, ids := range matched {
		want := []string{fmt.Sprintf("in-%d", i%3)}
		if i%7 == 0 {
			want = nil
		}
		if !slices.Equal(ids, want) {
			t.Fatalf("search %d (%s): %v, want %v", i, cities[i%3], ids, want)
		}
	}
}
