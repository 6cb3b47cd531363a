package replicate

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"runtime"
	rtmetrics "runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"
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

// converge reconciles lagging with full session after session, adding
// what each session learnt to lagging (as the pulls do), and returns the
// sessions it took and the largest session's bytes.
func converge(t testing.TB, lagging, full *index) (sessions int, maxBytes int64) {
	t.Helper()
	for sessions = 1; sessions <= 20; sessions++ {
		res, _ := reconcilePair(t, lagging, full)
		maxBytes = max(maxBytes, res.Bytes)
		if len(res.Need) == 0 {
			return sessions, maxBytes
		}
		if len(res.Need) > maxNeed {
			t.Fatalf("a session learnt %d keys, more than %d", len(res.Need), maxNeed)
		}
		for _, k := range res.Need {
			lagging.add(k.TS, k.ID)
		}
	}
	t.Fatal("no convergence in 20 sessions")
	return
}

// Differences far larger than a frame still converge: every message stays
// within maxFrame (writeMsg refuses more), every session within maxNeed
// keys, and the sessions needed follow the difference.
func TestReconcileLargeDifferencesInBoundedFrames(t *testing.T) {
	if testing.Short() {
		t.Skip("builds indexes of 100,000 keys")
	}
	r := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct {
		name          string
		common, extra int
		scattered     bool
		sessions      int
	}{
		{"empty node", 0, 120000, false, 4}, // 50,000 + 50,000 + 20,000, then one that finds nothing
		{"scattered", 150000, 30000, true, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			all := r.Perm(tc.common + tc.extra)
			if !tc.scattered {
				slices.Sort(all)
			}
			lagging, full := &index{}, &index{}
			fill(full, all)
			fill(lagging, all[:tc.common])
			sessions, maxBytes := converge(t, lagging, full)
			if sessions != tc.sessions {
				t.Fatalf("%d sessions, want %d", sessions, tc.sessions)
			}
			if lagging.len() != full.len() {
				t.Fatalf("lagging has %d of %d keys", lagging.len(), full.len())
			}
			t.Logf("%d sessions, at most %d bytes each", sessions, maxBytes)
		})
	}
}

// What no honest peer sends ends the session as misbehaviour.
func TestReconcileRefusesHostileFrames(t *testing.T) {
	frame := func(payload []byte) []byte {
		var l [4]byte
		binary.BigEndian.PutUint32(l[:], uint32(len(payload)))
		return append(l[:], payload...)
	}
	long := strings.Repeat("x", maxKeyID+1)
	for name, in := range map[string][]byte{
		"oversized frame": {0x7f, 0xff, 0xff, 0xff},
		"malformed json":  frame([]byte("[{")),
		"not ranges":      frame([]byte(`{"a":1}`)),
		"long bound":      frame([]byte(`[{"lo":{"t":1,"i":"` + long + `"}}]`)),
		"long key":        frame([]byte(`[{"lo":{"t":1,"i":"a"},"list":true,"keys":[{"t":1,"i":"` + long + `"}]}]`)),
		"empty key":       frame([]byte(`[{"lo":{"t":1,"i":"a"},"list":true,"keys":[{"t":1,"i":""}]}]`)),
	} {
		t.Run(name, func(t *testing.T) {
			x := &index{}
			fill(x, []int{1, 2, 3})
			err := x.reconciler().run(rw{bytes.NewReader(in), io.Discard}, false)
			if !errors.Is(err, errMisbehaved) {
				t.Fatalf("err = %v, want errMisbehaved", err)
			}
		})
	}
}

// BenchmarkReconcile measures reconciliations between a node holding
// every deployment and one that missed some: the newest ones (a node that
// was down, the common case) or ones scattered at random (the worst case),
// session after session until the lagging node has everything (a session
// learns at most maxNeed keys).
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
			full, base := &index{}, &index{}
			for i := 0; i < tc.total; i++ {
				fill(full, []int{i})
				if !skip[i] {
					fill(base, []int{i})
				}
			}
			full.view()
			base.view()
			var bytes int64
			sessions := 0
			for b.Loop() {
				b.StopTimer()
				lagging := &index{}
				items, _ := base.view()
				for _, it := range items {
					lagging.add(it.key.TS, it.id)
				}
				lagging.view()
				b.StartTimer()
				bytes, sessions = 0, 0
				for {
					resA, _ := reconcilePair(b, lagging, full)
					bytes += resA.Bytes
					sessions++
					if len(resA.Need) == 0 {
						break
					}
					for _, k := range resA.Need {
						lagging.add(k.TS, k.ID)
					}
				}
				if lagging.len() != full.len() {
					b.Fatalf("lagging has %d of %d", lagging.len(), full.len())
				}
			}
			b.ReportMetric(float64(bytes), "bytes")
			b.ReportMetric(float64(bytes)/float64(tc.missed), "bytes/missed")
			b.ReportMetric(float64(sessions), "sessions")
		})
	}
}

// BenchmarkReconcileMemory runs one session against a peer holding
// 1,000,000 keys — from an empty node (which learns maxNeed keys and
// stops) and from one that misses 10,000 scattered keys — and reports the
// peak of the memory the session holds, both sides together, above the two
// indexes: a sampler collects garbage and reads the live heap every few
// milliseconds while the session runs (which slows it down; the bytes it
// allocates in all are reported too).
// Run: go test -run X -bench ReconcileMemory -benchtime 1x ./sync/replicate/
func BenchmarkReconcileMemory(b *testing.B) {
	const total = 1000000
	full := &index{}
	for i := 0; i < total; i++ {
		fill(full, []int{i})
	}
	full.view()
	r := rand.New(rand.NewPCG(9, 10))
	skip := map[int]bool{}
	for _, i := range r.Perm(total)[:10000] {
		skip[i] = true
	}
	scattered := &index{}
	for i := 0; i < total; i++ {
		if !skip[i] {
			fill(scattered, []int{i})
		}
	}
	scattered.view()
	live := func() float64 {
		runtime.GC()
		s := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		rtmetrics.Read(s)
		return float64(s[0].Value.Uint64())
	}
	for _, tc := range []struct {
		name    string
		lagging *index
		learns  int
	}{{"empty", &index{}, maxNeed}, {"missed=10000/scattered", scattered, 10000}} {
		b.Run(tc.name, func(b *testing.B) {
			var rise, allocated float64
			for b.Loop() {
				base := live()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				stop, peak := make(chan struct{}), make(chan float64, 1)
				go func() {
					var p float64
					for {
						p = max(p, live())
						select {
						case <-stop:
							peak <- p
							return
						case <-time.After(5 * time.Millisecond):
						}
					}
				}()
				res, _ := reconcilePair(b, tc.lagging, full)
				close(stop)
				p := <-peak
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				if len(res.Need) != tc.learns {
					b.Fatalf("learnt %d keys, want %d", len(res.Need), tc.learns)
				}
				rise = max(rise, (p-base)/(1<<20))
				allocated = float64(after.TotalAlloc-before.TotalAlloc) / (1 << 20)
			}
			b.ReportMetric(rise, "peak-live-MiB")
			b.ReportMetric(allocated, "allocated-MiB")
		})
	}
}
