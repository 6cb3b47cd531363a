package authserver

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/guard"
)

// clock is a settable Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// wallet is a user's wallet with an ephemeral key it delegated to, as
// the explorer's login makes (SIGNER → ECDSA_EPHEMERAL).
type wallet struct {
	key, eph *ecdsa.PrivateKey
	addr     string // checksummed
	delegate authchain.Link
}

func newWallet(t testing.TB, exp time.Time) *wallet {
	t.Helper()
	key, _ := crypto.GenerateKey()
	eph, _ := crypto.GenerateKey()
	payload := authchain.EphemeralPayload(crypto.PubkeyToAddress(eph.PublicKey), exp)
	return &wallet{key: key, eph: eph, addr: crypto.PubkeyToAddress(key.PublicKey).Hex(),
		delegate: authchain.Link{Type: authchain.Ephemeral, Payload: payload, Signature: authchain.Sign(key, payload)}}
}

func (w *wallet) lower() string { return strings.ToLower(w.addr) }

// login is the identity's chain, the one a desktop sends with a request.
func (w *wallet) login() authchain.Chain {
	return authchain.Chain{{Type: authchain.Signer, Payload: w.addr}, w.delegate}
}

func (w *wallet) ephAddress() string { return crypto.PubkeyToAddress(w.eph.PublicKey).Hex() }

// identity is the AuthIdentity the explorer stores.
func (w *wallet) identity() map[string]any {
	return map[string]any{
		"expiration": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339Nano),
		"ephemeralIdentity": map[string]any{
			"address":    w.ephAddress(),
			"privateKey": "0x" + bytesHex(crypto.FromECDSA(w.eph)),
			"publicKey":  "0x" + bytesHex(crypto.FromECDSAPub(&w.eph.PublicKey)),
		},
		"authChain": w.login(),
	}
}

func bytesHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}

// sign makes req a signed fetch (ADR-44) through the ephemeral key.
func (w *wallet) sign(req *http.Request, metadata string) {
	ts := time.Now().UnixMilli()
	payload := authchain.SignedFetchPayload(req.Method, req.URL.Path, ts, metadata)
	chain := append(w.login(), authchain.Link{Type: authchain.SignedEntity, Payload: payload, Signature: authchain.Sign(w.eph, payload)})
	for i, l := range chain {
		b, _ := json.Marshal(l)
		req.Header.Set(authchain.HeaderChainPrefix+strconv.Itoa(i), string(b))
	}
	req.Header.Set(authchain.HeaderTimestamp, strconv.FormatInt(ts, 10))
	if metadata != "" {
		req.Header.Set(authchain.HeaderMetadata, metadata)
	}
}

// testIPHeader lets a test choose its client address.
const testIPHeader = "X-Test-Client-IP"

func testClientIP(r *http.Request) string {
	if ip := r.Header.Get(testIPHeader); ip != "" {
		return ip
	}
	return remoteIP(r)
}

type fixture struct {
	t     *testing.T
	svc   *Service
	srv   *httptest.Server
	clock *clock
}

// start serves a service behind the node's middleware (recover,
// deadlines, CORS, merged slashes and a status-recording writer, as
// node.New wraps its mux) on loopback.
func start(t *testing.T, cfg Config) *fixture {
	t.Helper()
	c := &clock{t: time.Now().Truncate(time.Millisecond)} // real time: chains and signed fetch are dated by it
	if cfg.Now == nil {
		cfg.Now = c.Now
	}
	if cfg.ClientIP == nil {
		cfg.ClientIP = testClientIP
	}
	if cfg.Metrics == nil {
		cfg.Metrics = prometheus.NewRegistry() // the names register without a clash
	}
	svc := New(cfg)
	mux := http.NewServeMux()
	svc.Routes(mux)
	mux.HandleFunc("/", httpx.Unrouted(mux))
	g := guard.New("http", nil, nil)
	h := httpx.Recover(g, httpx.Deadlines(30*time.Second, 10*time.Minute, httpx.CORS(httpx.MergeSlashes(recording(mux)))))
	srv := httptest.NewServer(h)
	if err := svc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		svc.Stop(t.Context())
		srv.Close()
	})
	return &fixture{t: t, svc: svc, srv: srv, clock: c}
}

// recording wraps the writer as the node's metrics middleware does.
func recording(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&statusWriter{ResponseWriter: w}, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (s *statusWriter) WriteHeader(code int)        { s.code = code; s.ResponseWriter.WriteHeader(code) }
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
func (s *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(s.ResponseWriter).Hijack()
}

// do sends a request (body: a string as is, anything else as JSON) and
// returns the status and body.
func (f *fixture) do(method, path string, body any, mod ...func(*http.Request)) (int, []byte) {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	for _, m := range mod {
		m(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

func fromIP(ip string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set(testIPHeader, ip) }
}

func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not a JSON object: %q", b)
	}
	return m
}

// held is how many requests and identities the service keeps.
func (f *fixture) held() (int, int) { return f.svc.st.counts() }

// jsonOf is v as compact JSON.
func jsonOf(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSpace(b.String())
}
