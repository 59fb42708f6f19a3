package search

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/meilisearch/meilisearch-go"

	"github.com/gradzone/gradzone/internal/domain"
)

// Holding says which of ids the index holds.
func (ix *Index) Holding(ctx context.Context, ids []string) (map[string]bool, error) {
	held := map[string]bool{}
	if len(ids) == 0 {
		return held, nil
	}
	got, err := ix.documentIDs(ctx, &meilisearch.DocumentsQuery{Ids: ids, Limit: int64(len(ids))})
	for _, id := range got {
		held[id] = true
	}
	return held, err
}

// Differing says which of ops the index holds a document of for that is
// not the one NewDocument makes of the opening now. A document of another
// release (doc_version) is not compared: an older one is the Check's
// Outdated, a newer one is a rolling deploy's and not this release's to
// judge (two releases would rebuild in turn).
func (ix *Index) Differing(ctx context.Context, ops []domain.Opening) ([]string, error) {
	if len(ops) == 0 {
		return nil, nil
	}
	ids := make([]string, len(ops))
	for i, o := range ops {
		ids[i] = o.ID
	}
	var res meilisearch.DocumentsResult
	err := ix.client.Index(ix.name).GetDocuments(ctx, &meilisearch.DocumentsQuery{Ids: ids, Limit: int64(len(ids))}, &res)
	if err != nil {
		return nil, err
	}
	var docs []Document
	if err := res.Results.Decode(&docs); err != nil {
		return nil, err
	}
	held := make(map[string]Document, len(docs))
	for _, d := range docs {
		held[d.ID] = d
	}
	var differing []string
	for _, o := range ops {
		d, ok := held[o.ID]
		if !ok || d.Version != DocumentVersion {
			continue
		}
		// Compared as JSON, the form both went to Meilisearch in (a nil and
		// an empty list of majors alike stay as they were sent).
		got, err1 := json.Marshal(d)
		want, err2 := json.Marshal(NewDocument(o))
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		if !bytes.Equal(got, want) {
			differing = append(differing, o.ID)
		}
	}
	return differing, nil
}

// sampleWindow is how many documents one read of a sample takes.
const sampleWindow = 50

// SampleIDs returns about n document IDs from places in the index picked
// at random: windows of sampleWindow at uniform offsets that wrap past the
// end, so every document, the first and the last alike, is as likely to be
// in it (openings published since a backup sit together, at one end; a
// window had to fit before the end, and the last were met once in N
// checks). With n or fewer documents it returns them all, in order.
func (ix *Index) SampleIDs(ctx context.Context, n int) ([]string, error) {
	st, err := ix.client.Index(ix.name).GetStats(ctx, nil)
	if err != nil || st.NumberOfDocuments == 0 {
		return nil, err
	}
	total := st.NumberOfDocuments
	if total <= int64(n) {
		return ix.documentIDs(ctx, &meilisearch.DocumentsQuery{Limit: total})
	}
	var ids []string
	for range (n + sampleWindow - 1) / sampleWindow {
		offset, size := rand.Int64N(total), int64(min(sampleWindow, n))
		got, err := ix.documentIDs(ctx, &meilisearch.DocumentsQuery{Offset: offset, Limit: size})
		if err != nil {
			return nil, err
		}
		if wrap := size - (total - offset); wrap > 0 {
			more, err := ix.documentIDs(ctx, &meilisearch.DocumentsQuery{Limit: wrap})
			if err != nil {
				return nil, err
			}
			got = append(got, more...)
		}
		ids = append(ids, got...)
	}
	return ids, nil
}

// documentIDs fetches the IDs of the documents q selects.
func (ix *Index) documentIDs(ctx context.Context, q *meilisearch.DocumentsQuery) ([]string, error) {
	q.Fields = []string{"id"}
	var res meilisearch.DocumentsResult
	if err := ix.client.Index(ix.name).GetDocuments(ctx, q, &res); err != nil {
		return nil, err
	}
	var docs []struct {
		ID string `json:"id"`
	}
	if err := res.Results.Decode(&docs); err != nil {
		return nil, err
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return ids, nil
}

// Check reports whether the index exists, carries the code's settings, and
// how many documents it holds (the self-heal compares it with Postgres).
func (ix *Index) Check(ctx context.Context) (domain.IndexCheck, error) {
	var c domain.IndexCheck
	idx := ix.client.Index(ix.name)
	got, err := idx.GetSettings(ctx)
	if notFound(err) {
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
