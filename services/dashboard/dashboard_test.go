package dashboard

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

func newService(t *testing.T, cfg Config) (*Service, *httptest.Server) {
	t.Helper()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	s := New(cfg)
	mux := http.NewServeMux()
	s.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return s, srv
}

// Deployments are counted in the minute they are applied; the window
// slides, and the latest list keeps the newest 10.
func TestDeploymentsPerMinute(t *testing.T) {
	s, _ := newService(t, Config{})
	now := time.Now()
	for i := range 12 {
		s.Deployed(Deployment{EntityID: string(rune('a' + i)), Type: entity.Profile, AppliedAt: now.UnixMilli()})
	}
	s.Deployed(Deployment{EntityID: "last", AppliedAt: now.UnixMilli()})
	st := s.State(context.Background())
	pm := st.Deployments.PerMinute
	if len(pm) != 30 || pm[29]+pm[28] != 13 {
		t.Fatalf("per minute %v", pm)
	}
	if len(st.Deployments.Latest) != 10 || st.Deployments.Latest[0].EntityID != "last" || st.Deployments.Latest[1].EntityID != "l" {
		t.Fatalf("latest %+v", st.Deployments.Latest)
	}
	s.mu.Lock()
	s.advance(now.Unix()/60 + 5)
	moved := s.minutes
	s.mu.Unlock()
	if moved[24]+moved[23] != 13 || moved[29] != 0 {
		t.Fatalf("after 5 minutes %v", moved)
	}
}

// The live stream sends the state as SSE events; past MaxPerIP streams
// from one address, 503.
func TestLiveStream(t *testing.T) {
	_, srv := newService(t, Config{MaxClients: 8, MaxPerIP: 1, Every: 20 * time.Millisecond,
		State: func(context.Context) State { return State{Node: Node{PeerID: "12D3test"}} }})
	res, err := http.Get(srv.URL + "/dashboard/api/live")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("content type %s", res.Header.Get("Content-Type"))
	}
	sc := bufio.NewScanner(res.Body)
	events := 0
	for sc.Scan() && events < 3 {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			var st State
			if err := json.Unmarshal([]byte(data), &st); err != nil || st.Node.PeerID != "12D3test" {
				t.Fatalf("event %q: %v", data, err)
			}
			events++
		}
	}
	if events != 3 {
		t.Fatalf("%d events", events)
	}
	second, err := http.Get(srv.URL + "/dashboard/api/live")
	if err != nil {
		t.Fatal(err)
	}
	second.Body.Close()
	if second.StatusCode != 503 || second.Header.Get("Retry-After") == "" {
		t.Fatalf("a stream past the bound: %d", second.StatusCode)
	}
}

// The page and its files are embedded; GET / sends a browser there.
func TestPageAndRoot(t *testing.T) {
	_, srv := newService(t, Config{})
	for _, p := range []string{"/dashboard/", "/dashboard/app.js", "/dashboard/style.css"} {
		res, err := http.Get(srv.URL + p)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("%s: %v %v", p, err, res)
		}
		res.Body.Close()
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("GET", srv.URL+"/", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	res, err := noRedirect.Do(req)
	if err != nil || res.StatusCode != 302 || res.Header.Get("Location") != "/dashboard/" {
		t.Fatalf("a browser at /: %v %v", err, res)
	}
	res.Body.Close()
	res, _ = noRedirect.Get(srv.URL + "/")
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "json") {
		t.Fatalf("a client at /: %d", res.StatusCode)
	}
	res.Body.Close()
}

// The map reads the active scenes' parcels from the store.
func TestScenes(t *testing.T) {
	st, err := store.Open(store.Options{Dir: t.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	deploy := func(id string, ts int64, typ entity.Type, pointers ...string) {
		e := &entity.Entity{ID: id, Type: typ, Pointers: pointers, Timestamp: ts, Version: "v3"}
		if _, err := st.Deploy(context.Background(), e, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	deploy("bafkold", 1, entity.Scene, "0,0", "0,1")
	deploy("bafknew", 2, entity.Scene, "0,1", "5,-7")
	deploy("bafkprofile", 3, entity.Profile, "0xabc")
	_, srv := newService(t, Config{Store: st})
	res, err := http.Get(srv.URL + "/dashboard/api/scenes")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got struct {
		Parcels [][3]int `json:"parcels"`
		Scenes  []string `json:"scenes"`
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	// bafkold lost 0,1 and with it 0,0: overwritten entities are history.
	if len(got.Scenes) != 1 || got.Scenes[0] != "bafknew" || len(got.Parcels) != 2 {
		t.Fatalf("scenes %+v", got)
	}
	for _, p := range got.Parcels {
		if !(p == [3]int{0, 1, 0} || p == [3]int{5, -7, 0}) {
			t.Fatalf("parcel %v", p)
		}
	}
}
