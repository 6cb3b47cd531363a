package notifications

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
)

type fixture struct {
	t   *testing.T
	s   *Service
	srv *httptest.Server
	now time.Time
}

func newFixture(t *testing.T) *fixture {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.Open(store.Options{Dir: t.TempDir(), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, now: time.Now()}
	f.s = New(Config{Store: st, Logger: log, AdminToken: func() string { return "secret" }, Now: func() time.Time { return f.now }})
	mux := http.NewServeMux()
	f.s.Routes(mux)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	t.Cleanup(f.s.Close)
	return f
}

func (f *fixture) grant(user, badge, tier string, at int64) {
	f.t.Helper()
	meta := map[string]any{"badgeId": badge, "badgeName": "Name of " + badge, "badgeImageUrl": "https://a/" + badge + ".png", "address": user}
	key := "badge-granted-" + user + "-" + badge
	if tier != "" {
		meta["badgeTierName"], key = tier, key+"-"+tier
	}
	e, _ := events.New("badge", "badge-granted", key, at, meta)
	if err := f.s.consume(context.Background(), []events.StoredEvent{{Seq: 1, Event: e}}); err != nil {
		f.t.Fatal(err)
	}
}

// do sends a request signed by id for signedPath (nil: unsigned).
func (f *fixture) do(id *entitytest.Identity, method, path, signedPath, metadata string, body any) (int, []byte) {
	f.t.Helper()
	var r io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		r = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, r)
	if id != nil {
		signed, _ := http.NewRequest(method, f.srv.URL+signedPath, nil)
		id.SignRequest(signed, metadata)
		for k, v := range signed.Header {
			req.Header[k] = v
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}

func (f *fixture) list(id *entitytest.Identity, query string) []Notification {
	f.t.Helper()
	status, raw := f.do(id, "GET", Prefix+"/notifications"+query, Prefix+"/notifications", "", nil)
	var out struct{ Notifications []Notification }
	if status != 200 || json.Unmarshal(raw, &out) != nil {
		f.t.Fatalf("list: %d %s", status, raw)
	}
	return out.Notifications
}

func TestInbox(t *testing.T) {
	f := newFixture(t)
	alice, bob := entitytest.NewIdentity(), entitytest.NewIdentity()
	t0 := time.Now().UnixMilli()
	f.grant(alice.Address, "profile_pro", "", t0)
	f.grant(alice.Address, "moves_master", "Starter", t0+10)
	f.grant(alice.Address, "moves_master", "Starter", t0+10) // the same event again
	f.grant(bob.Address, "dclcitizen", "", t0+5)

	notes := f.list(alice, "")
	if len(notes) != 2 || notes[0].Metadata["description"] != "Name of moves_master Starter" || notes[1].Metadata["id"] != "profile_pro" {
		t.Fatalf("alice's notifications %+v", notes)
	}
	n := notes[1]
	if n.Type != "badge_granted" || n.Address != alice.Address || n.Metadata["title"] != "New Badge Unlocked!" || n.Metadata["image"] != "https://a/profile_pro.png" || n.Read {
		t.Fatalf("notification %+v", n)
	}
	if got := f.list(alice, "?limit=1"); len(got) != 1 {
		t.Fatalf("limit 1: %d", len(got))
	}
	if got := f.list(alice, "?from="+strconv.FormatInt(t0+5, 10)); len(got) != 1 {
		t.Fatalf("from: %d", len(got))
	}

	// Read: the signer's unread only; again, nothing.
	status, raw := f.do(alice, "PUT", Prefix+"/notifications/read", Prefix+"/notifications/read", "", map[string]any{"notificationIds": []string{n.ID, f.list(bob, "")[0].ID}})
	if status != 200 || strings.TrimSpace(string(raw)) != `{"updated":1}` {
		t.Fatalf("read: %d %s", status, raw)
	}
	if _, raw := f.do(alice, "PUT", Prefix+"/notifications/read", Prefix+"/notifications/read", "", map[string]any{"notificationIds": []string{n.ID}}); strings.TrimSpace(string(raw)) != `{"updated":0}` {
		t.Fatalf("read again: %s", raw)
	}
	if status, _ := f.do(alice, "PUT", Prefix+"/notifications/read", Prefix+"/notifications/read", "", map[string]any{"notificationIds": []string{}}); status != 400 {
		t.Fatalf("no ids: %d", status)
	}
	if got := f.list(alice, "?onlyUnread"); len(got) != 1 || got[0].Metadata["id"] != "moves_master" {
		t.Fatalf("only unread %+v", got)
	}

	// Refusals: unsigned, another path, a scene, stale.
	for name, c := range map[string]struct {
		id         *entitytest.Identity
		signedPath string
		meta       string
	}{
		"unsigned":       {nil, "", ""},
		"another path":   {alice, "/notifications", ""},
		"without prefix": {alice, "/notifications/x", ""},
		"a scene":        {alice, Prefix + "/notifications", `{"signer":"decentraland-kernel-scene","sceneId":"x"}`},
	} {
		if status, _ := f.do(c.id, "GET", Prefix+"/notifications", c.signedPath, c.meta, nil); status != 401 {
			t.Errorf("%s: %d", name, status)
		}
	}
	f.now = time.Now().Add(6 * time.Minute) // signatures of now are stale then
	if status, _ := f.do(alice, "GET", Prefix+"/notifications", Prefix+"/notifications", "", nil); status != 401 {
		t.Errorf("a stale signature: %d", status)
	}
	f.now = time.Now()
	// Other metadata, kept in its case, is fine.
	if status, _ := f.do(alice, "GET", Prefix+"/notifications", Prefix+"/notifications", `{"signer":"dcl:explorer","Origin":"Desktop"}`, nil); status != 200 {
		t.Errorf("explorer metadata: %d", status)
	}
}

// Broadcasts reach everyone, each reads them for themselves; the stream
// pushes new notifications.
func TestBroadcastsAndStream(t *testing.T) {
	f := newFixture(t)
	alice, bob := entitytest.NewIdentity(), entitytest.NewIdentity()

	req, _ := http.NewRequest("GET", f.srv.URL+Prefix+"/stream", nil)
	alice.SignRequest(req, "")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("stream: %v %v", err, res)
	}
	defer res.Body.Close()
	lines := bufio.NewScanner(res.Body)

	post := func(token string) int {
		body := `[{"eventKey":"maintenance-1","type":"events_starts_soon","metadata":{"title":"Soon"},"timestamp":1000}]`
		req, _ := http.NewRequest("POST", f.srv.URL+Prefix+"/notifications", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		res, _ := http.DefaultClient.Do(req)
		res.Body.Close()
		return res.StatusCode
	}
	if post("wrong") != 401 || post("secret") != 200 || post("secret") != 200 {
		t.Fatal("broadcast posts")
	}
	if a, b := f.list(alice, ""), f.list(bob, ""); len(a) != 1 || len(b) != 1 || a[0].ID != b[0].ID {
		t.Fatalf("broadcast: %+v %+v", a, b)
	}
	f.do(alice, "PUT", Prefix+"/notifications/read", Prefix+"/notifications/read", "", map[string]any{"notificationIds": []string{f.list(alice, "")[0].ID}})
	if !f.list(alice, "")[0].Read || f.list(bob, "")[0].Read {
		t.Fatal("a broadcast read by one is read by all")
	}
	f.grant(alice.Address, "land_architect", "", time.Now().UnixMilli())
	deadline := time.Now().Add(5 * time.Second)
	var got []string
	for lines.Scan() && time.Now().Before(deadline) {
		if data, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
			got = append(got, data)
			if strings.Contains(data, "land_architect") {
				break
			}
		}
	}
	if len(got) != 2 || !strings.Contains(got[0], "events_starts_soon") {
		t.Fatalf("streamed %v", got)
	}
}

// An event starting soon or started is a notification for the attendee
// it names; its other platform events are not.
func TestEventNotifications(t *testing.T) {
	f := newFixture(t)
	guest := entitytest.NewIdentity()
	for i, sub := range []string{"event-starts-soon", "event-started", "event-created"} {
		meta := map[string]any{"address": guest.Address, "eventId": "e1", "name": "Party", "link": "https://x/e1"}
		e, _ := events.New("events", sub, sub+"-e1", time.Now().UnixMilli()+int64(i), meta)
		if err := f.s.consume(context.Background(), []events.StoredEvent{{Seq: uint64(i + 1), Event: e}}); err != nil {
			t.Fatal(err)
		}
	}
	got := f.list(guest, "")
	if len(got) != 2 {
		t.Fatalf("notifications: %+v", got)
	}
	types := map[string]bool{got[0].Type: true, got[1].Type: true}
	if !types["events_starts_soon"] || !types["events_started"] || got[0].Metadata["name"] != "Party" {
		t.Errorf("notifications: %+v", got)
	}
}
