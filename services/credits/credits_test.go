package credits

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

func newServer(t *testing.T, cfg Config) (*Service, *httptest.Server) {
	if cfg.Store == nil {
		st, err := store.Open(store.Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		cfg.Store = st
	}
	svc := New(cfg)
	mux := http.NewServeMux()
	svc.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { svc.Close(); srv.Close() })
	return svc, srv
}

func do(t *testing.T, srv *httptest.Server, method, path, body string, signer *entitytest.Identity, metadata string, out any) (int, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if signer != nil {
		signer.SignRequest(req, metadata)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %q", method, path, res.StatusCode, raw)
		}
	}
	return res.StatusCode, res.Header
}

// The stand-in answers the clients' shapes with nothing to earn.
func TestStandInShapes(t *testing.T) {
	_, srv := newServer(t, Config{})
	alice := entitytest.NewIdentity()
	var credits map[string]any
	if code, _ := do(t, srv, "GET", "/credits/users/"+alice.Address+"/credits", "", nil, "", &credits); code != 200 ||
		credits["totalCredits"] != 0.0 || len(credits["credits"].([]any)) != 0 {
		t.Errorf("credits: %d %v", code, credits)
	}
	if code, _ := do(t, srv, "GET", "/credits/users/not-an-address/credits", "", nil, "", nil); code != 400 {
		t.Errorf("a bad address: %d", code)
	}
	var season map[string]any
	if do(t, srv, "GET", "/credits/season", "", nil, "", &season); season["isPaused"] != true || season["id"] != 0.0 || season["week"] != 0.0 {
		t.Errorf("season: %v", season)
	}
	var seasons map[string]map[string]any
	if do(t, srv, "GET", "/credits/seasons", "", nil, "", &seasons); seasons["currentSeason"]["season"].(map[string]any)["state"] != "NO_DATA" ||
		seasons["nextSeason"]["startDate"] != "" || seasons["lastSeason"] == nil {
		t.Errorf("seasons: %v", seasons)
	}
	// Progress: signed, by its own user only.
	path := "/credits/users/" + alice.Address + "/progress"
	if code, _ := do(t, srv, "GET", path, "", nil, "", nil); code != 401 {
		t.Errorf("unsigned progress: %d", code)
	}
	if code, _ := do(t, srv, "GET", path, "", entitytest.NewIdentity(), "", nil); code != 403 {
		t.Errorf("another user's progress: %d", code)
	}
	if code, _ := do(t, srv, "GET", path, "", alice, `{"signer":"decentraland-kernel-scene"}`, nil); code != 401 {
		t.Errorf("a scene's progress: %d", code)
	}
	var progress struct {
		User    map[string]any `json:"user"`
		Credits map[string]any `json:"credits"`
		Goals   []any          `json:"goals"`
		Week    map[string]any `json:"currentWeek"`
	}
	if code, _ := do(t, srv, "GET", path, "", alice, "", &progress); code != 200 || progress.User["hasStartedProgram"] != false ||
		progress.Credits["available"] != 0.0 || progress.Credits["isBlockedForClaiming"] != true || progress.Goals == nil || progress.Week == nil {
		t.Errorf("progress: %d %+v", code, progress)
	}
	if code, _ := do(t, srv, "POST", "/credits/users", "", nil, "", nil); code != 401 {
		t.Errorf("unsigned start: %d", code)
	}
	var started map[string]any
	if code, _ := do(t, srv, "POST", "/credits/users", "", alice, "", &started); code != 200 || started["ok"] != true {
		t.Errorf("start: %d %v", code, started)
	}
	if do(t, srv, "GET", path, "", alice, "", &progress); progress.User["hasStartedProgram"] != true {
		t.Errorf("progress after the start: %+v", progress.User)
	}
	// The captcha: an image, and a claim that grants nothing.
	req, _ := http.NewRequest("GET", srv.URL+"/credits/captcha", nil)
	alice.SignRequest(req, "")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	img, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(img, []byte("\x89PNG")) {
		t.Errorf("captcha: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var claim map[string]any
	if code, _ := do(t, srv, "POST", "/credits/captcha", `{"x":0.42}`, alice, "", &claim); code != 200 || claim["ok"] != false ||
		claim["credits_granted"] != 0.0 || claim["isBlockedForClaiming"] != true {
		t.Errorf("claim: %d %v", code, claim)
	}
	for _, body := range []string{``, `{}`, `{"x":"1"}`, `[1]`, `{"x":null}`} {
		if code, _ := do(t, srv, "POST", "/credits/captcha", body, alice, "", nil); code != 400 {
			t.Errorf("claim %q: %d", body, code)
		}
	}
	if code, _ := do(t, srv, "POST", "/credits/captcha", `{"x":1}`, nil, "", nil); code != 401 {
		t.Errorf("an unsigned claim: %d", code)
	}
}

// readEvent reads lines of an event stream up to a blank line.
func readEvent(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var out strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("the stream ended: %v (read %q)", err, out.String())
		}
		if line == "\n" {
			return out.String()
		}
		out.WriteString(line)
	}
}

// The stream sends the empty state, keeps alive, ends after its
// lifetime, and is bounded.
func TestStream(t *testing.T) {
	_, srv := newServer(t, Config{MaxStreams: 5, KeepAlive: 20 * time.Millisecond, StreamLifetime: time.Second})
	alice := entitytest.NewIdentity()
	open := func() *http.Response {
		res, err := http.Get(srv.URL + "/credits/users/" + alice.Address + "/credits/stream")
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := open()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %v", res.StatusCode, res.Header)
	}
	r := bufio.NewReader(res.Body)
	if ev := readEvent(t, r); ev != `data: {"credits":[],"totalCredits":0}`+"\n" {
		t.Errorf("the first event: %q", ev)
	}
	if ev := readEvent(t, r); ev != ": keep-alive\n" {
		t.Errorf("a keep-alive: %q", ev)
	}
	var held []*http.Response
	for range MaxStreamsPerUser - 1 {
		held = append(held, open())
	}
	if extra := open(); extra.StatusCode != 503 {
		t.Errorf("a fifth stream of one user: %d", extra.StatusCode)
	} else {
		extra.Body.Close()
	}
	bob := entitytest.NewIdentity()
	other, err := http.Get(srv.URL + "/credits/users/" + bob.Address + "/credits/stream")
	if err != nil {
		t.Fatal(err)
	}
	if other.StatusCode != 200 {
		t.Errorf("another user's stream: %d", other.StatusCode)
	}
	third, err := http.Get(srv.URL + "/credits/users/" + entitytest.NewIdentity().Address + "/credits/stream")
	if err != nil {
		t.Fatal(err)
	}
	if third.StatusCode != 503 {
		t.Errorf("a stream past MaxStreams: %d", third.StatusCode)
	}
	third.Body.Close()
	other.Body.Close()
	for _, h := range held {
		h.Body.Close()
	}
	// The lifetime ends it.
	deadline := time.Now().Add(5 * time.Second)
	done := make(chan error, 1)
	go func() { _, err := io.Copy(io.Discard, r); done <- err }()
	select {
	case <-done:
	case <-time.After(time.Until(deadline)):
		t.Fatal("the stream outlived its lifetime")
	}
	res.Body.Close()
}

// With an upstream, every route is forwarded: the path without the
// prefix, the signed fetch's headers but not Authorization, bounded.
func TestProxy(t *testing.T) {
	type seen struct {
		path, query, auth, identity, body string
	}
	got := make(chan seen, 10)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), r.Header.Get("X-Identity-Timestamp"), string(b)}
		switch r.URL.Path {
		case "/slow":
			<-r.Context().Done()
		case "/huge":
			w.Write(bytes.Repeat([]byte("x"), maxProxyResponse+10))
		case "/users/0x1/credits/stream":
			w.Header().Set("Content-Type", "text/event-stream")
			w.Write([]byte("data: {\"totalCredits\":3}\n\n"))
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(201)
			w.Write([]byte(`{"upstream":true}`))
		}
	}))
	defer upstream.Close()
	_, srv := newServer(t, Config{Upstream: upstream.URL + "/", UpstreamTimeout: 300 * time.Millisecond})
	alice := entitytest.NewIdentity()
	req, _ := http.NewRequest("POST", srv.URL+"/credits/captcha?a=1", strings.NewReader(`{"x":1}`))
	req.Header.Set("Authorization", "Bearer node-secret")
	alice.SignRequest(req, "")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 201 || string(body) != `{"upstream":true}` || res.Header.Get("Content-Type") != "application/json" {
		t.Errorf("forwarded answer: %d %s", res.StatusCode, body)
	}
	s := <-got
	if s.path != "/captcha" || s.query != "a=1" || s.auth != "" || s.identity == "" || s.body != `{"x":1}` {
		t.Errorf("the upstream saw %+v", s)
	}
	if code, _ := do(t, srv, "GET", "/credits/slow", "", nil, "", nil); code != 502 {
		t.Errorf("a slow upstream: %d", code)
	}
	<-got
	if code, _ := do(t, srv, "GET", "/credits/huge", "", nil, "", nil); code != 502 {
		t.Errorf("a huge answer: %d", code)
	}
	<-got
	if code, _ := do(t, srv, "POST", "/credits/users", strings.Repeat("x", maxProxyBody+1), nil, "", nil); code != 413 {
		t.Errorf("a huge body: %d", code)
	}
	res, err = http.Get(srv.URL + "/credits/users/0x1/credits/stream")
	if err != nil {
		t.Fatal(err)
	}
	if ev := readEvent(t, bufio.NewReader(res.Body)); ev != "data: {\"totalCredits\":3}\n" {
		t.Errorf("a relayed stream: %q", ev)
	}
	res.Body.Close()
	// An invalid upstream leaves the stand-in.
	_, plain := newServer(t, Config{Upstream: "ftp://example"})
	var season map[string]any
	if do(t, plain, "GET", "/credits/season", "", nil, "", &season); season["isPaused"] != true {
		t.Errorf("an invalid upstream: %v", season)
	}
}

func FuzzParseClaim(f *testing.F) {
	for _, s := range []string{`{"x":1}`, `{"x":-0.5e3}`, `{"x":"1"}`, `{}`, `null`, `{"x":1e400}`} {
		f.Add([]byte(s))
	}
	svc := New(Config{})
	mux := http.NewServeMux()
	svc.Routes(mux)
	alice := entitytest.NewIdentity()
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := ParseClaim(body)
		req := httptest.NewRequest("POST", "/credits/captcha", bytes.NewReader(body))
		alice.SignRequest(req, "")
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if (err == nil) != (rec.Code == 200) || (err != nil && rec.Code != 400 && rec.Code != 413) {
			t.Fatalf("claim %q answered %d (parse: %v)", body, rec.Code, err)
		}
	})
}
