package assetbundles

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// BenchmarkActive: POST /entities/active for a 10×10 square of parcels
// (an explorer's view) among 2,500 single-parcel scenes, each with an
// older version kept as its fallback.
func BenchmarkActive(b *testing.B) {
	st, err := store.Open(store.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc := New(Config{Store: st})
	ctx := context.Background()
	for x := range 50 {
		for y := range 50 {
			p := fmt.Sprintf("%d,%d", x, y)
			for v := range 2 {
				e := &entity.Entity{Pointers: []string{p}, Timestamp: int64(1000 + v), Metadata: json.RawMessage(`{"scene":{"base":"` + p + `"}}`)}
				rec := newRecord(fmt.Sprintf("bafkrei%dx%dv%d", x, y, v), "scene", e, "0x0000000000000000000000000000000000000001", "")
				if v == 0 {
					rec.Bundles.Assets.Mac, rec.Bundles.Assets.Windows = bundleComplete, bundleComplete
				}
				if _, err := svc.registerEntity(ctx, rec); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	var pointers []string
	for x := 20; x < 30; x++ {
		for y := 20; y < 30; y++ {
			pointers = append(pointers, fmt.Sprintf("%d,%d", x, y))
		}
	}
	body, _ := json.Marshal(map[string]any{"pointers": pointers})
	mux := http.NewServeMux()
	svc.Routes(mux)
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("POST", Prefix+"/entities/active", bytes.NewReader(body)))
		var out []Registry
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &out) != nil || len(out) != 100 {
			b.Fatalf("active: %d %d", rec.Code, len(out))
		}
	}
}
