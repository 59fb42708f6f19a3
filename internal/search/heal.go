package search

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/meilisearch/meilisearch-go"

	"github.com/gradzone/gradzone/internal/domain"
)

// Check reports whether the index exists, carries the code's settings, and
// how many documents it holds (the self-heal compares it with Postgres).
func (ix *Index) Check(ctx context.Context) (domain.IndexCheck, error) {
	var c domain.IndexCheck
	idx := ix.client.Index(ix.name)
	got, err := idx.GetSettings(ctx)
	var me *meilisearch.Error
	if errors.As(err, &me) && me.StatusCode == http.StatusNotFound {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	c.Exists = true
	want := settings()
	c.SettingsOK = sameSet(got.FilterableAttributes, want.FilterableAttributes) &&
		sameSet(got.SortableAttributes, want.SortableAttributes) &&
		slices.Equal(got.SearchableAttributes, want.SearchableAttributes) &&
		slices.Equal(got.RankingRules, want.RankingRules) &&
		got.ProximityPrecision == want.ProximityPrecision && !got.FacetSearch
	st, err := idx.GetStats(ctx, nil)
	if err != nil {
		return c, err
	}
	c.Documents = st.NumberOfDocuments
	if !c.SettingsOK {
		return c, nil // doc_version may not be filterable yet
	}
	// Older only: a document written before the field existed, or by an
	// older release. A newer release's documents (a rolling deploy) are not
	// this release's to rebuild, or two releases would rebuild in turn.
	res, err := idx.Search(ctx, "", &meilisearch.SearchRequest{
		Filter: fmt.Sprintf("doc_version NOT EXISTS OR doc_version < %d", DocumentVersion), Limit: 1})
	if err != nil {
		return c, err
	}
	c.Outdated = res.EstimatedTotalHits
	return c, nil
}

// sameSet compares attribute lists whose order Meilisearch does not keep.
func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
