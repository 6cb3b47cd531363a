package social

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/services/social/rpc"
	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// Close codes of the social socket (social-service-ea ws-handler.ts).
const (
	CloseUnauthorized = 3003 // the first frame did not authenticate
	CloseAuthTimeout  = 3004 // no first frame in time
)

const (
	// authTTL is how old the first frame's signature may be
	// (WS_AUTH_SIGNATURE_EXPIRATION_IN_MS).
	authTTL = 5 * time.Minute
	// maxAuthFrame bounds the first frame (a few signed headers).
	maxAuthFrame = 16 << 10
	// idle is how long a socket may stay silent (WS_IDLE_TIMEOUT_IN_SECONDS);
	// pings go every pingEvery and a pong counts as traffic.
	idle      = 5 * time.Minute
	pingEvery = 30 * time.Second
)

var upgrader = websocket.Upgrader{
	CheckOrigin:     func(*http.Request) bool { return true },
	ReadBufferSize:  4096,
	WriteBufferSize: 4096,
}

// socket is one open /social/ws connection.
type socket struct {
	conn *websocket.Conn
	once sync.Once
}

func (so *socket) close(code int, reason string) {
	so.once.Do(func() {
		so.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
		so.conn.Close()
	})
}

// admit counts a socket from ip within the limits.
func (s *Service) admit(ip string) bool {
	s.connsMu.Lock()
	defer s.connsMu.Unlock()
	switch {
	case s.closing:
		return false
	case s.conns >= s.lim.Connections:
		s.guard.Hit("connections")
		return false
	case s.perIP[ip] >= s.lim.ConnectionsPerIP:
		s.guard.Hit("connections_per_ip")
		return false
	}
	s.conns++
	s.perIP[ip]++
	s.handlers.Add(1)
	s.m.connections.Inc()
	return true
}

func (s *Service) release(ip string, so *socket) {
	s.connsMu.Lock()
	s.conns--
	if s.perIP[ip]--; s.perIP[ip] <= 0 {
		delete(s.perIP, ip)
	}
	if so != nil {
		delete(s.sockets, so)
	}
	s.connsMu.Unlock()
	s.m.connections.Dec()
	s.handlers.Done()
}

// admitAddress takes one of an address's ConnectionsPerAddress sockets.
func (s *Service) admitAddress(address string) bool {
	s.connsMu.Lock()
	defer s.connsMu.Unlock()
	if s.perAddress[address] >= s.lim.ConnectionsPerAddress {
		return false
	}
	s.perAddress[address]++
	return true
}

func (s *Service) releaseAddress(address string) {
	s.connsMu.Lock()
	defer s.connsMu.Unlock()
	if s.perAddress[address]--; s.perAddress[address] <= 0 {
		delete(s.perAddress, address)
	}
}

func remoteIP(r *http.Request) string { return httpx.ClientIP(r) }

// serveWS serves GET /social/ws: the signed headers first, then @dcl/rpc.
func (s *Service) serveWS(w http.ResponseWriter, r *http.Request) {
	ip := remoteIP(r)
	if !s.admit(ip) {
		w.Header().Set("Retry-After", "5")
		httpx.Error(w, http.StatusServiceUnavailable, "Too many connections; try again later.")
		return
	}
	var so *socket
	defer func() { s.release(ip, so) }()
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered
	}
	so = &socket{conn: conn}
	s.connsMu.Lock()
	closing := s.closing
	if !closing {
		s.sockets[so] = struct{}{}
	}
	s.connsMu.Unlock()
	if closing {
		so.close(websocket.CloseGoingAway, "shutting down")
		return
	}
	defer so.close(websocket.CloseNormalClosure, "")
	defer s.guard.Recover("social socket", "remote", r.RemoteAddr)
	conn.SetReadLimit(maxAuthFrame) // until the signed headers are read

	address, code, reason := s.authenticate(r.Context(), conn)
	if code != 0 {
		so.close(code, reason)
		return
	}
	if !s.admitAddress(address) {
		s.guard.Hit("social_connections_per_address")
		so.close(websocket.CloseTryAgainLater, "too many connections of this address")
		return
	}
	defer s.releaseAddress(address)
	conn.SetReadLimit(s.lim.MaxFrame)
	conn.SetReadDeadline(time.Now().Add(idle))
	conn.SetPongHandler(func(string) error { conn.SetReadDeadline(time.Now().Add(idle)); return nil })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.pinger(ctx, conn)
	hooks := rpc.Hooks{
		Call: func(proc string, failed bool, took time.Duration) {
			res := "ok"
			if failed {
				res = "error"
			}
			s.m.calls.WithLabelValues(proc, res).Observe(took.Seconds())
		},
		Panic: func(proc string, v any) { s.guard.Report("social rpc "+proc, v, "address", address) },
	}
	err = rpc.Serve(ctx, &wsTransport{conn: conn}, []*rpc.Module{s.module(address)}, s.lim.RPC, hooks)
	switch {
	case errors.Is(err, rpc.ErrTooFast):
		s.guard.Hit("rpc_messages_per_second")
		so.close(websocket.ClosePolicyViolation, "too many messages")
	case errors.Is(err, rpc.ErrTooSlow):
		s.guard.Hit("rpc_send_queue")
		so.close(websocket.CloseTryAgainLater, "too slow")
	case errors.Is(err, rpc.ErrMalformed), errors.Is(err, errTextFrame):
		so.close(websocket.CloseInvalidFramePayloadData, "malformed rpc frame")
	case errors.Is(err, websocket.ErrReadLimit):
		s.guard.Hit("frame_size")
		so.close(websocket.CloseMessageTooBig, "frame too large")
	}
}

func (s *Service) pinger(ctx context.Context, conn *websocket.Conn) {
	t := time.NewTicker(pingEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second)); err != nil {
				return
			}
		case <-ctx.Done():
			return
		}
	}
}

// authenticate reads the first frame within the auth timeout and checks
// it as verify('get', '/', headers) with a 5-minute signature and no
// scene signer; a non-zero code closes the socket.
func (s *Service) authenticate(ctx context.Context, conn *websocket.Conn) (string, int, string) {
	conn.SetReadDeadline(time.Now().Add(s.lim.AuthTimeout))
	_, b, err := conn.ReadMessage()
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			s.m.auth.WithLabelValues("timeout").Inc()
			return "", CloseAuthTimeout, "Authorization timeout"
		}
		s.m.auth.WithLabelValues("failed").Inc()
		return "", CloseUnauthorized, "Unauthorized"
	}
	address, err := s.verifyAuthFrame(ctx, b)
	if err != nil {
		s.m.auth.WithLabelValues("failed").Inc()
		s.log.Debug("social socket refused", "err", err)
		return "", CloseUnauthorized, "Unauthorized"
	}
	s.m.auth.WithLabelValues("ok").Inc()
	return address, 0, ""
}

// verifyAuthFrame checks a first frame's signed headers.
func (s *Service) verifyAuthFrame(ctx context.Context, b []byte) (string, error) {
	h, err := ParseAuthFrame(b)
	if err != nil {
		return "", err
	}
	req, err := s.cfg.Verifier.VerifyRequestWith(ctx, "GET", "/", h, s.cfg.Now(), authchain.RequestRules{TTL: authTTL, MetadataCaseKept: true})
	if err != nil {
		return "", err
	}
	var meta struct {
		Signer string `json:"signer"`
	}
	json.Unmarshal(req.Metadata, &meta)
	if meta.Signer == httpx.SceneSigner {
		return "", errors.New("a scene may not connect")
	}
	return req.Signer, nil
}

// ParseAuthFrame reads the first frame of /social/ws: the JSON object of
// a signed fetch's headers (x-identity-auth-chain-N, x-identity-timestamp,
// x-identity-metadata), names in any case. Other names are ignored; a
// frame over 16 KiB, not an object of strings, or with more than 64
// names is refused.
func ParseAuthFrame(b []byte) (http.Header, error) {
	if len(b) > maxAuthFrame {
		return nil, fmt.Errorf("the first frame is over %d bytes", maxAuthFrame)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("the first frame is not a JSON object of headers: %w", err)
	}
	if len(m) > 64 {
		return nil, errors.New("the first frame has too many headers")
	}
	h := http.Header{}
	for k, v := range m {
		if strings.HasPrefix(strings.ToLower(k), "x-identity-") && len(k) <= 64 {
			h.Set(k, v)
		}
	}
	if h.Get(authchain.HeaderChainPrefix+"0") == "" {
		return nil, errors.New("the first frame has no x-identity-auth-chain-0")
	}
	return h, nil
}

var errTextFrame = errors.New("social: a text frame on the rpc transport")

// wsTransport carries @dcl/rpc frames as binary WebSocket messages.
type wsTransport struct{ conn *websocket.Conn }

func (t *wsTransport) Read() ([]byte, error) {
	typ, b, err := t.conn.ReadMessage()
	if err != nil {
		return nil, err
	}
	t.conn.SetReadDeadline(time.Now().Add(idle))
	if typ != websocket.BinaryMessage {
		return nil, errTextFrame
	}
	return b, nil
}

func (t *wsTransport) Write(b []byte) error {
	t.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return t.conn.WriteMessage(websocket.BinaryMessage, b)
}
