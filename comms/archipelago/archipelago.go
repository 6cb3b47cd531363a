// Package archipelago serves the explorer's comms entry point
// (/archipelago/ws): the signed-challenge handshake, heartbeats with
// positions, and the island assignments of the island engine, sent as the
// protobuf messages of @dcl/protocol's archipelago.proto. Peers learn the
// connection string of their island's room in island_changed.
package archipelago

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"
	"google.golang.org/protobuf/proto"

	"github.com/p2pcatalyst/catalyst/comms/islands"
	pb "github.com/p2pcatalyst/catalyst/comms/protocol/archipelago"
	commonpb "github.com/p2pcatalyst/catalyst/comms/protocol/common"
	"github.com/p2pcatalyst/catalyst/comms/rtc"
	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/guard"
)

// Config configures the service.
type Config struct {
	Verifier authchain.Verifier
	Params   islands.Params
	// ConnStr gives the connection string of an island's room for a peer,
	// from the node's base URL.
	ConnStr func(base, islandID, address string) (string, error)
	// PublicURL is the node's public URL ("": the one each peer used).
	PublicURL string
	// Banned reports whether an address may not use comms (nil: none are).
	Banned func(address string) bool
	// Moved is told when a peer's heartbeat puts it in another parcel
	// (from is its previous parcel; first marks its first heartbeat).
	Moved func(address string, from, to [2]int, first bool)
	// Walked is told, every WalkReport metres an explorer walks in a
	// session, how far since the last report; Climbed, every ClimbReport
	// metres of height gained, the session's total gain. Heartbeats more
	// than 30 m apart are teleports and count for neither.
	Walked  func(address string, metres float64)
	Climbed func(address string, total float64)
	// Joined and Left are told when an explorer's session starts (also
	// when a new one replaces it) and when its last one ends (closed or
	// expired): who is connected, for friends' connectivity.
	Joined, Left func(address string)
	Logger       *slog.Logger
	// Metrics registers the service's metrics (nil: not registered).
	Metrics prometheus.Registerer
	// FlushEvery (0: 2 s) and HandshakeTimeout (0: 15 s), the time a
	// socket has to authenticate: explorers sign the challenge with their
	// ephemeral key at once, so a socket that takes longer is not one.
	FlushEvery, HandshakeTimeout time.Duration
	// Limits bound sockets and heartbeats (zero: DefaultLimits).
	Limits Limits
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Limits bound what unauthenticated sockets and explorers may cost.
type Limits struct {
	// PendingHandshakes bounds the sockets not yet authenticated, in all
	// and from one IP address; past them a new socket gets 503.
	PendingHandshakes, PendingPerIP int
	// HeartbeatsPerSecond and HeartbeatBurst bound one explorer's
	// heartbeats (explorers send one every 1–3 s); more are dropped, and
	// past DropBurst drops (refilled at DropsPerSecond) the socket closes.
	HeartbeatsPerSecond float64
	HeartbeatBurst      int
	DropsPerSecond      float64
	DropBurst           int
}

// DefaultLimits of the archipelago.
var DefaultLimits = Limits{
	PendingHandshakes: 1024, PendingPerIP: 256,
	HeartbeatsPerSecond: 5, HeartbeatBurst: 20,
	DropsPerSecond: 5, DropBurst: 100,
}

// orDefault is DefaultLimits for the zero Limits (to change one field,
// start from DefaultLimits).
func (l Limits) orDefault() Limits {
	if l == (Limits{}) {
		return DefaultLimits
	}
	return l
}

// Service is the archipelago endpoint and island engine.
type Service struct {
	cfg     Config
	log     *slog.Logger
	upgrade websocket.Upgrader
	guard   *guard.Guard
	flushed atomic.Int64 // unix ns of Run's last flush; 0 when not running

	pendingMu sync.Mutex
	pending   int            // sockets not yet authenticated
	pendingIP map[string]int // of them, by remote IP

	connsMu  sync.Mutex
	conns    map[*websocket.Conn]struct{} // every open socket, for shutdown
	closing  bool
	handlers sync.WaitGroup

	mu       sync.Mutex
	engine   *islands.Engine
	sessions map[string]*session // by lower-cased address
	parcels  map[string][2]int

	metrics *metrics
}

// New builds the service; Run flushes islands until its context ends.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Params == (islands.Params{}) {
		cfg.Params = islands.DefaultParams
	}
	if cfg.FlushEvery <= 0 {
		cfg.FlushEvery = 2 * time.Second
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = 15 * time.Second
	}
	cfg.Limits = cfg.Limits.orDefault()
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{
		cfg: cfg,
		log: cfg.Logger.With("component", "archipelago"),
		upgrade: websocket.Upgrader{
			Subprotocols:    []string{"archipelago"},
			CheckOrigin:     func(*http.Request) bool { return true },
			ReadBufferSize:  4096,
			WriteBufferSize: 4096,
		},
		guard:     guard.New("archipelago", cfg.Logger, cfg.Metrics),
		pendingIP: map[string]int{},
		conns:     map[*websocket.Conn]struct{}{},
		engine:    islands.New(cfg.Params),
		sessions:  map[string]*session{},
		parcels:   map[string][2]int{},
		metrics:   newMetrics(cfg.Metrics),
	}
	// Healthy from the start: Run, in a goroutine of its own, may not have
	// flushed yet when the first /about is asked.
	s.flushed.Store(time.Now().UnixNano())
	return s
}

// Routes registers /archipelago/ws.
func (s *Service) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /archipelago/ws", s.serveWS)
}

// session is one connected, authenticated explorer.
type session struct {
	address string
	base    string
	conn    *websocket.Conn
	send    chan []byte
	done    chan struct{}
	once    sync.Once
}

const sendQueue = 256

func (ss *session) close(code int, reason string) {
	ss.once.Do(func() {
		deadline := time.Now().Add(time.Second)
		ss.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), deadline)
		close(ss.done)
		ss.conn.Close()
	})
}

// enqueue sends a packet without blocking; a peer that cannot keep up is
// disconnected rather than allowed to stall everyone.
func (ss *session) enqueue(p *pb.ServerPacket) {
	b, err := proto.Marshal(p)
	if err != nil {
		return
	}
	select {
	case ss.send <- b:
	case <-ss.done:
	default:
		go ss.close(websocket.CloseTryAgainLater, "too slow")
	}
}

func (ss *session) writer() {
	for {
		select {
		case b := <-ss.send:
			ss.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := ss.conn.WriteMessage(websocket.BinaryMessage, b); err != nil {
				ss.close(websocket.CloseAbnormalClosure, "write failed")
				return
			}
		case <-ss.done:
			return
		}
	}
}

func (s *Service) serveWS(w http.ResponseWriter, r *http.Request) {
	ip := remoteIP(r)
	if !s.admitPending(ip) {
		s.metrics.handshakes.WithLabelValues("refused").Inc()
		w.Header().Set("Retry-After", "5")
		httpx.Error(w, http.StatusServiceUnavailable, "Too many connections are authenticating; try again in a few seconds.")
		return
	}
	pending := true
	defer func() {
		if pending {
			s.donePending(ip)
		}
	}()
	conn, err := s.upgrade.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered
	}
	if !s.track(conn) {
		conn.Close() // shutting down
		return
	}
	defer s.untrack(conn)
	conn.SetReadLimit(64 << 10)
	base := rtc.WSBase(r, s.cfg.PublicURL)
	s.metrics.connections.Inc()
	defer s.metrics.connections.Dec()
	ss, err := s.handshake(r.Context(), conn, base)
	s.donePending(ip)
	pending = false
	if err != nil {
		s.metrics.handshakes.WithLabelValues("failed").Inc()
		s.log.Debug("handshake failed", "remote", r.RemoteAddr, "err", err)
		deadline := time.Now().Add(time.Second)
		conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.ClosePolicyViolation, truncate(err.Error(), 120)), deadline)
		conn.Close()
		return
	}
	s.metrics.handshakes.WithLabelValues("ok").Inc()
	s.guard.Go("session writer", ss.writer, "address", ss.address)
	s.readHeartbeats(ss)
}

// admitPending counts a socket about to authenticate, within the limits.
func (s *Service) admitPending(ip string) bool {
	s.pendingMu.Lock()
	defer s.pendingMu.Unlock()
	l := s.cfg.Limits
	if s.pending >= l.PendingHandshakes {
		s.guard.Hit("pending_handshakes")
		return false
	}
	if s.pendingIP[ip] >= l.PendingPerIP {
		s.guard.Hit("pending_handshakes_per_ip")
		return false
	}
	s.pending++
	s.pendingIP[ip]++
	return true
}

func (s *Service) donePending(ip string) {
	s.pendingMu.Lock()
	defer s.pendingMu.Unlock()
	s.pending--
	if s.pendingIP[ip]--; s.pendingIP[ip] <= 0 {
		delete(s.pendingIP, ip)
	}
}

// remoteIP is the address a request came from (the proxy's, behind one:
// a proxy in front does its own limiting).
func remoteIP(r *http.Request) string { return httpx.ClientIP(r) }

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// readClient reads one ClientPacket within the deadline.
func readClient(conn *websocket.Conn, deadline time.Time) (*pb.ClientPacket, error) {
	conn.SetReadDeadline(deadline)
	typ, data, err := conn.ReadMessage()
	if err != nil {
		return nil, err
	}
	if typ != websocket.BinaryMessage {
		return nil, errors.New("expected a binary protobuf frame")
	}
	var p pb.ClientPacket
	if err := proto.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("malformed packet: %w", err)
	}
	return &p, nil
}

func (s *Service) handshake(ctx context.Context, conn *websocket.Conn, base string) (*session, error) {
	deadline := time.Now().Add(s.cfg.HandshakeTimeout)
	p, err := readClient(conn, deadline)
	if err != nil {
		return nil, fmt.Errorf("challenge request: %w", err)
	}
	req := p.GetChallengeRequest()
	if req == nil {
		return nil, errors.New("expected challenge_request")
	}
	address := strings.ToLower(req.Address)
	if !authchain.IsAddress(address) {
		return nil, fmt.Errorf("%q is not an Ethereum address", req.Address)
	}
	nonce := make([]byte, 16)
	rand.Read(nonce)
	challenge := "dcl-" + hex.EncodeToString(nonce)
	s.mu.Lock()
	_, already := s.sessions[address]
	s.mu.Unlock()
	out, _ := proto.Marshal(&pb.ServerPacket{Message: &pb.ServerPacket_ChallengeResponse{ChallengeResponse: &pb.ChallengeResponseMessage{ChallengeToSign: challenge, AlreadyConnected: already}}})
	conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := conn.WriteMessage(websocket.BinaryMessage, out); err != nil {
		return nil, err
	}
	p, err = readClient(conn, deadline)
	if err != nil {
		return nil, fmt.Errorf("signed challenge: %w", err)
	}
	signed := p.GetSignedChallenge()
	if signed == nil {
		return nil, errors.New("expected signed_challenge")
	}
	var chain authchain.Chain
	if err := json.Unmarshal([]byte(signed.AuthChainJson), &chain); err != nil {
		return nil, errors.New("auth_chain_json is not a JSON auth chain")
	}
	signer, err := s.cfg.Verifier.Verify(ctx, chain, challenge, s.cfg.Now())
	if err != nil {
		return nil, err
	}
	if signer != address {
		return nil, fmt.Errorf("the challenge is signed by %s, not by %s", signer, address)
	}
	if s.cfg.Banned != nil && s.cfg.Banned(address) {
		return nil, fmt.Errorf("%s is banned", address)
	}
	ss := &session{address: address, base: base, conn: conn, send: make(chan []byte, sendQueue), done: make(chan struct{})}
	s.mu.Lock()
	old := s.sessions[address]
	s.sessions[address] = ss
	s.mu.Unlock()
	if old != nil {
		old.enqueue(&pb.ServerPacket{Message: &pb.ServerPacket_Kicked{Kicked: &pb.KickedMessage{Reason: pb.KickedReason_KR_NEW_SESSION}}})
		time.AfterFunc(200*time.Millisecond, func() { // let the kick message go out
			old.close(websocket.CloseNormalClosure, "another session connected")
		})
	}
	ss.enqueue(&pb.ServerPacket{Message: &pb.ServerPacket_Welcome{Welcome: &pb.WelcomeMessage{PeerId: address}}})
	if s.cfg.Joined != nil {
		s.cfg.Joined(address)
	}
	return ss, nil
}

// readHeartbeats feeds positions to the engine until the socket closes.
func (s *Service) readHeartbeats(ss *session) {
	defer func() {
		ss.close(websocket.CloseNormalClosure, "")
		s.mu.Lock()
		last := s.sessions[ss.address] == ss
		if last {
			delete(s.sessions, ss.address)
			s.engine.Remove(ss.address)
		}
		s.mu.Unlock()
		if last && s.cfg.Left != nil {
			s.cfg.Left(ss.address)
		}
	}()
	l := s.cfg.Limits
	beats := rate.NewLimiter(rate.Limit(l.HeartbeatsPerSecond), l.HeartbeatBurst)
	var trip trip
	drops := rate.NewLimiter(rate.Limit(l.DropsPerSecond), l.DropBurst)
	for {
		p, err := readClient(ss.conn, time.Now().Add(s.cfg.Params.ExpireAfter))
		if err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) && !errors.Is(err, net.ErrClosed) {
				ss.close(websocket.CloseUnsupportedData, truncate(err.Error(), 120))
			}
			return
		}
		hb := p.GetHeartbeat()
		if hb == nil || hb.Position == nil {
			ss.close(websocket.CloseUnsupportedData, "expected heartbeat with a position")
			return
		}
		pos := islands.Position{X: float64(hb.Position.X), Y: float64(hb.Position.Y), Z: float64(hb.Position.Z)}
		if !finite(pos.X) || !finite(pos.Y) || !finite(pos.Z) {
			ss.close(websocket.CloseUnsupportedData, "position is not finite")
			return
		}
		if !beats.Allow() {
			s.metrics.heartbeatsDropped.Inc()
			s.guard.Hit("heartbeats")
			if !drops.Allow() {
				s.guard.Hit("heartbeat_flood")
				ss.close(websocket.ClosePolicyViolation, "too many heartbeats")
				return
			}
			continue
		}
		trip.move(s, ss.address, pos)
		parcel := [2]int{int(math.Floor(pos.X / 16)), int(math.Floor(pos.Z / 16))}
		s.mu.Lock()
		if s.sessions[ss.address] != ss {
			s.mu.Unlock()
			return
		}
		s.engine.Heartbeat(ss.address, pos, hb.GetDesiredRoom(), s.cfg.Now())
		prev, had := s.parcels[ss.address]
		s.parcels[ss.address] = parcel
		s.mu.Unlock()
		s.metrics.heartbeats.Inc()
		if (!had || prev != parcel) && s.cfg.Moved != nil {
			s.cfg.Moved(ss.address, prev, parcel, !had)
		}
	}
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// What a session's heartbeats add up to, and how often it is told.
const (
	WalkReport  = 100.0 // metres walked between walked-distance reports
	ClimbReport = 100.0 // metres of height gained between reports
	teleport    = 30.0  // a step longer than this between two heartbeats
)

// trip follows one session's movement.
type trip struct {
	last            islands.Position
	started         bool
	walked, climbed float64 // since the last walk report; in all
	climbReported   float64
}

func (t *trip) move(s *Service, address string, pos islands.Position) {
	if !t.started {
		t.last, t.started = pos, true
		return
	}
	dx, dy, dz := pos.X-t.last.X, pos.Y-t.last.Y, pos.Z-t.last.Z
	t.last = pos
	if step := math.Hypot(dx, dz); step <= teleport && math.Abs(dy) <= teleport {
		t.walked += step
		if dy > 0 {
			t.climbed += dy
		}
	}
	if t.walked >= WalkReport && s.cfg.Walked != nil {
		s.cfg.Walked(address, t.walked)
		t.walked = 0
	}
	if t.climbed-t.climbReported >= ClimbReport && s.cfg.Climbed != nil {
		t.climbReported = t.climbed
		s.cfg.Climbed(address, t.climbed)
	}
}

// Run flushes the islands every FlushEvery until ctx ends.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.FlushEvery)
	defer t.Stop()
	s.flushed.Store(time.Now().UnixNano())
	defer s.flushed.Store(0)
	for {
		select {
		case <-ctx.Done():
			s.shutdown()
			return
		case <-t.C:
			s.Flush()
			s.flushed.Store(time.Now().UnixNano())
		}
	}
}

// Healthy reports whether islands are being computed: the last flush is
// recent (and Run has not ended).
func (s *Service) Healthy() bool {
	at := s.flushed.Load()
	return at != 0 && time.Since(time.Unix(0, at)) < 3*s.cfg.FlushEvery+time.Second
}

// track counts a socket for shutdown; false once shutting down.
func (s *Service) track(c *websocket.Conn) bool {
	s.connsMu.Lock()
	defer s.connsMu.Unlock()
	if s.closing {
		return false
	}
	s.conns[c] = struct{}{}
	s.handlers.Add(1)
	return true
}

func (s *Service) untrack(c *websocket.Conn) {
	s.connsMu.Lock()
	delete(s.conns, c)
	s.connsMu.Unlock()
	s.handlers.Done()
}

// shutdown says goodbye to every explorer at once (each close waits at
// most a second for its frame to go), closes the sockets still
// authenticating, and waits for their handlers.
func (s *Service) shutdown() {
	s.connsMu.Lock()
	s.closing = true
	conns := make([]*websocket.Conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.connsMu.Unlock()
	s.mu.Lock()
	sessions := make([]*session, 0, len(s.sessions))
	for _, ss := range s.sessions {
		sessions = append(sessions, ss)
	}
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, ss := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ss.close(websocket.CloseGoingAway, "shutting down")
		}()
	}
	wg.Wait()
	for _, c := range conns {
		c.Close()
	}
	s.handlers.Wait()
}

// Flush recomputes the islands and tells every affected peer.
func (s *Service) Flush() {
	start := time.Now()
	s.mu.Lock()
	res := s.engine.Flush(s.cfg.Now())
	var left []string
	for _, id := range res.Expired {
		if ss := s.sessions[id]; ss != nil {
			delete(s.sessions, id)
			left = append(left, id)
			go ss.close(websocket.CloseNormalClosure, "no heartbeat")
		}
		delete(s.parcels, id)
	}
	for _, l := range res.Left {
		for member := range s.engine.Members(l.Island) {
			if ss := s.sessions[member]; ss != nil {
				ss.enqueue(&pb.ServerPacket{Message: &pb.ServerPacket_LeftIsland{LeftIsland: &pb.LeftIslandMessage{IslandId: l.Island, PeerId: l.PeerID}}})
			}
		}
	}
	for _, c := range res.Changes {
		ss := s.sessions[c.PeerID]
		members := s.engine.Members(c.Island)
		for member := range members {
			if member == c.PeerID {
				continue
			}
			if other := s.sessions[member]; other != nil {
				other.enqueue(&pb.ServerPacket{Message: &pb.ServerPacket_JoinIsland{JoinIsland: &pb.JoinIslandMessage{IslandId: c.Island, PeerId: c.PeerID}}})
			}
		}
		if ss == nil {
			continue
		}
		connStr := "offline:offline"
		if s.cfg.ConnStr != nil {
			if cs, err := s.cfg.ConnStr(ss.base, c.Island, c.PeerID); err == nil {
				connStr = cs
			} else {
				s.log.Error("connection string", "island", c.Island, "err", err)
			}
		}
		peers := make(map[string]*commonpb.Position, len(members))
		for id, p := range members {
			if id != c.PeerID {
				peers[id] = &commonpb.Position{X: float32(p.X), Y: float32(p.Y), Z: float32(p.Z)}
			}
		}
		msg := &pb.IslandChangedMessage{IslandId: c.Island, ConnStr: connStr, Peers: peers}
		if c.FromIsland != "" {
			msg.FromIslandId = &c.FromIsland
		}
		ss.enqueue(&pb.ServerPacket{Message: &pb.ServerPacket_IslandChanged{IslandChanged: msg}})
	}
	n := len(s.engine.Islands())
	peers := len(s.sessions)
	s.mu.Unlock()
	if s.cfg.Left != nil {
		for _, id := range left {
			s.cfg.Left(id)
		}
	}
	s.metrics.flush.Observe(time.Since(start).Seconds())
	s.metrics.islands.Set(float64(n))
	s.metrics.peers.Set(float64(peers))
}

// UsersCount is the number of connected explorers.
func (s *Service) UsersCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}
