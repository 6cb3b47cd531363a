package rtc

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/livekit/protocol/livekit"
	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/p2p/ports"
	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store/guard"
)

// Version is the LiveKit server version the SFU reports; clients gate
// features on it, and everything they gate on at this version is served.
const Version = "1.8.4"

// Config configures the SFU.
type Config struct {
	Keys Keys
	// UDPPort is the one UDP port every peer connection's ICE uses
	// (0: a free one).
	UDPPort int
	// NAT1To1IPs are public addresses to advertise instead of the host's
	// (a node behind 1:1 NAT).
	NAT1To1IPs []string
	// IPs are the local addresses ICE binds and offers (empty: every
	// interface's).
	IPs []string
	// Banned reports whether an identity may not join (nil: none are).
	Banned func(identity string) bool
	// Events receives room joins and leaves (nil: dropped).
	Events func(identity, room string, joined bool)
	Logger *slog.Logger
	// Metrics registers the SFU's metrics (nil: not registered).
	Metrics prometheus.Registerer
	// RememberedPort is the port bound at an earlier start: with UDPPort
	// 0 it is bound again when free, so the node keeps its address.
	RememberedPort int
	// AnyPortIfTaken: when UDPPort is taken, Start binds the remembered
	// port or a free one instead of failing.
	AnyPortIfTaken bool
	// Limits bound what one participant may send and hold (zero:
	// DefaultLimits).
	Limits Limits
}

// Server is the SFU: LiveKit signaling on /rtc, rooms, and the WebRTC API
// every peer connection is built from.
type Server struct {
	cfg     Config
	log     *slog.Logger
	api     *webrtc.API
	mux     *ice.MultiUDPMuxDefault
	upgrade websocket.Upgrader
	metrics *metrics
	guard   *guard.Guard

	byMember sync.Map // *member → *participant

	mu       sync.Mutex
	rooms    map[string]*Room
	sessions map[string]map[string]int // identity → room → sessions (a rejoin overlaps its predecessor)
	closed   bool
	wg       sync.WaitGroup
}

// New builds the SFU; Start binds its UDP port.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Limits = cfg.Limits.orDefault()
	return &Server{
		cfg: cfg, log: cfg.Logger.With("component", "rtc"), rooms: map[string]*Room{}, sessions: map[string]map[string]int{}, metrics: newMetrics(cfg.Metrics),
		guard:   guard.New("rtc", cfg.Logger, cfg.Metrics),
		upgrade: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }, ReadBufferSize: 4096, WriteBufferSize: 4096},
	}
}

// Start binds the UDP port of ICE (a free one when the configured port is
// taken and Config.AnyPortIfTaken is set) and makes the WebRTC API.
func (s *Server) Start(context.Context) error {
	cfg := s.cfg
	opts := []ice.UDPMuxFromPortOption{ice.UDPMuxFromPortWithNetworks(ice.NetworkTypeUDP4), ice.UDPMuxFromPortWithLoopback()}
	probe := "0.0.0.0"
	if len(cfg.IPs) > 0 {
		probe = cfg.IPs[0]
		opts = append(opts, ice.UDPMuxFromPortWithIPFilter(func(ip net.IP) bool {
			return slices.ContainsFunc(cfg.IPs, func(s string) bool { return net.ParseIP(s).Equal(ip) })
		}))
	}
	port, err := s.choosePort(probe)
	if err != nil {
		return err
	}
	if cfg.UDPPort != 0 && port != cfg.UDPPort {
		s.log.Warn("rtc udp port taken, using another", "configured", cfg.UDPPort, "port", port)
	}
	mux, err := ice.NewMultiUDPMuxFromPort(port, opts...)
	if err != nil {
		return fmt.Errorf("rtc: udp port %d: %w", port, err)
	}
	if len(mux.GetListenAddresses()) == 0 {
		mux.Close()
		return fmt.Errorf("rtc: no interface has the addresses %v", cfg.IPs)
	}

	var se webrtc.SettingEngine
	se.SetICEUDPMux(mux)
	se.SetIncludeLoopbackCandidate(true)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetICETimeouts(10*time.Second, 20*time.Second, 2*time.Second)
	if len(cfg.NAT1To1IPs) > 0 {
		se.SetNAT1To1IPs(cfg.NAT1To1IPs, webrtc.ICECandidateTypeHost)
	}
	var me webrtc.MediaEngine
	if err := me.RegisterCodec(webrtc.RTPCodecParameters{RTPCodecCapability: opus, PayloadType: 111}, webrtc.RTPCodecTypeAudio); err != nil {
		mux.Close()
		return err
	}
	s.mu.Lock()
	s.mux, s.api, s.closed = mux, webrtc.NewAPI(webrtc.WithSettingEngine(se), webrtc.WithMediaEngine(&me)), false
	s.mu.Unlock()
	return nil
}

// choosePort is the UDP port to bind: the configured one; for 0, the
// remembered one when free, else a free one; for a taken configured
// port, the same fallbacks only when AnyPortIfTaken.
func (s *Server) choosePort(ip string) (int, error) {
	cfg := s.cfg
	remembered := ""
	if cfg.RememberedPort != 0 {
		remembered = strconv.Itoa(cfg.RememberedPort)
	}
	candidates := ports.Candidates(ip, strconv.Itoa(cfg.UDPPort), remembered, cfg.AnyPortIfTaken)
	chosen, err := ports.Choose("udp4", candidates...)
	if err != nil {
		return 0, fmt.Errorf("rtc: cannot bind udp port %d: %w", cfg.UDPPort, err)
	}
	_, p, _ := net.SplitHostPort(chosen)
	return strconv.Atoi(p)
}

// UDPPort is the port ICE listens on (after Start).
func (s *Server) UDPPort() int {
	for _, a := range s.UDPAddrs() {
		if u, ok := a.(*net.UDPAddr); ok {
			return u.Port
		}
	}
	return 0
}

// Healthy reports whether the SFU accepts participants (started, not
// closed).
func (s *Server) Healthy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.api != nil && !s.closed
}

// Stop is Close (the node's lifecycle).
func (s *Server) Stop(context.Context) error { return s.Close() }

// opus is the one codec forwarded: explorers publish voice.
var opus = webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1"}

// UDPAddrs are the addresses ICE listens on (after Start).
func (s *Server) UDPAddrs() []net.Addr {
	if s.mux == nil {
		return nil
	}
	return s.mux.GetListenAddresses()
}

// Routes registers the signaling endpoints. Only the v0 protocol (/rtc)
// is spoken: /rtc/v1 answers 404 so livekit-client falls back to it.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /rtc", s.serveSignal)
	mux.HandleFunc("GET /rtc/validate", s.validate)
	mux.HandleFunc("/rtc/v1", httpx.NotFound)
	mux.HandleFunc("/rtc/v1/", httpx.NotFound)
}

// authorize checks the request's access token and returns identity and room.
func (s *Server) authorize(r *http.Request) (identity, room string, status int, err error) {
	token := r.URL.Query().Get("access_token")
	if token == "" {
		token = bearer(r.Header.Get("Authorization"))
	}
	if token == "" {
		return "", "", http.StatusUnauthorized, errors.New("missing access_token")
	}
	grants, err := s.cfg.Keys.Verify(token)
	if err != nil {
		return "", "", http.StatusUnauthorized, err
	}
	if grants.Identity == "" {
		return "", "", http.StatusUnauthorized, errors.New("the token names no identity")
	}
	if s.cfg.Banned != nil && s.cfg.Banned(grants.Identity) {
		return "", "", http.StatusForbidden, fmt.Errorf("%s is banned", grants.Identity)
	}
	return grants.Identity, grants.Video.Room, 0, nil
}

func bearer(h string) string {
	if len(h) > 7 && (h[:7] == "Bearer " || h[:7] == "bearer ") {
		return h[7:]
	}
	return ""
}

// validate is what livekit-client calls after a failed connection to
// learn why: 200 for a token that would be accepted.
func (s *Server) validate(w http.ResponseWriter, r *http.Request) {
	if _, _, status, err := s.authorize(r); err != nil {
		httpx.Error(w, status, err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	w.Write([]byte("success"))
}

func (s *Server) serveSignal(w http.ResponseWriter, r *http.Request) {
	identity, roomName, status, err := s.authorize(r)
	if err != nil {
		s.metrics.joins.WithLabelValues("unauthorized").Inc()
		httpx.Error(w, status, err.Error())
		return
	}
	if !s.admitSession(identity, roomName) {
		s.metrics.joins.WithLabelValues("refused").Inc()
		s.guard.Hit("rooms_per_identity")
		httpx.Error(w, http.StatusTooManyRequests, fmt.Sprintf("%s is in %d rooms already", identity, s.cfg.Limits.RoomsPerIdentity))
		return
	}
	defer s.doneSession(identity, roomName)
	conn, err := s.upgrade.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered
	}
	conn.SetReadLimit(1 << 20)
	if r.URL.Query().Get("reconnect") == "1" {
		// Sessions are not resumed: ask the client for a full rejoin.
		s.metrics.joins.WithLabelValues("resume").Inc()
		writeSignal(conn, &livekit.SignalResponse{Message: &livekit.SignalResponse_Leave{Leave: &livekit.LeaveRequest{
			CanReconnect: true, Reason: livekit.DisconnectReason_STATE_MISMATCH, Action: livekit.LeaveRequest_RECONNECT,
		}}})
		conn.Close()
		return
	}
	s.mu.Lock()
	if s.closed || s.api == nil {
		s.mu.Unlock()
		conn.Close()
		return
	}
	room := s.rooms[roomName]
	if room == nil {
		room = newRoom(roomName, s.metrics, s.guard)
		s.rooms[roomName] = room
		s.metrics.rooms.Set(float64(len(s.rooms)))
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	p, err := s.newParticipant(conn, room, identity, r.URL.Query().Get("auto_subscribe") != "0")
	if err != nil {
		s.metrics.joins.WithLabelValues("failed").Inc()
		s.log.Warn("join failed", "identity", identity, "room", roomName, "err", err)
		writeSignal(conn, &livekit.SignalResponse{Message: &livekit.SignalResponse_Leave{Leave: &livekit.LeaveRequest{
			Reason: livekit.DisconnectReason_JOIN_FAILURE, Action: livekit.LeaveRequest_DISCONNECT,
		}}})
		conn.Close()
		s.dropIfEmpty(room)
		return
	}
	s.metrics.joins.WithLabelValues("ok").Inc()
	s.metrics.participants.Inc()
	if s.cfg.Events != nil {
		s.cfg.Events(identity, roomName, true)
	}
	p.run()
	s.metrics.participants.Dec()
	if s.cfg.Events != nil {
		s.cfg.Events(identity, roomName, false)
	}
	s.dropIfEmpty(room)
}

// admitSession counts a session of identity in room, within
// RoomsPerIdentity distinct rooms.
func (s *Server) admitSession(identity, room string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rooms := s.sessions[identity]
	if rooms[room] == 0 && len(rooms) >= s.cfg.Limits.RoomsPerIdentity {
		return false
	}
	if rooms == nil {
		rooms = map[string]int{}
		s.sessions[identity] = rooms
	}
	rooms[room]++
	return true
}

func (s *Server) doneSession(identity, room string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rooms := s.sessions[identity]
	if rooms[room]--; rooms[room] <= 0 {
		delete(rooms, room)
	}
	if len(rooms) == 0 {
		delete(s.sessions, identity)
	}
}

func (s *Server) dropIfEmpty(room *Room) {
	s.mu.Lock()
	defer s.mu.Unlock()
	room.mu.RLock()
	empty := len(room.members) == 0
	room.mu.RUnlock()
	if empty && s.rooms[room.name] == room {
		delete(s.rooms, room.name)
		s.metrics.rooms.Set(float64(len(s.rooms)))
	}
}

// RoomInfo describes a room for stats.
type RoomInfo struct {
	Name         string   `json:"name"`
	Participants []string `json:"participants"`
}

// Rooms lists the rooms with their participants' identities.
func (s *Server) Rooms() []RoomInfo {
	s.mu.Lock()
	rooms := make([]*Room, 0, len(s.rooms))
	for _, r := range s.rooms {
		rooms = append(rooms, r)
	}
	s.mu.Unlock()
	out := make([]RoomInfo, 0, len(rooms))
	for _, r := range rooms {
		info := RoomInfo{Name: r.name, Participants: []string{}}
		r.mu.RLock()
		for _, m := range r.members {
			info.Participants = append(info.Participants, m.identity)
		}
		r.mu.RUnlock()
		out = append(out, info)
	}
	return out
}

// Close disconnects every participant, waits for them, and frees the port.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	var members []*member
	for _, r := range s.rooms {
		r.mu.RLock()
		for _, m := range r.members {
			members = append(members, m)
		}
		r.mu.RUnlock()
	}
	s.mu.Unlock()
	for _, m := range members {
		if p, ok := s.participantOf(m); ok {
			p.end(livekit.DisconnectReason_SERVER_SHUTDOWN)
		} else {
			m.stop()
		}
	}
	s.wg.Wait()
	if s.mux == nil {
		return nil
	}
	return s.mux.Close()
}

// randomID is n characters of base62.
func randomID(n int) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		v, _ := rand.Int(rand.Reader, max)
		b[i] = alphabet[v.Int64()]
	}
	return string(b)
}
