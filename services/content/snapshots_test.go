package content

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

func TestTimeRanges(t *testing.T) {
	now := int64(snapshotsStart) + year + 2*month + week + 3*day + 5*int64(time.Hour/time.Millisecond)
	rs := timeRanges(now)
	sizes := []int64{year, month, month, week, day, day, day}
	if len(rs) != len(sizes) {
		t.Fatalf("%d ranges, want %d: %v", len(rs), len(sizes), rs)
	}
	at := int64(snapshotsStart)
	for i, r := range rs {
		if r[0] != at || r[1]-r[0] != sizes[i] {
			t.Fatalf("range %d is %v, want [%d, +%d]", i, r, at, sizes[i])
		}
		at = r[1]
	}
}

// Snapshots are laid out in the real ranges, each entity in the range of
// its timestamp; a range whose entities change gets a new snapshot that
// names the old one, and days that become a week are replaced by it.
func TestSnapshotRanges(t *testing.T) {
	svc, _ := newService(t, UploadLimits{})
	st := svc.cfg.Store
	p := deploy.New(deploy.Config{Store: st})
	sn := NewSnapshots(st, slog.New(slog.DiscardHandler), time.Hour)
	clock := time.UnixMilli(snapshotsStart + year + 6*day + 12*int64(time.Hour/time.Millisecond))
	sn.now = func() time.Time { return clock }
	deployAt := func(ts time.Time, name string) *entitytest.Deployment {
		d := entitytest.Profile(entitytest.NewIdentity(), ts, name)
		files := []deploy.File{{Data: d.File, Size: int64(len(d.File))}}
		if _, err := p.Deploy(context.Background(), deploy.Request{EntityID: d.ID, AuthChain: d.AuthChain, Files: files, Origin: deploy.Synced}); err != nil {
			t.Fatal(err)
		}
		return d
	}
	inYear := deployAt(time.UnixMilli(snapshotsStart+10*day), "in the year")
	inDay := deployAt(time.UnixMilli(snapshotsStart+year+2*day+1000), "on the third day")
	recent := deployAt(clock.Add(-time.Hour), "in the remainder")
	ctx := context.Background()
	if err := sn.Generate(ctx); err != nil {
		t.Fatal(err)
	}
	list := sn.List()
	if len(list) != 7 { // a year and six days
		t.Fatalf("%d snapshots: %+v", len(list), list)
	}
	contains := func(m SnapshotMetadata, id string) bool {
		c, err := st.OpenContent(m.Hash)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		b, _ := io.ReadAll(c)
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		sc.Scan()
		if sc.Text() != "### Decentraland json snapshot" {
			t.Fatalf("header %q", sc.Text())
		}
		return strings.Contains(string(b), id)
	}
	if !contains(list[0], inYear.ID) || contains(list[0], inDay.ID) || !contains(list[3], inDay.ID) {
		t.Error("an entity is not in the snapshot of its range")
	}
	for _, m := range list {
		if contains(m, recent.ID) {
			t.Error("an entity of the last, partial day is in a snapshot")
		}
	}
	// A new entity on the third day: that day's snapshot is replaced.
	old := list[3].Hash
	deployAt(time.UnixMilli(snapshotsStart+year+2*day+5000), "also on the third day")
	if err := sn.Generate(ctx); err != nil {
		t.Fatal(err)
	}
	list2 := sn.List()
	if list2[3].Hash == old || len(list2[3].ReplacedSnapshotHashes) != 1 || list2[3].ReplacedSnapshotHashes[0] != old {
		t.Errorf("the third day after a deployment: %+v", list2[3])
	}
	if list2[0].Hash != list[0].Hash || list2[0].GenerationTimestamp != list[0].GenerationTimestamp {
		t.Error("an unchanged range was written again")
	}
	// A day later the seven days are one week, which replaces them.
	clock = clock.Add(24 * time.Hour)
	if err := sn.Generate(ctx); err != nil {
		t.Fatal(err)
	}
	list3 := sn.List()
	if len(list3) != 2 || list3[1].TimeRange.EndTimestamp-list3[1].TimeRange.InitTimestamp != week || len(list3[1].ReplacedSnapshotHashes) == 0 {
		t.Errorf("after the seventh day: %+v", list3)
	}
}
