package httpx

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/store/guard"
)

func do(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func errorOf(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var body map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("not JSON: %q", rec.Body.String())
	}
	return body["error"]
}

func TestUnrouted(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) { JSON(w, 200, r.PathValue("id")) })
	mux.HandleFunc("POST /things", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/", Unrouted(mux))

	if rec := do(mux, "GET", "/things/7", nil); rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != `"7"` {
		t.Fatalf("a route: %d %s", rec.Code, rec.Body)
	}
	rec := do(mux, "DELETE", "/things/7", nil)
	if rec.Code != 405 || rec.Header().Get("Allow") != "GET, HEAD" || !strings.Contains(errorOf(t, rec), "DELETE /things/7") {
		t.Fatalf("wrong method: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	if rec := do(mux, "GET", "/things", nil); rec.Code != 405 || rec.Header().Get("Allow") != "POST" {
		t.Fatalf("GET of a POST route: %d %v", rec.Code, rec.Header())
	}
	if rec := do(mux, "GET", "/nothing", nil); rec.Code != 404 || errorOf(t, rec) != "Not Found: GET /nothing" {
		t.Fatalf("unknown path: %d %s", rec.Code, rec.Body)
	}
	if rec := do(mux, "OPTIONS", "/nothing", nil); rec.Code != 404 {
		t.Fatalf("OPTIONS of an unknown path: %d", rec.Code)
	}
}

func TestCORS(t *testing.T) {
	h := CORS(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	rec := do(h, "GET", "/", map[string]string{"Origin": "https://play.decentraland.org"})
	if rec.Header().Get("Access-Control-Allow-Origin") != "https://play.decentraland.org" || rec.Header().Get("Access-Control-Allow-Credentials") != "true" {
		t.Fatalf("reflected origin: %v", rec.Header())
	}
	if rec := do(h, "GET", "/", nil); rec.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("no origin: %v", rec.Header())
	}
	rec = do(h, "OPTIONS", "/x", map[string]string{"Origin": "https://a", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-identity-auth-chain-0"})
	if rec.Code != 204 || rec.Header().Get("Access-Control-Allow-Headers") != "x-identity-auth-chain-0" || !strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("preflight: %d %v", rec.Code, rec.Header())
	}
}

// A panicking handler is a 500 and a count, not a dropped connection;
// http.ErrAbortHandler keeps its meaning.
func TestRecover(t *testing.T) {
	reg := prometheus.NewRegistry()
	g := guard.New("http", slog.New(slog.NewTextHandler(io.Discard, nil)), reg)
	h := Recover(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/abort" {
			panic(http.ErrAbortHandler)
		}
		panic("boom")
	}))
	if rec := do(h, "GET", "/x", nil); rec.Code != 500 || errorOf(t, rec) != "Internal Server Error" {
		t.Fatalf("panic: %d %s", rec.Code, rec.Body)
	}
	if g.Panics() != 1 {
		t.Fatalf("panics counted: %v", g.Panics())
	}
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Fatalf("ErrAbortHandler became %v", v)
		}
	}()
	do(h, "GET", "/abort", nil)
}

func TestBaseURL(t *testing.T) {
	for _, c := range []struct {
		configured string
		header     map[string]string
		want       string
	}{
		{"", nil, "http://example.com"},
		{"https://node.example/", nil, "https://node.example"},
		{"", map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "peer.example"}, "https://peer.example"},
		{"", map[string]string{"X-Forwarded-Proto": "gopher"}, "http://example.com"},
	} {
		req := httptest.NewRequest("GET", "/about", nil)
		for k, v := range c.header {
			req.Header.Set(k, v)
		}
		if got := BaseURL(req, c.configured); got != c.want {
			t.Errorf("BaseURL(%q, %v) = %s, want %s", c.configured, c.header, got, c.want)
		}
	}
}

func TestValues(t *testing.T) {
	req := httptest.NewRequest("GET", "/?cid=a&cid=b&cid[]=c&cid[0]=d&cid=&other=x", nil)
	got := Values(req, "cid")
	if len(got) != 4 {
		t.Fatalf("Values = %v", got)
	}
}

// Deadlines: a body that does not arrive in time fails the read, a
// request without a body is not cut.
func TestDeadlines(t *testing.T) {
	read := make(chan error, 1)
	srv := httptest.NewServer(Deadlines(100*time.Millisecond, time.Second, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		read <- err
	})))
	defer srv.Close()
	pr, pw := io.Pipe()
	defer pw.Close()
	req, _ := http.NewRequest("POST", srv.URL, pr)
	req.ContentLength = -1
	go http.DefaultClient.Do(req)
	pw.Write([]byte("part"))
	select {
	case err := <-read:
		if err == nil {
			t.Fatal("a stalled body was read to the end")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a stalled body held the handler")
	}
	res, err := http.Get(srv.URL)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("a bodyless request: %v %v", err, res)
	}
	res.Body.Close()
	if err := <-read; err != nil {
		t.Fatalf("a bodyless request read: %v", err)
	}
}

func TestClientIPAndTrustedProxies(t *testing.T) {
	proxy := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	var got string
	h := TrustedProxies(proxy, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = ClientIP(r) }))
	for _, c := range []struct{ remote, xff, want string }{
		{"10.1.1.1:5000", "203.0.113.7", "203.0.113.7"},                    // behind the proxy
		{"10.1.1.1:5000", "1.2.3.4, 203.0.113.7, 10.2.2.2", "203.0.113.7"}, // the left part is the client's to write
		{"198.51.100.9:5000", "203.0.113.7", "198.51.100.9"},               // not a proxy: the header is ignored
		{"10.1.1.1:5000", "", "10.1.1.1"},
		{"[2001:db8:1:2:3:4:5:6]:80", "", "2001:db8:1:2::/64"},
		{"[::ffff:192.0.2.1]:80", "", "192.0.2.1"},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = c.remote
		if c.xff != "" {
			req.Header.Set("X-Forwarded-For", c.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), req)
		if got != c.want {
			t.Errorf("%s with %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}
