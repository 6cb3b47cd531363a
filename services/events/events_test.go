package events

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	bus "github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

type fixture struct {
	t   *testing.T
	st  *store.Store
	svc *Service
	srv *httptest.Server
	now time.Time
}

func newFixture(t *testing.T) *fixture {
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, st: st, now: time.Now()}
	f.svc = New(Config{Store: st, Bus: bus.NewBus(bus.Config{Store: st}), AdminToken: func() string { return "admin" }, Now: func() time.Time { return f.now }})
	mux := http.NewServeMux()
	f.svc.Routes(mux)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) profile(id *entitytest.Identity) {
	d := entitytest.Profile(id, time.Now(), "host")
	p := deploy.New(deploy.Config{Store: f.st})
	if _, err := p.Deploy(context.Background(), deploy.Request{EntityID: d.ID, AuthChain: d.AuthChain, Files: []deploy.File{{Data: d.File, Size: int64(len(d.File))}}, Origin: deploy.Local}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) do(method, path string, body any, signer *entitytest.Identity, bearer string, into any) int {
	f.t.Helper()
	b, _ := json.Marshal(body)
	if body == nil {
		b = nil
	}
	req, _ := http.NewRequest(method, f.srv.URL+Prefix+path, bytes.NewReader(b))
	if signer != nil {
		signer.SignRequest(req, "")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	var env struct {
		OK   bool            `json:"ok"`
		Data json.RawMessage `json:"data"`
	}
	json.NewDecoder(res.Body).Decode(&env)
	if into != nil && env.OK {
		json.Unmarshal(env.Data, into)
	}
	return res.StatusCode
}

func (f *fixture) published() map[string][]map[string]any {
	evs, err := f.st.ReadEvents(context.Background(), 0, 1000)
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string][]map[string]any{}
	for _, e := range evs {
		if e.Type == "events" {
			var m map[string]any
			json.Unmarshal(e.Metadata, &m)
			out[e.SubType] = append(out[e.SubType], m)
		}
	}
	return out
}

type eventJSON struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Approved       bool   `json:"approved"`
	TotalAttendees int    `json:"total_attendees"`
	Attending      bool   `json:"attending"`
	Live           bool   `json:"live"`
	User           string `json:"user"`
	UserName       string `json:"user_name"`
}

func TestEventLife(t *testing.T) {
	f := newFixture(t)
	host, guest := entitytest.NewIdentity(), entitytest.NewIdentity()
	start := f.now.Add(2 * time.Hour).UTC().Format(time.RFC3339)
	draft := map[string]any{"name": "Party", "description": "at the plaza", "start_at": start, "duration": 3600000, "x": 10, "y": 20, "categories": []string{"party"}}
	if status := f.do("POST", "/events", draft, nil, "", nil); status != 401 {
		t.Errorf("unsigned: %d", status)
	}
	if status := f.do("POST", "/events", draft, host, "", nil); status != 401 {
		t.Errorf("a creator without a profile: %d", status)
	}
	f.profile(host)
	for name, bad := range map[string]map[string]any{
		"no start":      {"name": "x", "duration": 1000, "x": 0, "y": 0},
		"too long":      {"name": "x", "start_at": start, "duration": 31 * 24 * 3600000, "x": 0, "y": 0},
		"outside":       {"name": "x", "start_at": start, "duration": 1000, "x": 500, "y": 0},
		"self-approved": {"name": "x", "start_at": start, "duration": 1000, "x": 0, "y": 0, "approved": true},
		"bad category":  {"name": "x", "start_at": start, "duration": 1000, "x": 0, "y": 0, "categories": []string{"nope"}},
	} {
		if status := f.do("POST", "/events", bad, host, "", nil); status != 400 {
			t.Errorf("%s: %d", name, status)
		}
	}
	var ev eventJSON
	if status := f.do("POST", "/events", draft, host, "", &ev); status != 200 || ev.Approved || ev.User != host.Address || ev.UserName != "host" {
		t.Fatalf("create: %d %+v", status, ev)
	}
	// Not approved: only its creator and the admin see it.
	var list []eventJSON
	if f.do("GET", "/events", nil, nil, "", &list); len(list) != 0 {
		t.Errorf("an unapproved event is listed: %+v", list)
	}
	if f.do("GET", "/events", nil, host, "", &list); len(list) != 1 {
		t.Errorf("its creator does not see it: %+v", list)
	}
	if status := f.do("PATCH", "/events/"+ev.ID, map[string]any{"approved": true}, guest, "", nil); status != 403 {
		t.Errorf("someone else approving: %d", status)
	}
	if status := f.do("PATCH", "/events/"+ev.ID, map[string]any{"approved": true}, nil, "admin", &ev); status != 200 || !ev.Approved {
		t.Fatalf("approve: %d %+v", status, ev)
	}
	if f.do("GET", "/events?list=upcoming", nil, nil, "", &list); len(list) != 1 {
		t.Errorf("upcoming: %+v", list)
	}
	// Attend, twice: counted once.
	for range 2 {
		f.do("POST", "/events/"+ev.ID+"/attendees", nil, guest, "", nil)
	}
	f.do("GET", "/events/"+ev.ID, nil, guest, "", &ev)
	if ev.TotalAttendees != 1 || !ev.Attending {
		t.Errorf("after attending: %+v", ev)
	}
	var mine []eventJSON
	if f.do("GET", "/events/attending", nil, guest, "", &mine); len(mine) != 1 {
		t.Errorf("attending: %+v", mine)
	}
	// The hour before, the start and the end are told once each.
	ctx := context.Background()
	f.now = f.now.Add(90 * time.Minute)
	f.svc.Tick(ctx)
	f.svc.Tick(ctx)
	f.now = f.now.Add(45 * time.Minute)
	f.svc.Tick(ctx)
	f.now = f.now.Add(time.Hour)
	f.svc.Tick(ctx)
	got := f.published()
	for subType, n := range map[string]int{"event-created": 1, "event-approved": 1, "event-starts-soon": 1, "event-started": 1, "event-ended": 1} {
		if len(got[subType]) != n {
			t.Errorf("%s published %d times: %v", subType, len(got[subType]), got[subType])
		}
	}
	if m := got["event-starts-soon"]; len(m) == 1 && m[0]["address"] != guest.Address {
		t.Errorf("starts-soon for %v, want the attendee", m[0]["address"])
	}
	// Leave (signed now: the clock goes back to the signature's).
	f.now = time.Now()
	if status := f.do("DELETE", "/events/"+ev.ID+"/attendees", nil, guest, "", nil); status != 200 {
		t.Fatalf("leave: %d", status)
	}
	f.do("GET", "/events/"+ev.ID, nil, guest, "", &ev)
	if ev.TotalAttendees != 0 || ev.Attending {
		t.Errorf("after leaving: %+v", ev)
	}
}
