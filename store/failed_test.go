package store

import (
	"context"
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
		if err := s.RecordFailure(ctx, FailedDeployment{EntityID: id, FailureTimestamp: ts, AuthChain: []byte("[]")}); err != nil {
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
