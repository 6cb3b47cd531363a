package credits

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// Prefix is where the API is mounted.
const Prefix = "/credits"

// Bounds.
const (
	// MaxStreamsPerUser bounds one address's open streams.
	MaxStreamsPerUser = 4
	// MaxUsers bounds the users recorded as having started the program.
	MaxUsers = 100000
	maxBody  = 4 << 10
)

// Config wires the credits API to the node.
type Config struct {
	// Store holds who started the program (keyspace "credits").
	Store    *store.Store
	Verifier authchain.Verifier
	// Upstream is a real credits server's base URL (e.g.
	// https://credits.decentraland.org): every route is forwarded there.
	// "": the stand-in answers.
	Upstream string
	// UpstreamTimeout bounds a forwarded request (default 10 s).
	UpstreamTimeout time.Duration
	// MaxStreams bounds the open credit streams (default 256).
	MaxStreams int
	// StreamLifetime ends a stream after this long (default 1 h).
	StreamLifetime time.Duration
	// KeepAlive is the interval of a stream's keep-alive comments
	// (default 30 s).
	KeepAlive time.Duration
	Logger    *slog.Logger
	Metrics   prometheus.Registerer
	Now       func() time.Time
}

// Validate reports a configuration the service cannot run with.
func (c *Config) Validate() error {
	if c.Upstream != "" {
		u, err := url.Parse(c.Upstream)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("credits: Upstream %q is not an http(s) URL", c.Upstream)
		}
	}
	if c.UpstreamTimeout < 0 || c.MaxStreams < 0 || c.StreamLifetime < 0 || c.KeepAlive < 0 {
		return errors.New("credits: bounds must not be negative")
	}
	return nil
}

// Service is the credits API.
type Service struct {
	cfg      Config
	ks       *store.Keyspace
	log      *slog.Logger
	upstream *url.URL
	client   *http.Client

	streamsOpen atomic.Int64
	perUserMu   sync.Mutex
	perUser     map[string]int
	closing     chan struct{}
	closeOnce   sync.Once
	usersMu     sync.Mutex

	streams prometheus.Gauge
	proxied *prometheus.CounterVec
}

// New builds the service. An invalid Upstream is logged and left unused.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.UpstreamTimeout == 0 {
		cfg.UpstreamTimeout = 10 * time.Second
	}
	if cfg.MaxStreams == 0 {
		cfg.MaxStreams = 256
	}
	if cfg.StreamLifetime == 0 {
		cfg.StreamLifetime = time.Hour
	}
	if cfg.KeepAlive == 0 {
		cfg.KeepAlive = 30 * time.Second
	}
	s := &Service{
		cfg: cfg, log: cfg.Logger.With("component", "credits"), perUser: map[string]int{}, closing: make(chan struct{}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{Name: "catalyst_credits_streams", Help: "Open credit streams."}),
		proxied: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_credits_proxied_total",
			Help: "Requests forwarded to the upstream credits server, by result (2xx, 4xx, 5xx, error)."}, []string{"result"}),
	}
	if cfg.Store != nil {
		s.ks = cfg.Store.Keyspace("credits")
	}
	if err := cfg.Validate(); err != nil {
		s.log.Error("the upstream credits server is not used", "err", err)
		s.cfg.Upstream = ""
	} else if cfg.Upstream != "" {
		s.upstream, _ = url.Parse(strings.TrimSuffix(cfg.Upstream, "/"))
		s.client = &http.Client{
			Transport: &http.Transport{ResponseHeaderTimeout: cfg.UpstreamTimeout, MaxIdleConnsPerHost: 16, IdleConnTimeout: time.Minute},
			// Redirects are the upstream's business, not the client's.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(s.streams, s.proxied)
	}
	return s
}

// Close ends the open streams (an HTTP server shutting down waits for
// the requests in flight).
func (s *Service) Close() { s.closeOnce.Do(func() { close(s.closing) }) }

// Routes registers /credits/….
func (s *Service) Routes(mux *http.ServeMux) {
	if s.upstream != nil {
		mux.HandleFunc(Prefix+"/", s.proxy)
		return
	}
	h := httpx.Under(mux, Prefix)
	h("GET /users/{address}/credits", s.credits)
	h("GET /users/{address}/credits/stream", s.stream)
	h("GET /season", s.season)
	h("GET /seasons", s.seasons)
	h("POST /users", s.startProgram)
	h("GET /users/{address}/progress", s.progress)
	h("GET /captcha", s.captcha)
	h("POST /captcha", s.claim)
}

// emptyCredits is the stand-in's CreditsResponse.
var emptyCredits = map[string]any{"credits": []any{}, "totalCredits": 0}

// address reads the path's address, lower-cased; false after a 400.
func address(w http.ResponseWriter, r *http.Request) (string, bool) {
	a := strings.ToLower(r.PathValue("address"))
	if !authchain.IsAddress(a) {
		httpx.Error(w, http.StatusBadRequest, "Invalid address")
		return "", false
	}
	return a, true
}

// credits is GET /users/:address/credits.
func (s *Service) credits(w http.ResponseWriter, r *http.Request) {
	if _, ok := address(w, r); ok {
		httpx.JSON(w, http.StatusOK, emptyCredits)
	}
}

// season is GET /season: the SeasonResponse of a paused program.
func (s *Service) season(w http.ResponseWriter, r *http.Request) {
	httpx.JSON(w, http.StatusOK, map[string]any{"id": 0, "week": 0, "isPaused": true})
}

// noSeason is a SeasonData the client shows as having no data.
func noSeason() map[string]any {
	return map[string]any{"id": 0, "name": "", "startDate": "", "endDate": "", "maxMana": "0", "timeLeft": 0, "amountOfWeeks": 0, "state": "NO_DATA"}
}

func noWeek() map[string]any {
	return map[string]any{"weekNumber": 0, "timeLeft": 0, "startDate": "", "endDate": "", "secondsRemaining": 0}
}

// seasons is GET /seasons: {lastSeason, currentSeason: {season, week},
// nextSeason}, none of them with data.
func (s *Service) seasons(w http.ResponseWriter, r *http.Request) {
	httpx.JSON(w, http.StatusOK, map[string]any{
		"lastSeason": noSeason(), "currentSeason": map[string]any{"season": noSeason(), "week": noWeek()}, "nextSeason": noSeason(),
	})
}

// signed verifies a user's signed fetch (a scene's is refused).
func (s *Service) signed(w http.ResponseWriter, r *http.Request) (string, bool) {
	req, ok := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute)
	return req.Signer, ok
}

// startProgram is POST /users (signed): the signer started the program.
func (s *Service) startProgram(w http.ResponseWriter, r *http.Request) {
	signer, ok := s.signed(w, r)
	if !ok {
		return
	}
	if _, err := io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, maxBody)); err != nil {
		httpx.Error(w, http.StatusRequestEntityTooLarge, "the body must be at most 4096 bytes")
		return
	}
	if s.ks == nil {
		httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "isRegistered": true})
		return
	}
	full := false
	s.usersMu.Lock()
	err := s.ks.Update(r.Context(), func(tx *store.KeyspaceTxn) error {
		if _, err := tx.Get("u/" + signer); err == nil || !errors.Is(err, store.ErrNotFound) {
			return err
		}
		n := 0
		if v, err := tx.Get("n"); err == nil {
			n, _ = strconv.Atoi(string(v))
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if full = n >= MaxUsers; full {
			return nil
		}
		if err := tx.Set("n", []byte(strconv.Itoa(n+1))); err != nil {
			return err
		}
		return tx.Set("u/"+signer, []byte(strconv.FormatInt(s.cfg.Now().UnixMilli(), 10)))
	})
	s.usersMu.Unlock()
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if full {
		httpx.Error(w, http.StatusServiceUnavailable, "the program is full on this node")
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "isRegistered": true})
}

// progress is GET /users/:address/progress (signed by that address): the
// CreditsProgramProgressResponse of a program with nothing to earn.
func (s *Service) progress(w http.ResponseWriter, r *http.Request) {
	addr, ok := address(w, r)
	if !ok {
		return
	}
	signer, ok := s.signed(w, r)
	if !ok {
		return
	}
	if signer != addr {
		httpx.Error(w, http.StatusForbidden, "The progress is only for its own user")
		return
	}
	started := false
	if s.ks != nil {
		_, err := s.ks.Get(r.Context(), "u/"+addr)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			httpx.Internal(w, s.log, r, err)
			return
		}
		started = err == nil
	}
	httpx.JSON(w, http.StatusOK, map[string]any{
		"lastSeason": noSeason(), "currentSeason": noSeason(), "currentWeek": noWeek(), "nextSeason": noSeason(),
		"user":    map[string]any{"email": "", "isEmailConfirmed": false, "hasStartedProgram": started},
		"credits": map[string]any{"available": 0, "expiresIn": 0, "isBlockedForClaiming": true},
		"goals":   []any{},
	})
}

// blankCaptcha is the stand-in's captcha: a plain 300×100 PNG.
var blankCaptcha = func() []byte {
	img := image.NewGray(image.Rect(0, 0, 300, 100))
	for i := range img.Pix {
		img.Pix[i] = 0xe0
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}()

// captcha is GET /captcha (signed): the claim's captcha image.
func (s *Service) captcha(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.signed(w, r); !ok {
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(blankCaptcha)
}

// ParseClaim reads the claim's body {x: number}.
func ParseClaim(body []byte) (float64, error) {
	var in struct {
		X *float64 `json:"x"`
	}
	if json.Unmarshal(body, &in) != nil || in.X == nil || math.IsNaN(*in.X) || math.IsInf(*in.X, 0) {
		return 0, errors.New("the body must be {\"x\": number}")
	}
	return *in.X, nil
}

// claim is POST /captcha {x} (signed): nothing to claim.
func (s *Service) claim(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.signed(w, r); !ok {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		httpx.Error(w, http.StatusRequestEntityTooLarge, "the body must be at most 4096 bytes")
		return
	}
	if _, err := ParseClaim(body); err != nil {
		httpx.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": false, "credits_granted": 0, "isBlockedForClaiming": true})
}
