package bridge_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// BenchmarkBootstrapImport imports a snapshot of 100,000 profiles from
// an HTTP catalyst on loopback into an empty node: the snapshot file,
// every entity file, every signature and rule, every write.
//
//	go test -run X -bench BootstrapImport -benchtime 1x ./sync/bridge/
func BenchmarkBootstrapImport(b *testing.B) {
	const total = 100_000
	f := newFakeB(b)
	f.snapEnd = time.Now().UnixMilli()
	for i := 0; i < total; i++ {
		f.add(entitytest.Profile(entitytest.NewIdentity(), time.Now(), fmt.Sprint("p", i)), true)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		tg := newTarget(b, b.TempDir(), f.srv.URL)
		b.StartTimer()
		start := time.Now()
		if err := tg.importer.Sync(context.Background(), f.srv.URL, testLogger()); err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		if n, _ := tg.importer.Imported(); n != total {
			b.Fatalf("imported %d of %d", n, total)
		}
		b.ReportMetric(elapsed.Seconds(), "s/100k")
		b.ReportMetric(total/elapsed.Seconds(), "entities/s")
		b.StartTimer()
	}
}
