package replicate

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/p2p"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

type rw struct {
	io.Reader
	io.Writer
}

func frame(msg []rangeMsg) []byte {
	b, _ := json.Marshal(msg)
	var l [4]byte
	binary.BigEndian.PutUint32(l[:], uint32(len(b)))
	return append(l[:], b...)
}

// FuzzReconcilePeer runs a responder's session against arbitrary peer
// messages: it must answer or fail, never panic, loop without bound,
// outgrow a frame or learn more than maxNeed keys.
func FuzzReconcilePeer(f *testing.F) {
	fp := fingerprint{Count: 3, A: 1, B: 2}
	f.Add(frame([]rangeMsg{{Lo: Key{}, FP: &fp}}))
	f.Add(frame([]rangeMsg{{Lo: Key{1, "a"}, Hi: &Key{9, "z"}, Keys: []Key{{2, "b"}}, List: true}}))
	f.Add(append(frame([]rangeMsg{{Lo: Key{}, FP: &fp}}), frame(nil)...))
	f.Add(frame([]rangeMsg{{Lo: Key{}, List: true}}))
	f.Add([]byte{0, 0, 0, 2, '[', ']'})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	x := &index{}
	fill(x, []int{1, 2, 3, 50, 70, 90, 1000})
	for i := 0; i < 5000; i++ {
		fill(x, []int{2000 + i})
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		rc := x.reconciler()
		err := rc.run(rw{bytes.NewReader(in), io.Discard}, false)
		if errors.Is(err, errFrameTooLarge) {
			t.Fatal(err)
		}
		if len(rc.need) > maxNeed {
			t.Fatalf("learnt %d keys", len(rc.need))
		}
	})
}

func FuzzAnnouncementAndHeaders(f *testing.F) {
	f.Add([]byte(`{"id":"bafkrei","entity":"e30=","authChain":[],"sizes":{"a":1}}`))
	f.Add([]byte(`{"hash":"x","max":5}` + "\n"))
	f.Add([]byte("{}\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		decodeAnnouncement(in)
		readHeader(bufio.NewReaderSize(bytes.NewReader(in), 64))
	})
}

// FuzzReadContent is a peer's answer to a content request: whatever it
// says, the file returned hashes to what was asked and has the declared
// size, and on failure no spool file is left.
func FuzzReadContent(f *testing.F) {
	small := []byte("hello")
	smallHash := "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"
	big := bytes.Repeat([]byte{7}, spoolAbove+10)
	bigHash := "bafybeigswpvxxfj3yq4ijjgkyvsf4ytwi7w2mo6hzxsncxyyzxmnq2o7um"
	hdr := func(size int64) []byte { b, _ := json.Marshal(header{Size: size}); return append(b, '\n') }
	f.Add(append(hdr(5), small...), smallHash, int64(5))
	f.Add(append(hdr(-1), small...), smallHash, int64(5))
	f.Add(append(hdr(5), "junk!"...), smallHash, int64(5))
	f.Add(append(hdr(int64(len(big))), big...), bigHash, int64(len(big)))
	f.Add(append(hdr(int64(len(big))), big[:100]...), bigHash, int64(len(big)))
	f.Add([]byte(`{"error":"not found"}`+"\n"), smallHash, int64(5))
	f.Add([]byte("no header at all"), smallHash, int64(5))
	dir := f.TempDir()
	spool := func() (*os.File, error) { return os.CreateTemp(dir, "spool-*") }
	f.Fuzz(func(t *testing.T, answer []byte, hash string, size int64) {
		if size < 0 || size > 4*spoolAbove {
			return // fetchContent refuses these before asking
		}
		file, err := readContent(bufio.NewReaderSize(bytes.NewReader(answer), maxHeader), hash, size, spool)
		if err == nil {
			if file.Size != size {
				t.Fatalf("a file of %d bytes, %d declared", file.Size, size)
			}
			if got, herr := hashOf(file, hash); herr != nil || got != hash {
				t.Fatalf("returned bytes hash to %s, not %s", got, hash)
			}
			if file.Path != "" {
				os.Remove(file.Path)
			}
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Fatalf("%d spool files left", len(left))
		}
	})
}

// FuzzApply hands the replicator's worker arbitrary announcements, as a
// pull or a retry would: whatever the announcement, nothing panics, only
// deployments that pass the trust boundary are stored or recorded as
// failed, and no spool file is left behind.
func FuzzApply(f *testing.F) {
	id := entitytest.NewIdentity()
	profile := entitytest.Profile(id, time.Now(), "fuzz")
	scene := entitytest.Scene(id, time.Now(), []string{"3,3"}, map[string][]byte{"a.txt": []byte("needs fetching")})
	sizes := map[string]int64{}
	for h, b := range scene.Files {
		sizes[h] = int64(len(b))
	}
	add := func(a Announcement) {
		b, _ := json.Marshal(a)
		f.Add(b)
	}
	add(Announcement{EntityID: profile.ID, Entity: profile.File, AuthChain: profile.AuthChain, Sizes: map[string]int64{}})
	add(Announcement{EntityID: scene.ID, Entity: scene.File, AuthChain: scene.AuthChain, Sizes: sizes})
	neg := map[string]int64{}
	for h := range sizes {
		neg[h] = -1
	}
	add(Announcement{EntityID: scene.ID, Entity: scene.File, AuthChain: scene.AuthChain, Sizes: neg})
	add(Announcement{EntityID: profile.ID, Entity: scene.File, AuthChain: profile.AuthChain})
	add(Announcement{EntityID: profile.ID, Entity: profile.File, AuthChain: entitytest.NewIdentity().Chain(profile.ID)})

	dir := f.TempDir()
	st, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	host, err := p2p.New(p2p.Config{Network: "fuzz", Listen: []string{"/ip4/127.0.0.1/tcp/0"}, Logger: log})
	if err != nil {
		f.Fatal(err)
	}
	if err := host.Start(context.Background()); err != nil {
		f.Fatal(err)
	}
	defer host.Close()
	pipe := deploy.New(deploy.Config{Store: st, Logger: log})
	r := New(Config{Host: host, Store: st, Pipeline: pipe, Logger: log})
	r.ctx = context.Background()
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := decodeAnnouncement(in)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		before, _ := st.Has(a.EntityID)
		j := job{ann: a}
		err = r.apply(ctx, &j)
		_, checkErr := pipe.Precheck(ctx, a.EntityID, a.Entity, a.AuthChain, a.Sizes)
		stored, _ := st.Has(a.EntityID)
		if stored && !before && checkErr != nil {
			t.Fatalf("stored %s, which fails the trust boundary: %v", a.EntityID, checkErr)
		}
		if err != nil && errors.Is(err, errRefused) != (checkErr != nil) {
			t.Fatalf("apply: %v; precheck: %v", err, checkErr)
		}
		if left, _ := os.ReadDir(filepath.Join(dir, "blobs", "tmp")); len(left) != 0 {
			t.Fatalf("%d spool files left", len(left))
		}
	})
}

// Only bytes that do not hash to what was asked are a lie of the peer
// that sent them.
func TestReadContentBlamesOnlyWrongBytes(t *testing.T) {
	hdr := func(size int64) string { b, _ := json.Marshal(header{Size: size}); return string(b) + "\n" }
	const hash = "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq" // "hello"
	for answer, lie := range map[string]bool{
		hdr(5) + "hello":               false, // the file
		hdr(5) + "howdy":               true,  // other bytes
		hdr(6) + "hello!":              false, // another size than declared
		hdr(-1):                        false,
		hdr(5) + "he":                  false, // cut short
		`{"error":"not found"}` + "\n": false,
		"garbage":                      false,
	} {
		_, err := readContent(bufio.NewReader(strings.NewReader(answer)), hash, 5, nil)
		if answer == hdr(5)+"hello" {
			if err != nil {
				t.Fatalf("the file itself: %v", err)
			}
			continue
		}
		if err == nil || errors.Is(err, errMisbehaved) != lie {
			t.Fatalf("%q: %v (a lie: %v)", answer, err, lie)
		}
	}
}
