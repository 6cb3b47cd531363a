package bridge_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/hashing"
	"github.com/p2pcatalyst/catalyst/sync/bridge"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

// fake is an HTTP catalyst for the tests: it serves /snapshots, the
// snapshot file, /pointer-changes and /contents as the real content
// server does, and misbehaves on the hashes told to.
type fake struct {
	t   testing.TB
	srv *httptest.Server

	mu        sync.Mutex
	snapshot  []*entitytest.Deployment // in the snapshot file
	changes   []change                 // after it, by local timestamp
	files     map[string][]byte
	misbehave map[string]string // hash → redirect | oversize | wrong-bytes | slow
	chains    map[string]authchain.Chain
	downloads map[string]int
	failPC    bool
	snapEnd   int64
}

type change struct {
	d  *entitytest.Deployment
	at int64
}

func newFake(t *testing.T) *fake { return newFakeB(t) }

func newFakeB(t testing.TB) *fake {
	f := &fake{t: t, files: map[string][]byte{}, misbehave: map[string]string{}, chains: map[string]authchain.Chain{}, downloads: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /content/snapshots", f.snapshots)
	mux.HandleFunc("GET /content/contents/{hash}", f.contents)
	mux.HandleFunc("GET /content/pointer-changes", f.pointerChanges)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) add(d *entitytest.Deployment, inSnapshot bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[d.ID] = d.File
	for h, b := range d.Files {
		f.files[h] = b
	}
	f.chains[d.ID] = d.AuthChain
	if inSnapshot {
		f.snapshot = append(f.snapshot, d)
		return
	}
	f.changes = append(f.changes, change{d, f.snapEnd + int64(len(f.changes)+1)*1000})
}

func (f *fake) snapshotFile() (string, []byte) {
	var b strings.Builder
	b.WriteString("### Decentraland json snapshot\n")
	for _, d := range f.snapshot {
		var e entity.Entity
		json.Unmarshal(d.File, &e)
		line, _ := json.Marshal(map[string]any{"entityId": d.ID, "entityType": e.Type, "pointers": e.Pointers, "entityTimestamp": e.Timestamp, "authChain": f.chains[d.ID]})
		b.Write(line)
		b.WriteByte('\n')
	}
	body := []byte(b.String())
	return hashing.V1Bytes(body), body
}

func (f *fake) snapshots(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, body := f.snapshotFile()
	f.files[h] = body
	json.NewEncoder(w).Encode([]map[string]any{{
		"hash": h, "timeRange": map[string]int64{"initTimestamp": 1577836800000, "endTimestamp": f.snapEnd},
		"replacedSnapshotHashes": []string{}, "numberOfEntities": len(f.snapshot), "generationTimestamp": f.snapEnd,
	}})
}

func (f *fake) contents(w http.ResponseWriter, r *http.Request) {
	h := r.PathValue("hash")
	f.mu.Lock()
	b, ok := f.files[h]
	mode := f.misbehave[h]
	f.downloads[h]++
	f.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch mode {
	case "redirect":
		http.Redirect(w, r, "/content/contents/"+h+"x", http.StatusFound)
	case "oversize":
		w.Write(b)
		w.Write(make([]byte, deploy.MaxEntityBytes+1))
	case "wrong-bytes":
		w.Write(append([]byte("not "), b...))
	case "slow":
		for _, c := range b {
			if _, err := w.Write([]byte{c}); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	default:
		w.Write(b)
	}
}

func (f *fake) pointerChanges(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failPC {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	q := r.URL.Query()
	from, _ := strconv.ParseInt(q.Get("from"), 10, 64)
	limit, _ := strconv.Atoi(q.Get("limit"))
	lastID := q.Get("lastId")
	list := append([]change(nil), f.changes...)
	sort.Slice(list, func(i, j int) bool { return list[i].at < list[j].at })
	var deltas []map[string]any
	more := false
	for _, c := range list {
		if c.at < from || (c.at == from && c.d.ID <= lastID) {
			continue
		}
		if len(deltas) == limit {
			more = true
			break
		}
		var e entity.Entity
		json.Unmarshal(c.d.File, &e)
		deltas = append(deltas, map[string]any{"entityType": e.Type, "entityId": c.d.ID, "localTimestamp": c.at, "pointers": e.Pointers, "authChain": f.chains[c.d.ID], "entityTimestamp": e.Timestamp})
	}
	json.NewEncoder(w).Encode(map[string]any{"deltas": deltas, "filters": map[string]any{}, "pagination": map[string]any{"offset": 0, "limit": limit, "moreData": more}})
}

type target struct {
	st       *store.Store
	importer *bridge.Importer
	servers  *bridge.Servers
}

func newTarget(t testing.TB, dir string, urls ...string) *target {
	st, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := deploy.New(deploy.Config{Store: st})
	servers := bridge.NewServers(bridge.ServersConfig{Manual: urls, Store: st})
	servers.Start(context.Background())
	im := bridge.NewImporter(bridge.ImporterConfig{Servers: servers, Store: st, Pipeline: p, MinRate: 1 << 20, SlowGrace: 300 * time.Millisecond,
		Every: 20 * time.Millisecond, RetryEvery: 50 * time.Millisecond})
	return &target{st: st, importer: im, servers: servers}
}

func (tg *target) active(t *testing.T, d *entitytest.Deployment) bool {
	t.Helper()
	got, err := tg.st.ActiveByIDs(context.Background(), []string{d.ID})
	if err != nil {
		t.Fatal(err)
	}
	return len(got) == 1
}

func scene(id *entitytest.Identity, parcel string, content string) *entitytest.Deployment {
	return entitytest.Scene(id, time.Now(), []string{parcel}, map[string][]byte{"bin/index.js": []byte(content)})
}

// TestImportValidPart: a catalyst that serves good and bad entities —
// redirected, oversized, wrong bytes, slow, badly signed — gives the node
// exactly the good ones, through the snapshot and the changes after it;
// the bad ones are recorded as failed, and a second round changes
// nothing.
func TestImportValidPart(t *testing.T) {
	f := newFake(t)
	f.snapEnd = time.Now().UnixMilli()
	var good []*entitytest.Deployment
	for i := 0; i < 3; i++ {
		d := entitytest.Profile(entitytest.NewIdentity(), time.Now(), fmt.Sprint("snap", i))
		f.add(d, true)
		good = append(good, d)
	}
	sc := scene(entitytest.NewIdentity(), "1,1", "ok")
	f.add(sc, false)
	good = append(good, sc)
	for i := 0; i < 3; i++ {
		d := entitytest.Profile(entitytest.NewIdentity(), time.Now(), fmt.Sprint("change", i))
		f.add(d, false)
		good = append(good, d)
	}
	var bad []*entitytest.Deployment
	for _, mode := range []string{"redirect", "wrong-bytes", "slow"} {
		d := scene(entitytest.NewIdentity(), "2,2", mode)
		f.add(d, mode == "redirect")
		for h := range d.Files {
			f.misbehave[h] = mode
		}
		bad = append(bad, d)
	}
	huge := entitytest.Profile(entitytest.NewIdentity(), time.Now(), "huge")
	f.add(huge, false)
	f.misbehave[huge.ID] = "oversize"
	forged := entitytest.Profile(entitytest.NewIdentity(), time.Now(), "forged")
	f.add(forged, false)
	f.chains[forged.ID] = entitytest.NewIdentity().Chain(forged.ID) // signed by someone else
	bad = append(bad, huge, forged)

	tg := newTarget(t, t.TempDir(), f.srv.URL)
	ctx := context.Background()
	if err := tg.importer.Sync(ctx, f.srv.URL, testLogger()); err != nil {
		t.Fatal(err)
	}
	for _, d := range good {
		if !tg.active(t, d) {
			t.Errorf("%s was not imported", d.ID)
		}
	}
	for _, d := range bad {
		if tg.active(t, d) {
			t.Errorf("%s was imported", d.ID)
		}
	}
	failed, _ := tg.st.FailedDeployments(ctx, 100)
	if len(failed) != len(bad) {
		t.Errorf("%d failed deployments recorded, want %d: %+v", len(failed), len(bad), failed)
	}
	// Nothing is fetched again.
	before := f.count()
	if err := tg.importer.Sync(ctx, f.srv.URL, testLogger()); err != nil {
		t.Fatal(err)
	}
	if after := f.count(); after != before {
		t.Errorf("a second round downloaded %d files", after-before)
	}
	// A change made later arrives with the next round.
	later := entitytest.Profile(entitytest.NewIdentity(), time.Now(), "later")
	f.add(later, false)
	if err := tg.importer.Sync(ctx, f.srv.URL, testLogger()); err != nil {
		t.Fatal(err)
	}
	if !tg.active(t, later) {
		t.Error("a later change was not imported")
	}
}

// TestLyingSnapshotRefused: a snapshot file that does not hash to its
// name is not imported (nor marked done).
func TestLyingSnapshotRefused(t *testing.T) {
	f := newFake(t)
	f.snapEnd = time.Now().UnixMilli()
	d := entitytest.Profile(entitytest.NewIdentity(), time.Now(), "in a lying snapshot")
	f.add(d, true)
	h, _ := f.snapshotFile()
	f.misbehave[h] = "wrong-bytes"
	tg := newTarget(t, t.TempDir(), f.srv.URL)
	err := tg.importer.Sync(context.Background(), f.srv.URL, testLogger())
	if err == nil || !strings.Contains(err.Error(), "hashes to") {
		t.Fatalf("a lying snapshot: %v", err)
	}
	if tg.active(t, d) {
		t.Fatal("an entity of a lying snapshot was imported")
	}
}

// TestFailedFetchRetried: an entity whose content no server has yet is
// recorded as failed, and imported once the content is there; a refused
// one is not tried again.
func TestFailedFetchRetried(t *testing.T) {
	f := newFake(t)
	f.snapEnd = time.Now().UnixMilli()
	sc := scene(entitytest.NewIdentity(), "3,3", "later")
	f.add(sc, false)
	var content string
	for h := range sc.Files {
		content = h
	}
	f.mu.Lock()
	kept := f.files[content]
	delete(f.files, content) // 404 for now
	f.mu.Unlock()
	tg := newTarget(t, t.TempDir(), f.srv.URL)
	if err := tg.importer.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer tg.importer.Stop(context.Background())
	deadline := time.Now().Add(10 * time.Second)
	for {
		failed, _ := tg.st.FailedDeployments(context.Background(), 10)
		if len(failed) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the entity without content was not recorded as failed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	f.mu.Lock()
	f.files[content] = kept
	f.mu.Unlock()
	for !tg.active(t, sc) {
		if time.Now().After(deadline) {
			t.Fatal("the failed entity was not imported once its content was there")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if failed, _ := tg.st.FailedDeployments(context.Background(), 10); len(failed) != 0 {
		t.Errorf("the record stayed: %+v", failed)
	}
}

// TestSnapshotsReadAgain: an hour after the bootstrap the snapshots are
// read again, and what only a new snapshot holds is imported.
func TestSnapshotsReadAgain(t *testing.T) {
	f := newFake(t)
	f.snapEnd = time.Now().UnixMilli()
	f.add(entitytest.Profile(entitytest.NewIdentity(), time.Now(), "first"), true)
	tg := newTarget(t, t.TempDir(), f.srv.URL)
	ctx := context.Background()
	if err := tg.importer.Sync(ctx, f.srv.URL, testLogger()); err != nil {
		t.Fatal(err)
	}
	only := entitytest.Profile(entitytest.NewIdentity(), time.Now(), "only in a new snapshot")
	f.add(only, true)
	if err := tg.importer.Sync(ctx, f.srv.URL, testLogger()); err != nil {
		t.Fatal(err)
	}
	if tg.active(t, only) {
		t.Fatal("the snapshots were read again before their time")
	}
	// An hour later.
	ks := tg.st.Keyspace("bridge")
	raw, err := ks.Get(ctx, "cursor/"+f.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	json.Unmarshal(raw, &c)
	c["snapshotsRead"] = time.Now().Add(-61 * time.Minute).UnixMilli()
	raw, _ = json.Marshal(c)
	ks.Write(ctx, map[string][]byte{"cursor/" + f.srv.URL: raw})
	if err := tg.importer.Sync(ctx, f.srv.URL, testLogger()); err != nil {
		t.Fatal(err)
	}
	if !tg.active(t, only) {
		t.Fatal("a new snapshot was not read an hour after the bootstrap")
	}
}

func (f *fake) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.downloads {
		n += c
	}
	return n
}

// TestImportResumes: a node stopped after the bootstrap (the changes
// failing) goes on from its cursor when restarted: the snapshot is not
// read again.
func TestImportResumes(t *testing.T) {
	f := newFake(t)
	f.snapEnd = time.Now().UnixMilli()
	snap := entitytest.Profile(entitytest.NewIdentity(), time.Now(), "snap")
	f.add(snap, true)
	change := entitytest.Profile(entitytest.NewIdentity(), time.Now(), "change")
	f.add(change, false)
	f.failPC = true
	dir := t.TempDir()
	tg := newTarget(t, dir, f.srv.URL)
	if err := tg.importer.Sync(context.Background(), f.srv.URL, testLogger()); err == nil {
		t.Fatal("the failing changes went unnoticed")
	}
	if !tg.active(t, snap) || tg.active(t, change) {
		t.Fatal("after the bootstrap: the snapshot's entity only")
	}
	tg.st.Close()

	f.mu.Lock()
	f.failPC = false
	snapHash, _ := f.snapshotFile()
	downloads := f.downloads[snapHash]
	f.mu.Unlock()
	tg = newTarget(t, dir, f.srv.URL)
	if err := tg.importer.Sync(context.Background(), f.srv.URL, testLogger()); err != nil {
		t.Fatal(err)
	}
	if !tg.active(t, change) {
		t.Fatal("the change was not imported after the restart")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.downloads[snapHash] != downloads {
		t.Error("the snapshot was read again")
	}
}
