package social

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

type fixture struct {
	t   *testing.T
	st  *store.Store
	bus *events.Bus
	svc *Service
	srv *httptest.Server
	p   *deploy.Pipeline
}

// newFixture serves the service on loopback; tune adjusts its config.
func newFixture(t testing.TB, tune func(*Config)) *fixture {
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	bus := events.NewBus(events.Config{Store: st})
	cfg := Config{Store: st, Bus: bus, AdminToken: func() string { return "admin-secret" }}
	if tune != nil {
		tune(&cfg)
	}
	svc := New(cfg)
	if err := bus.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	svc.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		svc.Stop(context.Background())
		srv.Close()
		bus.Stop(context.Background())
		st.Close()
	})
	f := &fixture{st: st, bus: bus, svc: svc, srv: srv, p: deploy.New(deploy.Config{Store: st, RateLimits: map[entity.Type]time.Duration{}})}
	if tt, ok := t.(*testing.T); ok {
		f.t = tt
	}
	return f
}

var clock = time.Now().Add(-10 * time.Minute)

// user makes an identity with a deployed profile named name.
func (f *fixture) user(tb testing.TB, name string) *entitytest.Identity {
	tb.Helper()
	id := entitytest.NewIdentity()
	f.profile(tb, id, name)
	return id
}

func (f *fixture) profile(tb testing.TB, id *entitytest.Identity, name string) {
	tb.Helper()
	clock = clock.Add(time.Millisecond)
	d := entitytest.Profile(id, clock, name)
	if _, err := f.p.Deploy(context.Background(), deploy.Request{EntityID: d.ID, AuthChain: d.AuthChain, Files: []deploy.File{{Data: d.File, Size: int64(len(d.File))}}, Origin: deploy.Local}); err != nil {
		tb.Fatal(err)
	}
}
