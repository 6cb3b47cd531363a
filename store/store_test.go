package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/hashing"
)

func openStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ent(id string, ts int64, pointers ...string) *entity.Entity {
	return &entity.Entity{ID: id, Type: entity.Scene, Version: "v3", Timestamp: ts, Pointers: pointers, Content: []entity.ContentItem{}}
}

func deploy(t testing.TB, s *Store, e *entity.Entity) Outcome {
	t.Helper()
	body := []byte(fmt.Sprintf(`{"id":%q}`, e.ID))
	out, err := s.Deploy(context.Background(), e, nil, []Blob{{Hash: e.ID, Size: int64(len(body)), Data: body}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func active(t testing.TB, s *Store, pointers ...string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, p := range pointers {
		ds, err := s.ActiveByPointers(context.Background(), []string{p})
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) > 1 {
			t.Fatalf("pointer %s has %d active entities", p, len(ds))
		}
		if len(ds) == 1 {
			got[p] = ds[0].ID
		}
	}
	return got
}

func TestOverwriteAndClearedPointers(t *testing.T) {
	s := openStore(t)
	a := deploy(t, s, ent("e1", 1, "0,0", "0,1"))
	if !a.Active || a.Existed {
		t.Fatalf("first deployment: %+v", a)
	}
	b := deploy(t, s, ent("e2", 2, "0,0"))
	if !b.Active || !slices.Equal(b.Overwrote, []string{"e1"}) || !slices.Equal(b.Cleared, []string{"0,1"}) {
		t.Fatalf("overwrite: %+v", b)
	}
	if got := active(t, s, "0,0", "0,1"); got["0,0"] != "e2" || got["0,1"] != "" {
		t.Fatalf("active = %v", got)
	}
	old, _ := s.Get(context.Background(), "e1")
	if old.OverwrittenBy != "e2" || old.Active() {
		t.Fatalf("e1 = %+v, want overwritten by e2", old)
	}
	// An older entity arriving later is history: it touches no pointer.
	c := deploy(t, s, ent("e0", 0, "0,0"))
	if c.Active || c.OverwrittenBy != "e2" {
		t.Fatalf("older entity: %+v", c)
	}
	if got := active(t, s, "0,0"); got["0,0"] != "e2" {
		t.Fatalf("active = %v", got)
	}
	// Same timestamp: the greater id wins.
	d := deploy(t, s, ent("e3", 2, "0,0"))
	if !d.Active {
		t.Fatalf("tie broken by id: %+v", d)
	}
	// Redeploying is idempotent and keeps the first local timestamp.
	again := deploy(t, s, ent("e3", 2, "0,0"))
	if !again.Existed || again.LocalTimestamp != d.LocalTimestamp || again.Seq != d.Seq {
		t.Fatalf("redeploy: %+v vs %+v", again, d)
	}
}

// The active set must not depend on arrival order: an entity is active
// exactly when no newer entity shares one of its pointers.
func TestConvergesInAnyOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pointers := []string{"0,0", "0,1", "0,2", "0,3", "0,4"}
	for round := 0; round < 20; round++ {
		var es []*entity.Entity
		for i := 0; i < 12; i++ {
			n := 1 + r.IntN(3)
			ps := slices.Clone(pointers)
			r.Shuffle(len(ps), func(a, b int) { ps[a], ps[b] = ps[b], ps[a] })
			es = append(es, ent(fmt.Sprintf("e%02d", i), int64(r.IntN(6)), ps[:n]...))
		}
		want := map[string]string{}
		for _, e := range es {
			overwritten := false
			for _, o := range es {
				if o != e && o.Newer(e) && sharesPointer(o, e) {
					overwritten = true
				}
			}
			if !overwritten {
				for _, p := range e.Pointers {
					want[p] = e.ID
				}
			}
		}
		for order := 0; order < 3; order++ {
			r.Shuffle(len(es), func(a, b int) { es[a], es[b] = es[b], es[a] })
			s := openStore(t)
			for _, e := range es {
				deploy(t, s, e)
			}
			if got := active(t, s, pointers...); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("round %d order %d: active %v, want %v", round, order, got, want)
			}
		}
	}
}

func sharesPointer(a, b *entity.Entity) bool {
	for _, p := range a.Pointers {
		if slices.Contains(b.Pointers, p) {
			return true
		}
	}
	return false
}

func TestContentBlobs(t *testing.T) {
	s := openStore(t)
	small := bytes.Repeat([]byte("a"), 100)
	large := bytes.Repeat([]byte("b"), 3<<20)
	hs, hl := hashing.V1Bytes(small), hashing.V1Bytes(large)
	e := ent("e1", 1, "0,0")
	e.Content = []entity.ContentItem{{File: "s", Hash: hs}, {File: "l", Hash: hl}}
	if _, err := s.Deploy(context.Background(), e, nil, []Blob{{Hash: hs, Size: 100, Data: small}, {Hash: hl, Size: int64(len(large)), Data: large}}); err != nil {
		t.Fatal(err)
	}
	for h, want := range map[string][]byte{hs: small, hl: large} {
		got, err := s.ReadContent(h)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("content %s: %d bytes, %v", h, len(got), err)
		}
		look, err := s.Lookup(context.Background(), "none", nil, []string{h})
		if err != nil || look.Stored[h] != int64(len(want)) {
			t.Fatalf("size %s = %d, %v", h, look.Stored[h], err)
		}
		c, _ := s.OpenContent(h)
		c.Seek(50, io.SeekStart)
		b := make([]byte, 10)
		io.ReadFull(c, b)
		c.Close()
		if !bytes.Equal(b, want[50:60]) {
			t.Fatal("seek")
		}
	}
	ids, err := s.ActiveIDsByContent(context.Background(), hl)
	if err != nil || !slices.Equal(ids, []string{"e1"}) {
		t.Fatalf("active ids by content = %v, %v", ids, err)
	}
	if _, err := s.OpenContent("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing content: %v", err)
	}
}

func TestReopenKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var last Outcome
	for i := 0; i < 50; i++ {
		last = deploy(t, s, ent(fmt.Sprintf("e%02d", i), int64(i), fmt.Sprintf("%d,0", i%7)))
	}
	s.Close()
	s, err = Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.LastSeq() != last.Seq {
		t.Fatalf("seq after reopen = %d, want %d", s.LastSeq(), last.Seq)
	}
	next := deploy(t, s, ent("f", 100, "9,9"))
	if next.Seq <= last.Seq || next.LocalTimestamp < last.LocalTimestamp {
		t.Fatalf("log went backwards: %+v after %+v", next, last)
	}
	if got := active(t, s, "0,0"); got["0,0"] != "e49" {
		t.Fatalf("active after reopen = %v", got)
	}
}

func TestDeploymentsPaging(t *testing.T) {
	s := openStore(t)
	var ids []string
	for i := 0; i < 25; i++ {
		e := ent(fmt.Sprintf("e%02d", i), int64(1000+i%5), fmt.Sprintf("%d,1", i))
		if i%2 == 1 {
			e.Type = entity.Profile
		}
		deploy(t, s, e)
		ids = append(ids, e.ID)
	}
	ctx := context.Background()
	for _, f := range []Filter{
		{Limit: 7},
		{Limit: 4, Ascending: true},
		{Limit: 3, SortBy: ByEntityTimestamp},
		{Limit: 5, SortBy: ByEntityTimestamp, Ascending: true},
	} {
		var got []string
		page := f
		for i := 0; i < 20; i++ {
			list, more, err := s.Deployments(ctx, page)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range list {
				got = append(got, d.ID)
			}
			if !more {
				break
			}
			lastD := list[len(list)-1]
			page.LastID = lastD.ID
			if page.Ascending {
				page.From = page.sortTime(lastD)
			} else {
				page.To = page.sortTime(lastD)
			}
		}
		sorted := slices.Clone(got)
		sort.Strings(sorted)
		if !slices.Equal(sorted, ids) {
			t.Fatalf("filter %+v: pages gave %v", f, got)
		}
	}
	list, _, _ := s.Deployments(ctx, Filter{Types: []entity.Type{entity.Profile}})
	if len(list) != 12 {
		t.Fatalf("profiles = %d", len(list))
	}
	list, _, _ = s.Deployments(ctx, Filter{Pointers: []string{"3,1"}})
	if len(list) != 1 || list[0].ID != "e03" {
		t.Fatalf("by pointer = %v", list)
	}
	list, _, _ = s.Deployments(ctx, Filter{IDs: []string{"e05", "e06", "zz"}})
	if len(list) != 2 {
		t.Fatalf("by id = %v", list)
	}
}
