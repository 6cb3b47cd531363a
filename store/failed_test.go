package store

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

func failureIDs(t *testing.T, s *Store) []string {
	t.Helper()
	list, err := s.FailedDeployments(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, f := range list {
		ids = append(ids, f.EntityID)
	}
	return ids
}

// Failure records are bounded in number (the oldest go first) and in age,
// a replaced record keeps one entry, and applying the deployment removes
// its record.
func TestFailuresAreBounded(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir, MaxFailures: 3})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rec := func(id string, ts int64) {
		if _, err := s.RecordFailure(ctx, FailedDeployment{EntityID: id, FailureTimestamp: ts, AuthChain: []byte("[]")}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		rec(fmt.Sprintf("QmId%d", i), int64(1000+i))
	}
	if got := fmt.Sprint(failureIDs(t, s)); got != "[QmId2 QmId3 QmId4]" {
		t.Fatalf("after 5 records with a bound of 3: %s", got)
	}
	rec("QmId2", 2000) // replaced: now the newest
	if got := fmt.Sprint(failureIDs(t, s)); got != "[QmId3 QmId4 QmId2]" {
		t.Fatalf("after replacing QmId2: %s", got)
	}
	deploy(t, s, ent("QmId3", 1, "0,0"))
	if got := fmt.Sprint(failureIDs(t, s)); got != "[QmId4 QmId2]" {
		t.Fatalf("after applying QmId3: %s", got)
	}
	n, err := s.PruneFailures(ctx, time.UnixMilli(1500))
	if err != nil || n != 1 {
		t.Fatalf("prune: %d, %v", n, err)
	}
	if got := fmt.Sprint(failureIDs(t, s)); got != "[QmId2]" {
		t.Fatalf("after pruning: %s", got)
	}
	s.Close()
	s, err = Open(Options{Dir: dir, MaxFailures: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := fmt.Sprint(failureIDs(t, s)); got != "[QmId2]" {
		t.Fatalf("after reopening: %s", got)
	}
}

// A data dir from before the bound, with more records than one
// transaction can index, opens, keeps the newest MaxFailures, and the
// chain of a record is bounded.
func TestOldFailureRecordsOpen(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 30,000 records")
	}
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	wb := s.db.NewWriteBatch()
	for i := range 30000 {
		b, _ := json.Marshal(FailedDeployment{EntityID: fmt.Sprintf("QmOld%05d", i), FailureTimestamp: int64(1000 + i), AuthChain: []byte("[]")})
		if err := wb.Set(key(tFailed, fmt.Sprintf("QmOld%05d", i)), b); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.Flush(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(Options{Dir: dir, MaxFailures: 100})
	if err != nil {
		t.Fatalf("open an old data dir: %v", err)
	}
	defer s.Close()
	ids := failureIDs(t, s)
	if len(ids) != 100 || ids[0] != "QmOld29900" {
		t.Fatalf("%d records, first %v", len(ids), ids[:1])
	}
	big := make([]byte, maxFailureChain+1)
	for i := range big {
		big[i] = 'x'
	}
	if _, err := s.RecordFailure(context.Background(), FailedDeployment{EntityID: "QmBig", FailureTimestamp: 99999, AuthChain: json.RawMessage(`"` + string(big[2:]) + `"`)}); err != nil {
		t.Fatal(err)
	}
	list, _ := s.FailedDeployments(context.Background(), 1000)
	if last := list[len(list)-1]; last.EntityID != "QmBig" || len(last.AuthChain) > maxFailureChain {
		t.Fatalf("a record kept a chain of %d bytes", len(last.AuthChain))
	}
}
