package replicate

import (
	"fmt"
	"math/rand/v2"
	"net"
	"slices"
	"testing"
)

// reconcilePair runs both sides over an in-memory pipe.
func reconcilePair(t testing.TB, a, b *index) (ReconcileResult, ReconcileResult) {
	ca, cb := net.Pipe()
	ra, rb := a.reconciler(), b.reconciler()
	errc := make(chan error, 1)
	go func() { errc <- rb.run(cb, false); cb.Close() }()
	if err := ra.run(ca, true); err != nil {
		t.Fatal(err)
	}
	ca.Close()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	return ra.result(), rb.result()
}

func fill(x *index, ids []int) {
	for _, i := range ids {
		x.add(int64(1000+i/3), fmt.Sprintf("bafkrei%052d", i))
	}
}

func TestReconcileFindsTheDifference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct{ common, onlyA, onlyB int }{
		{0, 0, 0}, {0, 5, 0}, {0, 0, 500}, {1000, 0, 0}, {1000, 1, 0}, {1000, 0, 1}, {5000, 37, 211}, {20000, 3000, 0},
	} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			perm := r.Perm(tc.common + tc.onlyA + tc.onlyB)
			common, onlyA, onlyB := perm[:tc.common], perm[tc.common:tc.common+tc.onlyA], perm[tc.common+tc.onlyA:]
			a, b := &index{}, &index{}
			fill(a, common)
			fill(b, common)
			fill(a, onlyA)
			fill(b, onlyB)
			resA, resB := reconcilePair(t, a, b)
			if len(resA.Need) != tc.onlyB || len(resB.Need) != tc.onlyA {
				t.Fatalf("A needs %d (want %d), B needs %d (want %d)", len(resA.Need), tc.onlyB, len(resB.Need), tc.onlyA)
			}
			want := &index{}
			fill(want, onlyB)
			items, _ := want.view()
			for i, k := range resA.Need {
				if k != items[i].key {
					t.Fatalf("need[%d] = %v, want %v", i, k, items[i].key)
				}
			}
		})
	}
}

func TestIndexInsertKeepsReadersConsistent(t *testing.T) {
	x := &index{}
	fill(x, []int{10, 20, 30})
	items, prefix := x.view()
	x.add(1, "early") // inserted in the middle
	if len(items) != 3 || items[0].key.ID != fmt.Sprintf("bafkrei%052d", 10) || prefix[3].Count != 3 {
		t.Fatal("an insert changed what a reader holds")
	}
	items, _ = x.view()
	if !slices.IsSortedFunc(items, func(a, b item) int {
		if a.key.less(b.key) {
			return -1
		}
		return 1
	}) || len(items) != 4 {
		t.Fatal("index not sorted")
	}
}

// BenchmarkReconcile measures one reconciliation between a node holding
// every deployment and one that missed some: the newest ones (a node that
// was down, the common case) or ones scattered at random (the worst case).
// Run: go test -run X -bench Reconcile ./sync/replicate/
func BenchmarkReconcile(b *testing.B) {
	for _, tc := range []struct {
		total, missed int
		scattered     bool
	}{
		{110000, 10000, false}, {200000, 100000, false}, {1000000, 100, false}, {1000000, 10000, false}, {1000000, 100000, false},
		{110000, 10000, true}, {1000000, 100, true}, {1000000, 10000, true},
	} {
		pattern := "newest"
		if tc.scattered {
			pattern = "scattered"
		}
		b.Run(fmt.Sprintf("total=%d/missed=%d/%s", tc.total, tc.missed, pattern), func(b *testing.B) {
			all := make([]int, tc.total)
			for i := range all {
				all[i] = i
			}
			missing := all[tc.total-tc.missed:]
			if tc.scattered {
				r := rand.New(rand.NewPCG(5, 6))
				r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
				missing = all[:tc.missed]
			}
			skip := map[int]bool{}
			for _, m := range missing {
				skip[m] = true
			}
			full, lagging := &index{}, &index{}
			for i := 0; i < tc.total; i++ {
				fill(full, []int{i})
				if !skip[i] {
					fill(lagging, []int{i})
				}
			}
			full.view()
			lagging.view()
			var bytes int64
			for b.Loop() {
				resA, _ := reconcilePair(b, lagging, full)
				if len(resA.Need) != tc.missed {
					b.Fatalf("found %d of %d", len(resA.Need), tc.missed)
				}
				bytes = resA.Bytes
			}
			b.ReportMetric(float64(bytes), "bytes")
			b.ReportMetric(float64(bytes)/float64(tc.missed), "bytes/missed")
		})
	}
}
