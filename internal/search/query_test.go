package search

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/bytedance/sonic"
)

// search_response.json is Meilisearch 1.21's answer to our request for 科研助理
// over the 100,000 benchmark openings: 20 hits with _formatted, 5 facets.

func TestSonicDecodesLikeEncodingJSON(t *testing.T) {
	data, err := os.ReadFile("testdata/search_response.json")
	if err != nil {
		t.Fatal(err)
	}
	var std, fast rawResponse
	if err := json.Unmarshal(data, &std); err != nil {
		t.Fatal(err)
	}
	if err := sonic.ConfigStd.Unmarshal(data, &fast); err != nil {
		t.Fatal(err)
	}
	if len(std.Hits) != 20 || len(std.FacetDistribution) != 5 || !reflect.DeepEqual(std, fast) {
		t.Fatalf("decoders disagree or the fixture changed: %d hits, %d facets", len(std.Hits), len(std.FacetDistribution))
	}
}

func BenchmarkDecodeResponse(b *testing.B) {
	data, err := os.ReadFile("testdata/search_response.json")
	if err != nil {
		b.Fatal(err)
	}
	for name, decode := range map[string]func([]byte, any) error{"encoding/json": json.Unmarshal, "sonic": sonic.ConfigStd.Unmarshal} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var r rawResponse
				if err := decode(data, &r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
