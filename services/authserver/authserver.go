package authserver

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/guard"
)

// Prefix is where the HTTP API is mounted; the original's paths
// (/requests, /v2/requests/…, /identities/…) are below it.
const Prefix = "/auth"

// SocketIOPaths are the Engine.IO endpoints: the default path, which a
// client reaches with io("<node>/auth") (namespace "/auth"), and the one
// below the prefix, for io("<node>", {path: "/auth/socket.io"}).
var SocketIOPaths = []string{"/socket.io/", Prefix + "/socket.io/"}

// Namespaces a client may connect to, on either path.
var Namespaces = []string{"/", Prefix}

// The original's defaults (.env.default: REQUEST_EXPIRATION_IN_SECONDS,
// DCL_PERSONAL_SIGN_REQUEST_EXPIRATION_IN_SECONDS; identities are kept an
// hour, ONE_HOUR_IN_MILLISECONDS) and socket.io's heartbeat.
const (
	DefaultRequestExpiration  = 5 * time.Minute
	DefaultSignInExpiration   = 10 * time.Minute
	DefaultIdentityExpiration = time.Hour
	DefaultPingInterval       = 25 * time.Second
	DefaultPingTimeout        = 20 * time.Second
	signedFetchTTL            = time.Minute // @dcl/crypto-middleware's default
)

// Config wires the service to the node. Zero fields take the defaults of
// DefaultConfig.
type Config struct {
	// Verifier checks request auth chains and the signed fetch of POST
	// /identities (EIP-1654 chains need its Contracts).
	Verifier authchain.Verifier
	Logger   *slog.Logger
	Metrics  prometheus.Registerer
	Now      func() time.Time

	// RequestExpiration is how long a request may be answered;
	// SignInExpiration is that of dcl_personal_sign; IdentityExpiration how
	// long a stored identity waits to be collected (and a tombstone says
	// why one is gone).
	RequestExpiration, SignInExpiration, IdentityExpiration time.Duration

	// MaxRequests bounds the requests held (pending, answered or
	// fulfilled markers); MaxRequestsPerIP those of one client address.
	MaxRequests, MaxRequestsPerIP int
	// MaxIdentities and MaxIdentitiesPerIP bound the stored identities
	// (tombstones included).
	MaxIdentities, MaxIdentitiesPerIP int
	// SweepEvery is how often expired records are dropped.
	SweepEvery time.Duration

	// Socket.IO: the heartbeat, and the bound on sessions (overall and
	// per client address).
	PingInterval, PingTimeout   time.Duration
	MaxSockets, MaxSocketsPerIP int
	// ClientIP names a request's client (nil: the TCP peer's address; a
	// node behind a proxy may read a header it trusts).
	ClientIP func(*http.Request) string
}

// DefaultConfig is the configuration New fills zero fields from.
func DefaultConfig() Config {
	return Config{
		RequestExpiration: DefaultRequestExpiration, SignInExpiration: DefaultSignInExpiration,
		IdentityExpiration: DefaultIdentityExpiration,
		MaxRequests:        10000, MaxRequestsPerIP: 32,
		MaxIdentities: 10000, MaxIdentitiesPerIP: 32,
		SweepEvery:   30 * time.Second,
		PingInterval: DefaultPingInterval, PingTimeout: DefaultPingTimeout,
		MaxSockets: 4096, MaxSocketsPerIP: 64,
	}
}

// Service is the auth server.
type Service struct {
	cfg   Config
	log   *slog.Logger
	guard *guard.Guard
	st    *state
	sio   *sioServer

	requests   *prometheus.CounterVec
	identities *prometheus.CounterVec
	swept      prometheus.Counter
	held       *prometheus.GaugeVec

	cancel context.CancelFunc
	done   chan struct{}
}

// New builds the service; nothing runs until Start (the HTTP routes
// answer at once, expiry is also checked on every lookup).
func New(cfg Config) *Service {
	def := DefaultConfig()
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	setDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	setInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	setDur(&cfg.RequestExpiration, def.RequestExpiration)
	setDur(&cfg.SignInExpiration, def.SignInExpiration)
	setDur(&cfg.IdentityExpiration, def.IdentityExpiration)
	setDur(&cfg.SweepEvery, def.SweepEvery)
	setDur(&cfg.PingInterval, def.PingInterval)
	setDur(&cfg.PingTimeout, def.PingTimeout)
	setInt(&cfg.MaxRequests, def.MaxRequests)
	setInt(&cfg.MaxRequestsPerIP, def.MaxRequestsPerIP)
	setInt(&cfg.MaxIdentities, def.MaxIdentities)
	setInt(&cfg.MaxIdentitiesPerIP, def.MaxIdentitiesPerIP)
	setInt(&cfg.MaxSockets, def.MaxSockets)
	setInt(&cfg.MaxSocketsPerIP, def.MaxSocketsPerIP)

	log := cfg.Logger.With("component", "authserver")
	s := &Service{
		cfg: cfg, log: log, guard: guard.New("authserver", cfg.Logger, cfg.Metrics), st: newState(cfg),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_authserver_requests_total",
			Help: "Auth server requests by step (created, recovered, answered, delivered_socket, delivered_poll) and refusal (invalid, unauthorized, full)."}, []string{"result"}),
		identities: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_authserver_identities_total",
			Help: "Auth server identities stored, served and refused."}, []string{"result"}),
		swept: prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_authserver_expired_total",
			Help: "Requests and identities the auth server's sweep dropped because they expired."}),
		held: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "catalyst_authserver_held",
			Help: "Requests and identities the auth server holds in memory."}, []string{"kind"}),
	}
	s.sio = newSIOServer(sioConfig{
		PingInterval: cfg.PingInterval, PingTimeout: cfg.PingTimeout, MaxPayload: 2 * MaxBodyBytes,
		MaxSessions: cfg.MaxSockets, MaxSessionsPerIP: cfg.MaxSocketsPerIP, Namespaces: Namespaces, ClientIP: cfg.ClientIP,
	}, log, s.guard, s.onEvent)
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(s.requests, s.identities, s.swept, s.held, s.sio.sessionsGauge, s.sio.packets)
	}
	return s
}

// Routes mounts the HTTP API under Prefix and the Socket.IO endpoint at
// SocketIOPaths.
func (s *Service) Routes(mux *http.ServeMux) {
	h := httpx.Under(mux, Prefix)
	h("POST /requests", s.createRequest)
	h("GET /v2/requests/{id}", s.getRequest)
	h("POST /v2/requests/{id}/validation", s.notifyValidation)
	h("GET /v2/requests/{id}/validation", s.validationStatus)
	h("GET /requests/{id}", s.getOutcome)
	h("POST /v2/requests/{id}/outcome", s.postOutcome)
	h("POST /identities", s.createIdentity)
	h("GET /identities/{id}", s.getIdentity)
	h("GET /health/live", func(w http.ResponseWriter, r *http.Request) {
		httpx.JSON(w, http.StatusOK, map[string]int64{"timestamp": s.cfg.Now().UnixMilli()})
	})
	h("GET /health/ready", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("OK")) })
	for _, p := range SocketIOPaths {
		mux.Handle("GET "+p, s.sio)
		mux.Handle("POST "+p, s.sio)
	}
}

// Start runs the sweep: every SweepEvery it drops expired records
// (bounded by the caps: a sweep visits at most MaxRequests+MaxIdentities).
func (s *Service) Start(context.Context) error {
	s.sio.open()
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go func() {
		defer close(s.done)
		t := time.NewTicker(s.cfg.SweepEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.Sweep()
			}
		}
	}()
	return nil
}

// Stop stops the sweep and closes every socket.
func (s *Service) Stop(context.Context) error {
	s.Close()
	if s.cancel != nil {
		s.cancel()
		<-s.done
		s.cancel = nil
	}
	return nil
}

// Close ends every Socket.IO session (WebSockets are hijacked
// connections the HTTP server does not close; polls end too). The node
// calls it when HTTP shuts down.
func (s *Service) Close() { s.sio.closeAll() }

// Sweep drops expired requests and identities now.
func (s *Service) Sweep() {
	defer s.guard.Recover("authserver sweep")
	r, i := s.st.sweep(s.cfg.Now())
	s.swept.Add(float64(r + i))
	nr, ni := s.st.counts()
	s.held.WithLabelValues("requests").Set(float64(nr))
	s.held.WithLabelValues("identities").Set(float64(ni))
}

// code is the pairing code the user compares on both screens, 0–99, from
// a cryptographic source so it cannot be predicted.
func code() int {
	n, err := rand.Int(rand.Reader, big.NewInt(100))
	if err != nil {
		return 0
	}
	return int(n.Int64())
}

// createResult is what creating a request answers: the original's
// RequestResponseMessage, or an error (with its HTTP status).
type createResult struct {
	RequestID  string `json:"requestId"`
	Expiration jsTime `json:"expiration"`
	Code       int    `json:"code"`
}

// create validates a request message, verifies its auth chain and stores
// it for ip (socketID: the socket it came from, "" over HTTP).
func (s *Service) create(ctx context.Context, raw []byte, ip, socketID string) (createResult, int, error) {
	msg, err := parseRequest(raw)
	if err != nil {
		s.requests.WithLabelValues("invalid").Inc()
		return createResult{}, http.StatusBadRequest, err
	}
	if why := s.st.roomForRequest(ip, socketID); why != ok {
		status, err := s.refuseFull(why, "requests")
		return createResult{}, status, err
	}
	var sender string
	if msg.Method != MethodSignIn {
		if sender, err = s.senderOf(ctx, msg.AuthChain); err != nil {
			s.requests.WithLabelValues("unauthorized").Inc()
			return createResult{}, http.StatusBadRequest, err
		}
	}
	now := s.cfg.Now()
	ttl := s.cfg.RequestExpiration
	if msg.Method == MethodSignIn {
		ttl = s.cfg.SignInExpiration
	}
	r := &request{
		ID: httpx.UUID(), Expiration: now.Add(ttl), Code: code(), Method: msg.Method, Params: msg.Params,
		Sender: sender, SocketID: socketID, ip: ip,
	}
	if why := s.st.addRequest(r); why != ok {
		status, err := s.refuseFull(why, "requests")
		return createResult{}, status, err
	}
	s.requests.WithLabelValues("created").Inc()
	s.log.Debug("request registered", "method", r.Method, "rid", r.ID, "exp", r.Expiration.UnixMilli())
	return createResult{RequestID: r.ID, Expiration: jsTime(r.Expiration), Code: r.Code}, http.StatusCreated, nil
}

func (s *Service) refuseFull(why refusal, what string) (int, error) {
	counter := s.requests
	if what == "identities" {
		counter = s.identities
	}
	counter.WithLabelValues("full").Inc()
	if why == fullForIP {
		s.guard.Hit(what + "_per_ip")
		return http.StatusTooManyRequests, fmt.Errorf("Too many pending %s from this address; answer or let one expire first", what)
	}
	s.guard.Hit(what)
	return http.StatusTooManyRequests, fmt.Errorf("Too many pending %s; try again later", what)
}

// senderOf verifies a request's auth chain as the original's
// validateAuthChain does (@dcl/crypto's Authenticator.validateSignature
// against the chain's ephemeral address, now) and returns its owner.
func (s *Service) senderOf(ctx context.Context, chain authchain.Chain) (string, error) {
	if len(chain) == 0 {
		return "", badInput("Auth chain is required")
	}
	authority, err := finalAuthority(chain)
	if err != nil {
		return "", err
	}
	sender, err := s.cfg.Verifier.Verify(ctx, chain, authority, s.cfg.Now())
	if err != nil {
		return "", err
	}
	return strings.ToLower(sender), nil
}

// recoverView is the original's RecoverResponseMessage.
type recoverView struct {
	Expiration jsTime          `json:"expiration"`
	Code       int             `json:"code"`
	Method     string          `json:"method"`
	Params     json.RawMessage `json:"params"`
	Sender     string          `json:"sender,omitempty"`
}

func viewOf(r *request) recoverView {
	return recoverView{Expiration: jsTime(r.Expiration), Code: r.Code, Method: r.Method, Params: r.Params, Sender: r.Sender}
}

// refusalText is the original's error text for a refusal, and its status.
func refusalText(why refusal, id string) (int, string) {
	id = truncate(id, 64)
	switch why {
	case notFound:
		return http.StatusNotFound, fmt.Sprintf("Request with id %q not found", id)
	case fulfilled:
		return http.StatusGone, fmt.Sprintf("Request with id %q has already been fulfilled", id)
	case expired:
		return http.StatusGone, fmt.Sprintf("Request with id %q has expired", id)
	case answered:
		return http.StatusBadRequest, fmt.Sprintf("Request with id %q already has a response", id)
	}
	return http.StatusInternalServerError, "Internal server error"
}

// recover is the browser's look at a request (GET /v2/requests/:id and
// the socket's "recover").
func (s *Service) recoverRequest(id string) (recoverView, refusal) {
	var v recoverView
	why := s.st.active(id, s.cfg.Now(), func(r *request) refusal {
		v = viewOf(r)
		return ok
	})
	if why == ok {
		s.requests.WithLabelValues("recovered").Inc()
	}
	return v, why
}

// answer records an outcome: relayed at once to the request's socket when
// it is connected (and the request becomes a fulfilled marker), kept for
// GET /requests/:id otherwise.
func (s *Service) answer(id string, out outcomeMessage) refusal {
	out.RequestID = id
	why := s.st.active(id, s.cfg.Now(), func(r *request) refusal {
		if r.Response != nil {
			return answered
		}
		if sock := s.sio.socket(r.SocketID); r.SocketID != "" && sock != nil && sock.emit("outcome", out) {
			s.requests.WithLabelValues("delivered_socket").Inc()
			s.st.fulfilLocked(r)
			return ok
		}
		r.Response = &out
		return ok
	})
	if why == ok {
		s.requests.WithLabelValues("answered").Inc()
	}
	return why
}

// needsValidation marks a request as one whose code the user must check,
// and tells its socket once.
func (s *Service) needsValidation(id string) refusal {
	return s.st.active(id, s.cfg.Now(), func(r *request) refusal {
		if sock := s.sio.socket(r.SocketID); r.SocketID != "" && sock != nil && !r.RequiresValidation {
			sock.emit("request-validation-status", map[string]any{"requestId": id, "code": r.Code})
		}
		r.RequiresValidation = true
		return ok
	})
}
