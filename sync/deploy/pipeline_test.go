package deploy

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/hashing"
)

func newPipeline(t testing.TB) (*Pipeline, *store.Store) {
	t.Helper()
	s, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return New(Config{Store: s}), s
}

func request(d *entitytest.Deployment, origin Origin) Request {
	files := []File{{Data: d.File, Size: int64(len(d.File))}}
	for _, b := range d.Files {
		files = append(files, File{Data: b, Size: int64(len(b))})
	}
	return Request{EntityID: d.ID, AuthChain: d.AuthChain, Files: files, Origin: origin}
}

func TestDeployAndIdempotence(t *testing.T) {
	p, s := newPipeline(t)
	id := entitytest.NewIdentity()
	d := entitytest.Profile(id, time.Now(), "alice")
	res, err := p.Deploy(context.Background(), request(d, Local))
	if err != nil {
		t.Fatal(err)
	}
	if res.Existed || res.LocalTimestamp == 0 {
		t.Fatalf("result %+v", res)
	}
	evs, err := s.ReadEvents(context.Background(), 0, 10)
	if err != nil || len(evs) != 1 || evs[0].Key != "deployment-"+d.ID || !strings.Contains(string(evs[0].Metadata), `"origin":"local"`) {
		t.Fatalf("the deployment's event: %+v %v", evs, err)
	}
	again, err := p.Deploy(context.Background(), request(d, Local))
	if err != nil || !again.Existed || again.LocalTimestamp != res.LocalTimestamp {
		t.Fatalf("redeploy: %+v, %v", again, err)
	}
	got, err := s.ReadContent(d.ID)
	if err != nil || !bytes.Equal(got, d.File) {
		t.Fatal("entity file not stored as content")
	}
}

// Each rejection names the problem and leaves the store untouched.
func TestRejections(t *testing.T) {
	id := entitytest.NewIdentity()
	other := entitytest.NewIdentity()
	now := time.Now()
	png := []byte("\x89PNG fake")
	cases := []struct {
		name string
		req  func() Request
		want string
	}{
		{"entity file missing", func() Request {
			r := request(entitytest.Profile(id, now, "a"), Local)
			r.Files = r.Files[1:]
			return r
		}, "Failed to find the entity file."},
		{"not json", func() Request {
			raw := []byte("{nope")
			eid := hashing.V1Bytes(raw)
			return Request{EntityID: eid, AuthChain: id.Chain(eid), Files: []File{{Data: raw, Size: int64(len(raw))}}, Origin: Local}
		}, "valid json"},
		{"no pointers", func() Request {
			return request(entitytest.Build(id, entity.Profile, []string{}, now, map[string]any{"avatars": []any{}}, nil), Local)
		}, "does not have any pointer"},
		{"too old", func() Request { return request(entitytest.Profile(id, now.Add(-21*time.Minute), "a"), Local) }, "not recent enough"},
		{"too far in the future", func() Request { return request(entitytest.Profile(id, now.Add(16*time.Minute), "a"), Local) }, "too far in the future"},
		{"bad metadata", func() Request {
			return request(entitytest.Build(id, entity.Profile, []string{id.Address}, now, map[string]any{"avatars": "x"}, nil), Local)
		}, "The metadata for this entity type (profile) is not valid."},
		{"signed by another wallet", func() Request {
			d := entitytest.Profile(id, now, "a")
			d.AuthChain = other.Chain(d.ID)
			return request(d, Local)
		}, "your own profile"},
		{"signature of another entity", func() Request {
			d := entitytest.Profile(id, now, "a")
			d.AuthChain = id.Chain("bafkreigv4q3ji6dgntwm4ecyilxtuxoscwxx4gs4wcrbqhp7isjd7eaxfi")
			return request(d, Local)
		}, "The signature is invalid."},
		{"no auth chain", func() Request {
			d := entitytest.Profile(id, now, "a")
			d.AuthChain = authchain.Chain{}
			return request(d, Local)
		}, "The signature is invalid."},
		{"profile with files", func() Request {
			return request(entitytest.Build(id, entity.Profile, []string{id.Address}, now, entitytest.ProfileMetadata(id, "a"), map[string][]byte{"face256.png": png}), Local)
		}, "content files when it should not"},
		{"referenced file not uploaded", func() Request {
			d := entitytest.Scene(id, now, []string{"1,1"}, map[string][]byte{"bin/index.js": []byte("x")})
			r := request(d, Local)
			r.Files = r.Files[:1]
			return r
		}, "referenced in the entity but was not uploaded"},
		{"uploaded file not referenced", func() Request {
			r := request(entitytest.Scene(id, now, []string{"1,1"}, nil), Local)
			r.Files = append(r.Files, File{Data: []byte("extra"), Size: 5})
			return r
		}, "uploaded but is not referenced"},
		{"scene too big", func() Request {
			return request(entitytest.Scene(id, now, []string{"1,1"}, map[string][]byte{"big.bin": make([]byte, 15<<20+1)}), Local)
		}, "The deployment is too big"},
		{"scene outside the world", func() Request {
			return request(entitytest.Scene(id, now, []string{"200,200"}, nil), Local)
		}, "outside of the Genesis City limits"},
		{"v0 hashes", func() Request {
			d := entitytest.Profile(id, now, "a")
			d.ID = hashing.V0Bytes(d.File)
			d.AuthChain = id.Chain(d.ID)
			return request(d, Local)
		}, "IPFS v2 format"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, s := newPipeline(t)
			req := tc.req()
			_, err := p.Deploy(context.Background(), req)
			var ve *entity.Error
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a validation error containing %q", err, tc.want)
			}
			if _, err := s.Get(context.Background(), req.EntityID); !errors.Is(err, store.ErrNotFound) {
				t.Fatal("a rejected deployment was stored")
			}
			if s.LastSeq() != 0 {
				t.Fatal("the log moved")
			}
		})
	}
}

func TestLocalOnlyRules(t *testing.T) {
	p, _ := newPipeline(t)
	id := entitytest.NewIdentity()
	now := time.Now()
	newer := entitytest.Profile(id, now, "new")
	if _, err := p.Deploy(context.Background(), request(newer, Local)); err != nil {
		t.Fatal(err)
	}
	older := entitytest.Profile(id, now.Add(-time.Second), "old")
	if _, err := p.Deploy(context.Background(), request(older, Local)); err == nil || !strings.Contains(err.Error(), "newer entity") {
		t.Fatalf("older local deployment: %v", err)
	}
	// Synced, the same older entity is stored as history.
	res, err := p.Deploy(context.Background(), request(older, Synced))
	if err != nil || res.Outcome.Active || res.Outcome.OverwrittenBy != newer.ID {
		t.Fatalf("older synced: %+v, %v", res, err)
	}
	// Rate limit: a second profile within 3 s.
	next := entitytest.Profile(id, now.Add(time.Second), "next")
	_, err = p.Deploy(context.Background(), request(next, Local))
	var rl *RateLimitedError
	if !errors.As(err, &rl) || !strings.Contains(err.Error(), "rate limited") || rl.RetryAfter <= 0 {
		t.Fatalf("rate limit: %v", err)
	}
	// Old synced entities pass: freshness is for local deployments only.
	ancient := entitytest.Profile(entitytest.NewIdentity(), now.Add(-48*time.Hour), "ancient")
	ancient.AuthChain = nil
	if _, err := p.Deploy(context.Background(), request(ancient, Synced)); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("synced entities are still verified: %v", err)
	}
}

func TestOverwriteThroughPipeline(t *testing.T) {
	p, s := newPipeline(t)
	id := entitytest.NewIdentity()
	now := time.Now()
	first := entitytest.Scene(id, now.Add(-time.Minute), []string{"5,5", "5,6"}, map[string][]byte{"a.txt": []byte("a")})
	second := entitytest.Scene(id, now, []string{"5,5"}, map[string][]byte{"a.txt": []byte("a")})
	if _, err := p.Deploy(context.Background(), request(first, Local)); err != nil {
		t.Fatal(err)
	}
	// The content is already stored: the second upload omits it, as
	// dcl-catalyst-client does after asking /available-content.
	req := request(second, Local)
	req.Files = req.Files[:1]
	p.limiter = newRateLimiter(nil)
	res, err := p.Deploy(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Outcome.Active || len(res.Outcome.Overwrote) != 1 || res.Outcome.Cleared[0] != "5,6" {
		t.Fatalf("outcome %+v", res.Outcome)
	}
	act, _ := s.ActiveByPointers(context.Background(), []string{"5,5", "5,6"})
	if len(act) != 1 || act[0].ID != second.ID {
		t.Fatalf("active = %v", act)
	}
}

func TestPointerLockRefusesConcurrentLocal(t *testing.T) {
	var l pointerLocks
	l.held = map[string]chan struct{}{}
	e := &entity.Entity{Type: entity.Scene, Pointers: []string{"1,1", "1,2"}}
	unlock, err := l.lock(context.Background(), e, e.Pointers, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.lock(context.Background(), &entity.Entity{Type: entity.Scene, Pointers: []string{"1,2"}}, []string{"1,2"}, true); err == nil || !strings.Contains(err.Error(), "currently being deployed: '1,2'") {
		t.Fatalf("second lock: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := l.lock(ctx, e, e.Pointers, false); err == nil {
		t.Fatal("a waiting lock must give up with its context")
	}
	unlock()
	u2, err := l.lock(context.Background(), e, e.Pointers, false)
	if err != nil {
		t.Fatal(err)
	}
	u2()
}
