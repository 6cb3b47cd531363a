package events

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
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

func TestRecurrentEvent(t *testing.T) {
	f := newFixture(t)
	host := entitytest.NewIdentity()
	f.profile(host)
	// Weekly on Tuesdays and Fridays (mask 36), four times, from a Tuesday.
	start := time.Date(2030, 1, 1, 18, 0, 0, 0, time.UTC) // a Tuesday
	draft := map[string]any{"name": "Weekly", "start_at": start.Format(time.RFC3339), "duration": 3600000, "x": 1, "y": 1,
		"recurrent": true, "recurrent_frequency": "WEEKLY", "recurrent_weekday_mask": 36, "recurrent_count": 4}
	var ev struct {
		ID             string   `json:"id"`
		RecurrentDates []string `json:"recurrent_dates"`
		NextStartAt    string   `json:"next_start_at"`
		FinishAt       string   `json:"finish_at"`
		Live           bool     `json:"live"`
	}
	if status := f.do("POST", "/events", draft, host, "", &ev); status != 200 {
		t.Fatalf("create: %d", status)
	}
	want := []string{"2030-01-01T18:00:00.000Z", "2030-01-04T18:00:00.000Z", "2030-01-08T18:00:00.000Z", "2030-01-11T18:00:00.000Z"}
	if fmt.Sprint(ev.RecurrentDates) != fmt.Sprint(want) || ev.FinishAt != "2030-01-11T19:00:00.000Z" || ev.NextStartAt != want[0] {
		t.Fatalf("recurrence: %+v", ev)
	}
	// During the second occurrence, it is live and that is the next one.
	f.now = time.Date(2030, 1, 4, 18, 30, 0, 0, time.UTC)
	f.do("GET", "/events/"+ev.ID, nil, nil, "admin", &ev) // (a signature of now is out of date then)
	if !ev.Live || ev.NextStartAt != want[1] {
		t.Fatalf("on the second occurrence: %+v", ev)
	}
	f.now = time.Now()
	for name, bad := range map[string]map[string]any{
		"no end":        {"recurrent": true, "recurrent_frequency": "DAILY"},
		"bad frequency": {"recurrent": true, "recurrent_frequency": "SOMETIMES", "recurrent_count": 2},
		"too many":      {"recurrent": true, "recurrent_frequency": "DAILY", "recurrent_count": 100000},
		"bad mask":      {"recurrent": true, "recurrent_frequency": "WEEKLY", "recurrent_count": 2, "recurrent_weekday_mask": 1000},
	} {
		for k, v := range map[string]any{"name": "x", "start_at": start.Format(time.RFC3339), "duration": 1000, "x": 0, "y": 0} {
			bad[k] = v
		}
		if status := f.do("POST", "/events", bad, host, "", nil); status != 400 {
			t.Errorf("%s: %d", name, status)
		}
	}
}

func TestDeleteSchedulesPostersSettings(t *testing.T) {
	f := newFixture(t)
	host, guest := entitytest.NewIdentity(), entitytest.NewIdentity()
	f.profile(host)
	var ev eventJSON
	f.do("POST", "/events", map[string]any{"name": "Gone", "start_at": f.now.Add(time.Hour).Format(time.RFC3339), "duration": 1000, "x": 0, "y": 0}, host, "", &ev)
	if status := f.do("DELETE", "/events/"+ev.ID, nil, guest, "", nil); status != 403 {
		t.Errorf("someone else deleting: %d", status)
	}
	if status := f.do("DELETE", "/events/"+ev.ID, nil, host, "", nil); status != 200 {
		t.Fatalf("delete: %d", status)
	}
	if status := f.do("GET", "/events/"+ev.ID, nil, host, "", nil); status != 404 || len(f.published()["event-deleted"]) != 1 {
		t.Fatalf("a deleted event: %d %v", status, f.published()["event-deleted"])
	}

	schedule := map[string]any{"name": "Festival", "active_since": "2030-01-01T00:00:00Z", "active_until": "2030-01-08T00:00:00Z"}
	if status := f.do("POST", "/schedules", schedule, host, "", nil); status != 401 {
		t.Errorf("a user made a schedule: %d", status)
	}
	var sc Schedule
	if status := f.do("POST", "/schedules", schedule, nil, "admin", &sc); status != 200 || sc.ID == "" {
		t.Fatalf("schedule: %d %+v", status, sc)
	}
	if status := f.do("PATCH", "/schedules/"+sc.ID, map[string]any{"active_until": "2029-01-01T00:00:00Z"}, nil, "admin", nil); status != 400 {
		t.Errorf("a schedule ending before it starts: %d", status)
	}
	var list []Schedule
	if f.do("GET", "/schedules", nil, nil, "", &list); len(list) != 1 || list[0].Name != "Festival" {
		t.Errorf("schedules: %+v", list)
	}

	// A poster: a real PNG is kept and served; anything else refused.
	img := image.NewRGBA(image.Rect(0, 0, 8, 4))
	var png8 bytes.Buffer
	png.Encode(&png8, img)
	post := func(data []byte) (int, map[string]any) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("poster", "p.png")
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest("POST", f.srv.URL+Prefix+"/poster", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		host.SignRequest(req, "")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var env struct{ Data map[string]any }
		json.NewDecoder(res.Body).Decode(&env)
		return res.StatusCode, env.Data
	}
	if status, _ := post([]byte("not an image")); status != 400 {
		t.Errorf("a poster that is no image: %d", status)
	}
	if status, _ := post(make([]byte, maxPosterBytes+1)); status != 400 {
		t.Errorf("an oversized poster: %d", status)
	}
	status, data := post(png8.Bytes())
	if status != 200 {
		t.Fatalf("poster: %d", status)
	}
	res, err := http.Get(data["url"].(string))
	if err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("the poster served: %v %v", err, res)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !bytes.Equal(got, png8.Bytes()) {
		t.Fatal("the poster served is not the one uploaded")
	}

	// Settings: each user's own.
	var st ProfileSettings
	if status := f.do("PATCH", "/profiles/me/settings", map[string]any{"notify_by_browser": true, "email": "a@b.c"}, host, "", &st); status != 200 || !st.NotifyByBrowser || st.User != host.Address {
		t.Fatalf("settings: %d %+v", status, st)
	}
	if status := f.do("GET", "/profiles/"+host.Address+"/settings", nil, guest, "", nil); status != 403 {
		t.Errorf("someone else's settings: %d", status)
	}
	if status := f.do("GET", "/profiles/"+host.Address+"/settings", nil, nil, "admin", &st); status != 200 || !st.NotifyByBrowser {
		t.Errorf("the admin reads settings: %d %+v", status, st)
	}
}

// FuzzDraft sends what a client may send to create an event through the
// checks and the recurrence rule: a rule that passes has at most
// maxOccurrences dates, from its start on, and is walked in bounded time.
func FuzzDraft(f *testing.F) {
	f.Add([]byte(`{"name":"x","start_at":"2030-01-01T18:00:00Z","duration":3600000,"x":1,"y":1,"recurrent":true,"recurrent_frequency":"WEEKLY","recurrent_weekday_mask":36,"recurrent_count":4}`))
	f.Add([]byte(`{"name":"x","start_at":"2030-01-01T18:00:00Z","duration":1000,"recurrent":true,"recurrent_frequency":"HOURLY","recurrent_month_mask":2,"recurrent_monthday":31,"recurrent_until":"2099-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"name":"x","start_at":"2030-01-01T18:00:00Z","duration":1000,"recurrent":true,"recurrent_frequency":"MONTHLY","recurrent_setpos":-1,"recurrent_weekday_mask":62,"recurrent_count":12}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var d draft
		if json.Unmarshal(body, &d) != nil {
			return
		}
		e := &Event{}
		if d.apply(e, false) != nil {
			return
		}
		dates := e.dates(e.StartAt)
		if len(dates) == 0 || len(dates) > maxOccurrences {
			t.Fatalf("%d dates", len(dates))
		}
		_ = e.next(time.Now().UnixMilli())
	})
}
