package authserver

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/store/guard"
)

// This file speaks Engine.IO v4 (the transport: a handshake, heartbeats,
// WebSocket or HTTP long-polling) and Socket.IO v5 (namespaces, events and
// acknowledgements) for the clients of the auth server: socket.io-client 4
// (the auth dapp) and SocketIOClient for .NET (unity-explorer). Only what
// they use is spoken:
//
//   - transports: "websocket" (a WebSocket from the first request) and
//     "polling". A polling session is offered no upgrade ("upgrades": []),
//     so a client that starts polling keeps polling;
//   - packets: text only. Binary events and attachments are refused
//     (the session is closed);
//   - namespaces: the configured ones; a CONNECT to another is answered
//     with CONNECT_ERROR {"message":"Invalid namespace"};
//   - the server never asks the client for an acknowledgement.

// Engine.IO packet types (text form).
const (
	eioOpen    = '0'
	eioClose   = '1'
	eioPing    = '2'
	eioPong    = '3'
	eioMessage = '4'
	eioUpgrade = '5'
	eioNoop    = '6'
)

// Socket.IO packet types.
const (
	sioConnect = iota
	sioDisconnect
	sioEvent
	sioAck
	sioConnectError
	sioBinaryEvent
	sioBinaryAck
)

// Engine.IO error codes of a refused HTTP request ({"code","message"}).
const (
	eioUnknownTransport = 0
	eioUnknownSID       = 1
	eioBadRequest       = 3
	eioForbidden        = 4
	eioUnsupported      = 5
)

const (
	recordSeparator = "\x1e"
	sendQueue       = 64
	maxNamespace    = 64
	writeWait       = 10 * time.Second
)

type sioConfig struct {
	PingInterval, PingTimeout time.Duration
	// MaxPayload bounds one packet (WebSocket frame) and one polling body.
	MaxPayload int
	// MaxSessions and MaxSessionsPerIP bound the Engine.IO sessions.
	MaxSessions, MaxSessionsPerIP int
	Namespaces                    []string
	ClientIP                      func(*http.Request) string
}

// eventHandler answers one event of a connected socket: the value returned
// is the acknowledgement's only argument (sent when the client asked for
// one). data is the event's first argument (nil when there is none).
type eventHandler func(ctx context.Context, sock *nsSocket, event string, data json.RawMessage) any

// sioServer is the Engine.IO/Socket.IO endpoint, an http.Handler.
type sioServer struct {
	cfg      sioConfig
	log      *slog.Logger
	guard    *guard.Guard
	upgrader websocket.Upgrader
	handle   eventHandler

	ctx    context.Context // cancelled by closeAll: handlers' work ends
	cancel context.CancelFunc

	mu       sync.Mutex
	closed   bool
	sessions map[string]*session
	perIP    map[string]int
	sockets  map[string]*nsSocket // by socket id, every namespace

	sessionsGauge prometheus.Gauge
	packets       *prometheus.CounterVec
}

func newSIOServer(cfg sioConfig, log *slog.Logger, g *guard.Guard, handle eventHandler) *sioServer {
	s := &sioServer{
		cfg: cfg, log: log, guard: g, handle: handle,
		upgrader: websocket.Upgrader{
			CheckOrigin:     func(*http.Request) bool { return true }, // CORS is the node's: any origin
			ReadBufferSize:  4096,
			WriteBufferSize: 4096,
		},
		sessions: map[string]*session{}, perIP: map[string]int{}, sockets: map[string]*nsSocket{},
		sessionsGauge: prometheus.NewGauge(prometheus.GaugeOpts{Name: "catalyst_authserver_socketio_sessions",
			Help: "Open Socket.IO (Engine.IO) sessions of the auth server."}),
		packets: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_authserver_socketio_packets_total",
			Help: "Socket.IO packets the auth server received, by kind (connect, event, disconnect, invalid, ...)."}, []string{"kind"}),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// open lets sessions in again (after closeAll).
func (s *sioServer) open() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		s.closed = false
		s.ctx, s.cancel = context.WithCancel(context.Background())
	}
}

// closeAll ends every session and refuses new ones until open.
func (s *sioServer) closeAll() {
	s.mu.Lock()
	s.closed = true
	s.cancel()
	all := make([]*session, 0, len(s.sessions))
	for _, ss := range s.sessions {
		all = append(all, ss)
	}
	s.mu.Unlock()
	for _, ss := range all {
		ss.close("server shutting down")
	}
}

// socket finds a connected socket by id.
func (s *sioServer) socket(id string) *nsSocket {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sockets[id]
}

func (s *sioServer) clientIP(r *http.Request) string {
	if s.cfg.ClientIP != nil {
		return s.cfg.ClientIP(r)
	}
	return remoteIP(r)
}

func randomID() string {
	var b [15]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func engineError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]any{"code": code, "message": msg})
	w.Write(b)
}

// ServeHTTP is the Engine.IO endpoint: GET (handshake, poll, WebSocket)
// and POST (polling data) with ?EIO=4&transport=…[&sid=…].
func (s *sioServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("EIO") != "4" {
		engineError(w, http.StatusBadRequest, eioUnsupported, "Unsupported protocol version")
		return
	}
	sid := q.Get("sid")
	switch q.Get("transport") {
	case "websocket":
		if sid != "" || r.Method != http.MethodGet || !websocket.IsWebSocketUpgrade(r) {
			// No session is offered an upgrade: a WebSocket starts its own.
			engineError(w, http.StatusBadRequest, eioBadRequest, "Bad request")
			return
		}
		s.serveWebSocket(w, r)
	case "polling":
		if q.Has("j") {
			engineError(w, http.StatusBadRequest, eioBadRequest, "Bad request") // JSONP is not served
			return
		}
		if sid == "" {
			if r.Method != http.MethodGet {
				engineError(w, http.StatusBadRequest, eioBadRequest, "Bad handshake method")
				return
			}
			s.pollingHandshake(w, r)
			return
		}
		s.mu.Lock()
		ss := s.sessions[sid]
		s.mu.Unlock()
		if ss == nil {
			engineError(w, http.StatusBadRequest, eioUnknownSID, "Session ID unknown")
			return
		}
		if ss.ws != nil {
			engineError(w, http.StatusBadRequest, eioBadRequest, "Bad request")
			return
		}
		switch r.Method {
		case http.MethodGet:
			ss.poll(w, r)
		case http.MethodPost:
			ss.post(w, r)
		default:
			engineError(w, http.StatusBadRequest, eioBadRequest, "Bad request")
		}
	default:
		engineError(w, http.StatusBadRequest, eioUnknownTransport, "Transport unknown")
	}
}

// admit makes a session for ip, within the bounds.
func (s *sioServer) admit(ip string, ws *websocket.Conn) (*session, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return nil, http.StatusServiceUnavailable
	case len(s.sessions) >= s.cfg.MaxSessions:
		s.guard.Hit("socketio_sessions")
		return nil, http.StatusServiceUnavailable
	case s.perIP[ip] >= s.cfg.MaxSessionsPerIP:
		s.guard.Hit("socketio_sessions_per_ip")
		return nil, http.StatusTooManyRequests
	}
	ss := &session{
		srv: s, id: randomID(), ip: ip, ws: ws,
		out: make(chan string, sendQueue), done: make(chan struct{}), pong: make(chan struct{}, 1),
		nsps: map[string]*nsSocket{},
	}
	s.sessions[ss.id] = ss
	s.perIP[ip]++
	s.sessionsGauge.Inc()
	return ss, 0
}

func (s *sioServer) openPacket(ss *session) string {
	b, _ := json.Marshal(map[string]any{
		"sid": ss.id, "upgrades": []string{}, "pingInterval": s.cfg.PingInterval.Milliseconds(),
		"pingTimeout": s.cfg.PingTimeout.Milliseconds(), "maxPayload": s.cfg.MaxPayload,
	})
	return string(eioOpen) + string(b)
}

func (s *sioServer) pollingHandshake(w http.ResponseWriter, r *http.Request) {
	ss, status := s.admit(s.clientIP(r), nil)
	if ss == nil {
		w.Header().Set("Retry-After", "5")
		engineError(w, status, eioForbidden, "Too many connections")
		return
	}
	s.guard.Go("socket.io heartbeat", ss.heartbeat, "remote", ss.ip)
	writeText(w, s.openPacket(ss))
}

func (s *sioServer) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	ip := s.clientIP(r)
	// Refuse before upgrading when full (the answer is plain HTTP then).
	s.mu.Lock()
	refused := s.closed || len(s.sessions) >= s.cfg.MaxSessions || s.perIP[ip] >= s.cfg.MaxSessionsPerIP
	s.mu.Unlock()
	if refused {
		s.guard.Hit("socketio_sessions")
		w.Header().Set("Retry-After", "5")
		engineError(w, http.StatusServiceUnavailable, eioForbidden, "Too many connections")
		return
	}
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered
	}
	ss, _ := s.admit(ip, conn)
	if ss == nil {
		conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "too many connections"), time.Now().Add(time.Second))
		conn.Close()
		return
	}
	conn.SetReadLimit(int64(s.cfg.MaxPayload))
	ss.enqueue(s.openPacket(ss))
	s.guard.Go("socket.io writer", ss.writer, "remote", ip)
	s.guard.Go("socket.io heartbeat", ss.heartbeat, "remote", ip)
	defer ss.close("transport closed")
	for {
		// A client answers every ping within PingTimeout; silence past
		// one interval and a timeout ends the session.
		conn.SetReadDeadline(time.Now().Add(s.cfg.PingInterval + s.cfg.PingTimeout))
		typ, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if typ != websocket.TextMessage {
			s.packets.WithLabelValues("binary").Inc()
			return // binary payloads are not spoken
		}
		if !ss.handlePacket(string(data)) {
			return
		}
	}
}

func writeText(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, body)
}

// session is one Engine.IO session (one client connection) with its
// namespace sockets.
type session struct {
	srv *sioServer
	id  string
	ip  string
	ws  *websocket.Conn // nil: polling

	out  chan string // encoded engine packets waiting to be sent
	done chan struct{}
	once sync.Once
	pong chan struct{}

	polling atomic.Bool // a GET is waiting
	posting sync.Mutex  // one POST at a time
	carry   string      // a packet a full poll answer left for the next (poll side only)

	mu   sync.Mutex
	nsps map[string]*nsSocket
}

// nsSocket is a session's connection to one namespace: the "socket" a
// request remembers and an outcome is emitted to.
type nsSocket struct {
	sess *session
	nsp  string
	id   string
}

// IP is the client address of the socket's session.
func (s *nsSocket) IP() string { return s.sess.ip }

// emit sends an event to the socket; false if it could not be queued.
func (s *nsSocket) emit(event string, v any) bool {
	args, err := json.Marshal([]any{event, v})
	if err != nil {
		return false
	}
	return s.sess.enqueue(string(eioMessage) + encodeSIO(sioEvent, s.nsp, -1, args))
}

// enqueue queues an engine packet without blocking; a client that cannot
// keep up is disconnected rather than buffered without end.
func (ss *session) enqueue(pkt string) bool {
	select {
	case <-ss.done:
		return false
	default:
	}
	select {
	case ss.out <- pkt:
		return true
	case <-ss.done:
		return false
	default:
		ss.srv.guard.Hit("socketio_send_queue")
		go ss.close("too slow")
		return false
	}
}

func (ss *session) close(reason string) {
	ss.once.Do(func() {
		close(ss.done)
		s := ss.srv
		s.mu.Lock()
		delete(s.sessions, ss.id)
		if s.perIP[ss.ip]--; s.perIP[ss.ip] <= 0 {
			delete(s.perIP, ss.ip)
		}
		ss.mu.Lock()
		for _, sock := range ss.nsps {
			delete(s.sockets, sock.id)
		}
		ss.nsps = map[string]*nsSocket{}
		ss.mu.Unlock()
		s.mu.Unlock()
		s.sessionsGauge.Dec()
		if ss.ws != nil {
			ss.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, truncate(reason, 100)), time.Now().Add(time.Second))
			ss.ws.Close()
		}
		s.log.Debug("socket.io session closed", "sid", ss.id, "reason", reason)
	})
}

// writer sends a WebSocket session's queued packets.
func (ss *session) writer() {
	for {
		select {
		case pkt := <-ss.out:
			ss.ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := ss.ws.WriteMessage(websocket.TextMessage, []byte(pkt)); err != nil {
				ss.close("write failed")
				return
			}
		case <-ss.done:
			return
		}
	}
}

// heartbeat pings every PingInterval and ends a session whose client does
// not answer within PingTimeout.
func (ss *session) heartbeat() {
	t := time.NewTimer(ss.srv.cfg.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-ss.done:
			return
		case <-t.C:
		}
		select { // a pong that came unasked does not count
		case <-ss.pong:
		default:
		}
		if !ss.enqueue(string(eioPing)) {
			return
		}
		t.Reset(ss.srv.cfg.PingTimeout)
		select {
		case <-ss.done:
			return
		case <-ss.pong:
		case <-t.C:
			ss.close("ping timeout")
			return
		}
		if !t.Stop() {
			select {
			case <-t.C:
			default:
			}
		}
		t.Reset(ss.srv.cfg.PingInterval)
	}
}

// poll answers a polling GET with the queued packets, waiting for one.
func (ss *session) poll(w http.ResponseWriter, r *http.Request) {
	if !ss.polling.CompareAndSwap(false, true) {
		ss.close("overlapping poll")
		engineError(w, http.StatusBadRequest, eioBadRequest, "Bad request")
		return
	}
	defer ss.polling.Store(false)
	var packets []string
	size := 0
	if ss.carry != "" {
		packets, size, ss.carry = append(packets, ss.carry), len(ss.carry), ""
	} else {
		select {
		case pkt := <-ss.out:
			packets, size = append(packets, pkt), len(pkt)
		case <-ss.done:
			writeText(w, string(eioClose))
			return
		case <-r.Context().Done():
			return
		}
	}
	for size < ss.srv.cfg.MaxPayload {
		select {
		case pkt := <-ss.out:
			if size+len(pkt)+1 > ss.srv.cfg.MaxPayload {
				ss.carry = pkt
				size = ss.srv.cfg.MaxPayload
				continue
			}
			packets, size = append(packets, pkt), size+len(pkt)+1
			continue
		default:
		}
		break
	}
	writeText(w, strings.Join(packets, recordSeparator))
}

// post takes a polling POST's packets.
func (ss *session) post(w http.ResponseWriter, r *http.Request) {
	if !ss.posting.TryLock() {
		ss.close("overlapping post")
		engineError(w, http.StatusBadRequest, eioBadRequest, "Bad request")
		return
	}
	defer ss.posting.Unlock()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, int64(ss.srv.cfg.MaxPayload)))
	if err != nil {
		ss.srv.guard.Hit("socketio_payload")
		ss.close("payload too large")
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			engineError(w, http.StatusRequestEntityTooLarge, eioBadRequest, "Payload Too Large")
		} else {
			engineError(w, http.StatusBadRequest, eioBadRequest, "Bad request")
		}
		return
	}
	for _, pkt := range strings.Split(string(body), recordSeparator) {
		if !ss.handlePacket(pkt) {
			ss.close("protocol error")
			break
		}
	}
	w.Header().Set("Content-Type", "text/html")
	io.WriteString(w, "ok")
}

// handlePacket acts on one engine packet; false ends the session.
func (ss *session) handlePacket(pkt string) (keep bool) {
	defer func() {
		if v := recover(); v != nil {
			ss.srv.guard.Report("socket.io packet", v, "remote", ss.ip)
			keep = false
		}
	}()
	if pkt == "" {
		ss.srv.packets.WithLabelValues("invalid").Inc()
		return false
	}
	switch pkt[0] {
	case eioPong:
		select {
		case ss.pong <- struct{}{}:
		default:
		}
		return true
	case eioNoop:
		return true
	case eioClose:
		ss.close("client closed")
		return false
	case eioMessage:
		return ss.handleSIO(pkt[1:])
	default: // ping, upgrade, open: not from a client of a session that offers no upgrade
		ss.srv.packets.WithLabelValues("invalid").Inc()
		return false
	}
}

// sioPacket is a decoded Socket.IO packet.
type sioPacket struct {
	Type int
	Nsp  string
	ID   int64 // -1: no acknowledgement asked
	Data json.RawMessage
}

var errPacket = errors.New("malformed Socket.IO packet")

// decodeSIO reads a Socket.IO v5 text packet:
// <type>[<attachments>-][<nsp>,][<ack id>][<JSON>].
func decodeSIO(s string) (sioPacket, error) {
	p := sioPacket{Nsp: "/", ID: -1}
	if s == "" || s[0] < '0' || s[0] > '6' {
		return p, errPacket
	}
	p.Type = int(s[0] - '0')
	if p.Type == sioBinaryEvent || p.Type == sioBinaryAck {
		return p, errors.New("binary Socket.IO packets are not supported")
	}
	i := 1
	if i < len(s) && s[i] == '/' {
		end := strings.IndexByte(s[i:], ',')
		if end < 0 {
			end = len(s) - i
		}
		p.Nsp = s[i : i+end]
		i += end + 1
		if len(p.Nsp) > maxNamespace {
			return p, errPacket
		}
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > start {
		if i-start > 15 {
			return p, errPacket
		}
		p.ID, _ = strconv.ParseInt(s[start:i], 10, 64)
	}
	if i < len(s) {
		p.Data = json.RawMessage(s[i:])
		if !json.Valid(p.Data) {
			return p, errPacket
		}
	}
	switch p.Type {
	case sioConnect:
		if p.Data != nil && p.Data[0] != '{' {
			return p, errPacket
		}
	case sioDisconnect:
		if p.Data != nil {
			return p, errPacket
		}
	case sioEvent, sioAck:
		if p.Data == nil || p.Data[0] != '[' {
			return p, errPacket
		}
	default: // CONNECT_ERROR comes from servers only
		return p, errPacket
	}
	return p, nil
}

// encodeSIO writes a Socket.IO v5 text packet.
func encodeSIO(typ int, nsp string, id int64, data []byte) string {
	var b strings.Builder
	b.WriteByte(byte('0' + typ))
	if nsp != "/" && nsp != "" {
		b.WriteString(nsp)
		b.WriteByte(',')
	}
	if id >= 0 {
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.Write(data)
	return b.String()
}

// handleSIO acts on one Socket.IO packet; false ends the session.
func (ss *session) handleSIO(raw string) bool {
	s := ss.srv
	p, err := decodeSIO(raw)
	if err != nil {
		s.packets.WithLabelValues("invalid").Inc()
		return false
	}
	switch p.Type {
	case sioConnect:
		s.packets.WithLabelValues("connect").Inc()
		if !contains(s.cfg.Namespaces, p.Nsp) {
			return ss.enqueue(string(eioMessage) + encodeSIO(sioConnectError, p.Nsp, -1, []byte(`{"message":"Invalid namespace"}`)))
		}
		sock := ss.join(p.Nsp)
		if sock == nil {
			return false
		}
		sid, _ := json.Marshal(map[string]string{"sid": sock.id})
		return ss.enqueue(string(eioMessage) + encodeSIO(sioConnect, p.Nsp, -1, sid))
	case sioDisconnect:
		s.packets.WithLabelValues("disconnect").Inc()
		ss.leave(p.Nsp)
		return true
	case sioAck:
		s.packets.WithLabelValues("ack").Inc()
		return true // the server asks for none
	}
	// An event.
	ss.mu.Lock()
	sock := ss.nsps[p.Nsp]
	ss.mu.Unlock()
	if sock == nil {
		s.packets.WithLabelValues("not_connected").Inc()
		return true // as socket.io: packets for a namespace not joined are dropped
	}
	var args []json.RawMessage
	if err := json.Unmarshal(p.Data, &args); err != nil || len(args) == 0 {
		s.packets.WithLabelValues("invalid").Inc()
		return false
	}
	var event string
	if err := json.Unmarshal(args[0], &event); err != nil || len(args[0]) == 0 || args[0][0] != '"' {
		s.packets.WithLabelValues("invalid").Inc()
		return false
	}
	var data json.RawMessage
	if len(args) > 1 {
		data = args[1]
	}
	s.packets.WithLabelValues("event").Inc()
	ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
	answer := s.handle(ctx, sock, event, data)
	cancel()
	if p.ID < 0 || answer == nil {
		return true // the original's callback is missing: nothing is sent
	}
	b, err := json.Marshal([]any{answer})
	if err != nil {
		return false
	}
	return ss.enqueue(string(eioMessage) + encodeSIO(sioAck, p.Nsp, p.ID, b))
}

// join connects the session to a namespace (again: the same socket).
func (ss *session) join(nsp string) *nsSocket {
	s := ss.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	select {
	case <-ss.done:
		return nil
	default:
	}
	if sock := ss.nsps[nsp]; sock != nil {
		return sock
	}
	sock := &nsSocket{sess: ss, nsp: nsp, id: randomID()}
	ss.nsps[nsp] = sock
	s.sockets[sock.id] = sock
	return sock
}

func (ss *session) leave(nsp string) {
	s := ss.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if sock := ss.nsps[nsp]; sock != nil {
		delete(ss.nsps, nsp)
		delete(s.sockets, sock.id)
	}
}
