package search

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/gradzone/gradzone/internal/pinyin"

	"github.com/gradzone/gradzone/internal/domain"
)

// Index is the openings index on one Meilisearch server.
type Index struct {
	client meilisearch.ServiceManager
	name   string
}

// New returns an Index named name on the server at url. Requests time out
// quickly: a slow engine must not hold API requests (search falls back).
//
// Keep-alive is off on purpose: on a reused connection Meilisearch 1.21's
// response meets the client's delayed ACK and every search waits ~40 ms
// (measured: 42.6 ms with keep-alive, 4.5 ms without; docs/benchmarks.md).
// A fresh connection to a nearby server costs far less.
//
// Compression is off too: Meilisearch sits next to the API, and gzipping a
// 30 KB search response cost both sides more CPU than the bytes it saved.
func New(url, key, name string) *Index {
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true, DisableCompression: true}}
	c := meilisearch.New(url, meilisearch.WithAPIKey(key), meilisearch.WithCustomClient(hc),
		meilisearch.WithCustomRetries([]int{502, 503, 504}, 1), meilisearch.WithCustomJsonUnmarshaler(unmarshal))
	return &Index{client: c, name: name}
}

// unmarshal is encoding/json, except that a raw response (SearchRaw) is
// kept as it came instead of being scanned once more for validity: the
// caller decodes it right away, and that decoding validates it.
func unmarshal(data []byte, v any) error {
	if raw, ok := v.(*json.RawMessage); ok {
		*raw = append((*raw)[:0], data...)
		return nil
	}
	return json.Unmarshal(data, v)
}

// Name returns the index name.
func (ix *Index) Name() string { return ix.name }

// ErrKeyRefused says Meilisearch answers but refuses the configured key: a
// deployment fault that waiting does not mend, named apart from an engine
// that does not answer.
var ErrKeyRefused = errors.New("meilisearch refused the API key")

// Healthy reports whether the server answers and takes the key. It reads
// the index, which, unlike /health, needs the key (with a wrong one
// readiness said "up" while every index write was refused), and needs no
// right the code does not use already (EnsureSettings reads it too). A
// missing index is healthy: the self-heal makes it.
func (ix *Index) Healthy(ctx context.Context) error {
	_, err := ix.client.GetIndex(ctx, ix.name)
	var me *meilisearch.Error
	switch {
	case errors.As(err, &me) && (me.StatusCode == http.StatusUnauthorized || me.StatusCode == http.StatusForbidden):
		return fmt.Errorf("%w: %v", ErrKeyRefused, err)
	case notFound(err):
		return nil
	}
	return err
}

// Explain returns err, when Meilisearch's client made it, as an operator
// reads it: the engine at url does not answer (and why, in the words of the
// network), refuses the key, or answered a status with its message; the
// client's own text names its request and Go function ("FetchInfo",
// "unaccepted status code found"). Other errors are returned as they are.
func Explain(url string, err error) error {
	var me *meilisearch.Error
	if !errors.As(err, &me) {
		return err
	}
	switch {
	case me.StatusCode == http.StatusUnauthorized || me.StatusCode == http.StatusForbidden:
		return fmt.Errorf("Meilisearch at %s refused the key (GRADZONE_MEILI_KEY): %s", url, me.APIError.Message)
	case me.StatusCode != 0 && me.APIError.Code == "":
		// No Meilisearch error in the body: something else answered there.
		return fmt.Errorf("%s (GRADZONE_MEILI_URL) answered %d %s, not as Meilisearch does", url, me.StatusCode, http.StatusText(me.StatusCode))
	case me.StatusCode != 0:
		return fmt.Errorf("Meilisearch at %s answered %d: %s", url, me.StatusCode, me.APIError.Message)
	}
	cause := error(me)
	for next := errors.Unwrap(cause); next != nil; next = errors.Unwrap(cause) {
		cause = next
	}
	return fmt.Errorf("Meilisearch does not answer at %s (GRADZONE_MEILI_URL): %v", url, cause)
}

// notFound says err is Meilisearch's answer that the index or document
// asked for does not exist.
func notFound(err error) bool {
	var me *meilisearch.Error
	return errors.As(err, &me) && me.StatusCode == http.StatusNotFound
}

//go:embed synonyms.json
var synonymsJSON []byte

// Synonyms returns the synonym map: every term of a group maps to every other
// term, so synonyms work both ways and across languages.
func Synonyms() map[string][]string {
	var groups [][]string
	if err := json.Unmarshal(synonymsJSON, &groups); err != nil {
		panic("search: synonyms.json: " + err.Error())
	}
	out := map[string][]string{}
	for _, g := range groups {
		for _, a := range g {
			key := strings.ToLower(a)
			for _, b := range g {
				if !strings.EqualFold(a, b) && !slices.Contains(out[key], strings.ToLower(b)) {
					out[key] = append(out[key], strings.ToLower(b))
				}
			}
		}
	}
	return out
}

// settings is the index configuration, applied idempotently at start.
func settings() *meilisearch.Settings {
	// Searchable in order of importance: a match in the title ranks above one
	// in the employer name, which ranks above one in the description; a
	// place spelt in pinyin above a syllable of another word.
	searchable := []string{"title_spaced", "place_pinyin", "pinyin", "employer_name", "majors", "industry_text", "discipline_text",
		"city", "zone_name", "description_spaced"}
	return &meilisearch.Settings{
		SearchableAttributes: searchable,
		DisplayedAttributes:  []string{"*"},
		FilterableAttributes: []string{"id", "zone_code", "province_code", "industry", "degree_min", "degree_rank",
			"employer_type", "employer_id", "city", "deadline_ts", "doc_version"},
		SortableAttributes: []string{"published_ts", "deadline_ts", "salary_max", "salary_min"},
		// sort right after words: an explicit order (sort=salary) is honoured
		// with a query, not used only to break relevance ties; without one
		// the rule does nothing and relevance decides.
		RankingRules: []string{"words", "sort", "typo", "proximity", "attribute", "exactness"},
		// Proximity counts a query's words as near when they stand in the
		// same field, not by their distance in it: indexing the 8,216
		// documents of a season took 12–20 s instead of 30–43 s (the word
		// pair database is most of Meilisearch's indexing work), which is
		// what bounds how soon an approved opening can be found and how
		// long a rebuild takes. Titles are short, so ranking barely moves
		// (TestSearchQuality holds). docs/benchmarks.md, issue 14.
		ProximityPrecision: meilisearch.ByAttribute,
		Synonyms:           Synonyms(),
		// A place's name is matched as typed (a prefix still counts):
		// "chengdu" with a typo is a prefix of 成果's and 集成电路's pinyin
		// (chenggu-o, chengdi-an), and counted them under Chengdu. Other
		// words keep their typos: a homophone typo's sound (深证 shenzheng)
		// finds 深圳 (shenzhen) by one.
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled:             true,
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 5, TwoTypos: 9},
			DisableOnWords:      pinyin.PlaceWords(),
			DisableOnAttributes: []string{},
		},
		// 178 zones and 32 provinces must all fit in facet counts.
		Faceting:   &meilisearch.Faceting{MaxValuesPerFacet: 300, SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeCount}},
		Pagination: &meilisearch.Pagination{MaxTotalHits: 1_000_000},
		LocalizedAttributes: []*meilisearch.LocalizedAttributes{
			{AttributePatterns: []string{"title_spaced", "description_spaced", "employer_name", "majors", "city", "zone_name"}, Locales: []string{"cmn", "eng"}},
		},
		SearchCutoffMs: 1500,
	}
}

// wait returns a function that waits for the task an SDK call enqueued and
// turns a failed task into an error: ix.wait(ctx)(index.AddDocuments(…)).
func (ix *Index) wait(ctx context.Context) func(*meilisearch.TaskInfo, error) error {
	return func(info *meilisearch.TaskInfo, err error) error { return ix.waitTask(ctx, info, err) }
}

func (ix *Index) waitTask(ctx context.Context, info *meilisearch.TaskInfo, err error) error {
	if err != nil {
		return err
	}
	t, err := ix.client.WaitForTask(ctx, info.TaskUID, 20*time.Millisecond)
	if err != nil {
		return err
	}
	if t.Status != meilisearch.TaskStatusSucceeded {
		return &taskError{uid: t.UID, status: t.Status, code: string(t.Error.Code), message: t.Error.Message}
	}
	return nil
}

// taskError is a Meilisearch task that did not succeed; code is
// Meilisearch's name for what went wrong (index_not_found, …).
type taskError struct {
	uid           int64
	status        meilisearch.TaskStatus
	code, message string
}

func (e *taskError) Error() string {
	return fmt.Sprintf("meilisearch task %d %s: %s", e.uid, e.status, e.message)
}

// failedWith reports whether err is a task that failed with code.
func failedWith(err error, code string) bool {
	var te *taskError
	return errors.As(err, &te) && te.code == code
}

// EnsureSettings creates the index if it is missing and applies the
// settings; made says it was missing (lost, or never made).
func (ix *Index) EnsureSettings(ctx context.Context) (made bool, err error) {
	return ix.ensure(ctx, ix.name)
}

func (ix *Index) ensure(ctx context.Context, name string) (made bool, err error) {
	if _, err := ix.client.GetIndex(ctx, name); err != nil {
		if !notFound(err) {
			return false, err
		}
		made = true
		if err := ix.wait(ctx)(ix.client.CreateIndex(ctx, &meilisearch.IndexConfig{Uid: name, PrimaryKey: "id"})); err != nil && !strings.Contains(err.Error(), "already exists") {
			return false, err
		}
	}
	if err := ix.wait(ctx)(ix.client.Index(name).UpdateSettings(ctx, settings())); err != nil {
		return made, err
	}
	// No one searches within facet values, and the facet-search database
	// of 100,000 ids and employer ids is indexing work on every change.
	// (The SDK's Settings drops a false facetSearch, so it is its own call.)
	return made, ix.wait(ctx)(ix.client.Index(name).UpdateFacetSearch(ctx, false))
}

// Sync upserts docs and deletes the IDs in remove, waiting until both are
// applied. Both are idempotent, so a retried batch is harmless.
func (ix *Index) Sync(ctx context.Context, docs []Document, remove []string) error {
	wait, err := ix.SyncQueued(ctx, docs, remove)
	if err != nil {
		return err
	}
	return wait(ctx)
}

// SyncQueued queues the same changes as Sync and returns once Meilisearch
// has accepted them; wait then waits until they are applied. Meilisearch
// applies tasks in the order it accepted them, so a caller that holds a
// lock only until SyncQueued returns still orders its changes, and many
// callers waiting at once let Meilisearch apply their tasks in one batch.
func (ix *Index) SyncQueued(ctx context.Context, docs []Document, remove []string) (wait func(context.Context) error, err error) {
	idx := ix.client.Index(ix.name)
	pk := "id"
	var tasks []*meilisearch.TaskInfo
	if len(docs) > 0 {
		t, err := idx.AddDocuments(ctx, docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
		if err != nil {
			return nil, fmt.Errorf("index documents: %w", err)
		}
		tasks = append(tasks, t)
	}
	if len(remove) > 0 {
		t, err := idx.DeleteDocuments(ctx, remove, nil)
		if err != nil {
			return nil, fmt.Errorf("delete documents: %w", err)
		}
		tasks = append(tasks, t)
	}
	return func(ctx context.Context) error {
		for _, t := range tasks {
			if err := ix.waitTask(ctx, t, nil); err != nil {
				return fmt.Errorf("index sync: %w", err)
			}
		}
		return nil
	}, nil
}

// SyncOpeningsQueued is SyncQueued for openings: upsert are indexed as
// documents, remove deleted by ID.
func (ix *Index) SyncOpeningsQueued(ctx context.Context, upsert []domain.Opening, remove []string) (wait func(context.Context) error, err error) {
	docs := make([]Document, len(upsert))
	for i, o := range upsert {
		docs[i] = NewDocument(o)
	}
	return ix.SyncQueued(ctx, docs, remove)
}

// RebuildOpenings is Rebuild fed with openings.
func (ix *Index) RebuildOpenings(ctx context.Context, fill func(add func([]domain.Opening) error) error) error {
	return ix.Rebuild(ctx, func(add func([]Document) error) error {
		return fill(func(ops []domain.Opening) error {
			docs := make([]Document, len(ops))
			for i, o := range ops {
				docs[i] = NewDocument(o)
			}
			return add(docs)
		})
	})
}

// Rebuild fills a fresh index through fill and swaps it in atomically, so
// searches never see an empty or half-built index. The old index is deleted,
// and so are the fresh indexes earlier rebuilds of this index left behind:
// the caller holds the rebuild lock, so no other rebuild is filling one.
func (ix *Index) Rebuild(ctx context.Context, fill func(add func([]Document) error) error) error {
	if _, err := ix.EnsureSettings(ctx); err != nil {
		return err
	}
	if err := ix.dropLeftovers(ctx); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s%d", ix.rebuildPrefix(), time.Now().UnixNano())
	if _, err := ix.ensure(ctx, tmp); err != nil {
		return err
	}
	defer func() { _, _ = ix.client.DeleteIndex(context.WithoutCancel(ctx), tmp) }()
	made, err := ix.client.GetIndex(ctx, tmp)
	if err != nil {
		return err
	}
	pk := "id"
	// Batches are enqueued without waiting, so Meilisearch can merge them
	// (auto-batching); every task is checked before the swap.
	var tasks []*meilisearch.TaskInfo
	err = fill(func(docs []Document) error {
		info, err := ix.client.Index(tmp).AddDocuments(ctx, docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
		if err != nil {
			return err
		}
		tasks = append(tasks, info)
		return nil
	})
	if err != nil {
		return err
	}
	for _, info := range tasks {
		if err := ix.waitTask(ctx, info, nil); err != nil {
			return err
		}
	}
	if now, err := ix.client.GetIndex(ctx, tmp); notFound(err) || (err == nil && !now.CreatedAt.Equal(made.CreatedAt)) {
		return ErrRebuildCopyLost
	} else if err != nil {
		return err
	}
	return ix.swapIn(ctx, tmp)
}

// ErrRebuildCopyLost says a rebuild's fresh index was deleted while it
// filled it: its process was frozen past its lock (a SIGSTOP, a paused VM),
// another process's rebuild took the copy for a leftover, and the batches
// after made it again with Meilisearch's default settings and only part of
// the documents. Swapped in, every filtered search failed.
var ErrRebuildCopyLost = errors.New("search rebuild stopped: its fresh index was deleted while it filled it")

// rebuildPrefix starts the name of a rebuild's fresh index, which ends
// with digits.
func (ix *Index) rebuildPrefix() string { return ix.name + "_rebuild_" }

// dropLeftovers deletes the fresh indexes of rebuilds that never reached
// their deferred delete: cut off by Meilisearch stopping (the delete found
// no engine) or by their process dying. Each was a full copy of the index
// on Meilisearch's disk, kept for good.
func (ix *Index) dropLeftovers(ctx context.Context) error {
	list, err := ix.client.ListIndexes(ctx, &meilisearch.IndexesQuery{Limit: 1000})
	if err != nil {
		return err
	}
	for _, r := range list.Results {
		rest, ok := strings.CutPrefix(r.UID, ix.rebuildPrefix())
		if !ok || rest == "" || strings.Trim(rest, "0123456789") != "" {
			continue
		}
		if err := ix.wait(ctx)(ix.client.DeleteIndex(ctx, r.UID)); err != nil && !failedWith(err, "index_not_found") {
			return err
		}
	}
	return nil
}

// swapIn makes the filled index tmp the live one. A live index deleted
// while tmp was filled leaves nothing to swap with: tmp is renamed to it
// instead, and swapped after all if an index job made the live index
// again (empty but for its change) between the two.
func (ix *Index) swapIn(ctx context.Context, tmp string) error {
	var err error
	for range 3 {
		err = ix.wait(ctx)(ix.client.SwapIndexes(ctx, []*meilisearch.SwapIndexesParams{{Indexes: []string{ix.name, tmp}}}))
		if !failedWith(err, "index_not_found") {
			return err
		}
		err = ix.wait(ctx)(ix.client.SwapIndexes(ctx, []*meilisearch.SwapIndexesParams{{Indexes: []string{tmp, ix.name}, Rename: true}}))
		if !failedWith(err, "index_already_exists") {
			return err
		}
	}
	return err
}

// Drop deletes the index (tests).
func (ix *Index) Drop(ctx context.Context) error {
	return ix.wait(ctx)(ix.client.DeleteIndex(ctx, ix.name))
}

// Count returns the number of documents in the index.
func (ix *Index) Count(ctx context.Context) (int64, error) {
	st, err := ix.client.Index(ix.name).GetStats(ctx, nil)
	if err != nil {
		return 0, err
	}
	return st.NumberOfDocuments, nil
}

// Has reports whether the document with id is in the index.
func (ix *Index) Has(ctx context.Context, id string) (bool, error) {
	var d map[string]any
	err := ix.client.Index(ix.name).GetDocument(ctx, id, &meilisearch.DocumentQuery{Fields: []string{"id"}}, &d)
	if notFound(err) {
		return false, nil
	}
	return err == nil, err
}
