// Package dashboard is the node's live dashboard: a page at /dashboard/
// (static files embedded in the binary — no build step, no CDN), the
// node's state as JSON at /dashboard/api/state (what `catalyst status`
// prints) and the same state pushed every second as Server-Sent Events at
// /dashboard/api/live. It knows the node only through Config: the parts
// report their state through functions the node wires, and deployments
// reach it through Deployed.
package dashboard

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/p2p"
	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

//go:embed static
var static embed.FS

// Config wires the dashboard to the node.
type Config struct {
	// State fills what the node's parts report (everything but the
	// deployments and the runtime, which the dashboard keeps).
	State func(ctx context.Context) State
	// Store is read for the map (active scenes by parcel) and the disk use.
	Store *store.Store
	// Every is the period of the live stream (0: 1 s).
	Every time.Duration
	// MaxClients bounds live streams at once (0: 32), and MaxPerIP those
	// of one address (0: 4); more get 503.
	MaxClients, MaxPerIP int
	Logger               *slog.Logger
	Metrics              prometheus.Registerer
}

// State is the node now.
type State struct {
	Node        Node                            `json:"node"`
	Health      map[string]bool                 `json:"health"` // content, lambdas, comms, p2p
	Sync        Sync                            `json:"sync"`
	Peers       []p2p.PeerInfo                  `json:"peers"`
	Entities    map[entity.Type]store.TypeCount `json:"entities"`
	Deployments Deployments                     `json:"deployments"`
	Comms       Comms                           `json:"comms"`
	Runtime     Runtime                         `json:"runtime"`
	// Chain is what the node checks on chain and how far its index is
	// (the node's /about chain section).
	Chain any `json:"chain,omitempty"`
}

// Node is who the node is and where it listens.
type Node struct {
	PeerID    string   `json:"peerId"`
	Network   string   `json:"network"`
	RealmName string   `json:"realmName"`
	Version   string   `json:"version"`
	Commit    string   `json:"commit"`
	StartedAt int64    `json:"startedAt"` // unix ms
	DataDir   string   `json:"dataDir"`
	HTTP      string   `json:"http"`
	P2P       []string `json:"p2p"` // full multiaddrs
	RTC       []string `json:"rtc"` // the WebRTC transport's UDP addresses
	EthRPC    bool     `json:"ethRpc"`
}

// Sync is the content synchronization: its state and a catch-up.
type Sync struct {
	State   string  `json:"state"` // Bootstrapping | Syncing
	CatchUp CatchUp `json:"catchUp"`
	// Import is the import from HTTP catalysts (bridge.Progress) and
	// Servers the sync with each (nil: none).
	Import  any `json:"import,omitempty"`
	Servers any `json:"servers,omitempty"`
}

// CatchUp is a catch-up from peers under way.
type CatchUp struct {
	Running       bool    `json:"running"`
	Done          int     `json:"done"`
	Total         int     `json:"total"`
	ReceivedBytes int64   `json:"receivedBytes"`
	PerSecond     float64 `json:"perSecond"`
	ETASeconds    float64 `json:"etaSeconds"` // -1: unknown
}

// Deployments are the latest deployments and how many there were a
// minute.
type Deployments struct {
	// PerMinute counts deployments applied in each of the last 30
	// minutes, oldest first, the current minute last (since start).
	PerMinute []int        `json:"perMinute"`
	Latest    []Deployment `json:"latest"` // newest first
}

// Deployment is one applied deployment.
type Deployment struct {
	EntityID  string      `json:"entityId"`
	Type      entity.Type `json:"type"`
	Pointers  []string    `json:"pointers"`
	Deployer  string      `json:"deployer"`
	Origin    string      `json:"origin"` // local | synced
	AppliedAt int64       `json:"appliedAt"`
}

// Comms is who is connected and where.
type Comms struct {
	Users   int      `json:"users"`
	Islands []Island `json:"islands"`
	People  []Person `json:"people"`
	Rooms   []Room   `json:"rooms"`
}

// Island is an island of the archipelago.
type Island struct {
	ID     string     `json:"id"`
	Peers  int        `json:"peers"`
	Center [3]float64 `json:"center"` // metres
	Radius float64    `json:"radius"`
}

// Person is an explorer on an island.
type Person struct {
	Address string `json:"address"`
	Parcel  [2]int `json:"parcel"`
	Island  string `json:"island"`
}

// Room is a room of the SFU.
type Room struct {
	Name         string   `json:"name"`
	Participants []string `json:"participants"`
}

// Runtime is the process.
type Runtime struct {
	UptimeSeconds float64       `json:"uptimeSeconds"`
	HeapBytes     uint64        `json:"heapBytes"`
	SysBytes      uint64        `json:"sysBytes"`
	Goroutines    int           `json:"goroutines"`
	GCs           uint32        `json:"gcs"`
	Disk          store.DiskUse `json:"disk"`
}

// Service serves the dashboard.
type Service struct {
	cfg     Config
	log     *slog.Logger
	started time.Time
	clients chan struct{}
	streams prometheus.Gauge
	closed  chan struct{} // ends the live streams
	close   sync.Once

	ipMu  sync.Mutex
	perIP map[string]int // live streams by remote address

	// snap is the state of the last tick, shared by every stream (one
	// ReadMemStats a period, however many watch).
	snapMu  sync.Mutex
	snapAt  time.Time
	snapRaw []byte

	mu       sync.Mutex
	minutes  [30]int
	minuteAt int64 // the minute (unix) minutes[len-1] counts
	latest   []Deployment

	diskMu sync.Mutex
	diskAt time.Time
	disk   store.DiskUse

	scenesMu sync.Mutex
	scenesAt time.Time
	scenes   []byte
}

// New builds the dashboard.
func New(cfg Config) *Service {
	if cfg.Every <= 0 {
		cfg.Every = time.Second
	}
	if cfg.MaxClients <= 0 {
		cfg.MaxClients = 32
	}
	if cfg.MaxPerIP <= 0 {
		cfg.MaxPerIP = 4
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Service{
		cfg: cfg, log: cfg.Logger.With("component", "dashboard"), started: time.Now(),
		clients: make(chan struct{}, cfg.MaxClients), closed: make(chan struct{}), perIP: map[string]int{},
		streams: prometheus.NewGauge(prometheus.GaugeOpts{Name: "catalyst_dashboard_streams", Help: "Live dashboard streams open."}),
	}
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(s.streams)
	}
	return s
}

// Routes registers the page, its API, and GET / (a browser is sent to
// the dashboard).
func (s *Service) Routes(mux *http.ServeMux) {
	files, _ := fs.Sub(static, "static")
	mux.Handle("GET /dashboard/", http.StripPrefix("/dashboard/", noCache(http.FileServerFS(files))))
	mux.HandleFunc("GET /dashboard", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/dashboard/", http.StatusFound)
	})
	mux.HandleFunc("GET /dashboard/api/state", func(w http.ResponseWriter, r *http.Request) {
		httpx.JSON(w, http.StatusOK, s.State(r.Context()))
	})
	mux.HandleFunc("GET /dashboard/api/live", s.live)
	mux.HandleFunc("GET /dashboard/api/scenes", s.scenesHandler)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Accept"), "text/html") {
			http.Redirect(w, r, "/dashboard/", http.StatusFound)
			return
		}
		httpx.JSON(w, http.StatusOK, map[string]string{"about": "/about", "dashboard": "/dashboard/", "content": "/content/status", "metrics": "/metrics"})
	})
}

// noCache makes browsers revalidate the page's files: a new binary may
// bring new ones under the same names.
func noCache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		h.ServeHTTP(w, r)
	})
}

// Close ends the live streams (an HTTP server shutting down waits for
// the requests in flight, and a stream never ends by itself).
func (s *Service) Close() { s.close.Do(func() { close(s.closed) }) }

// Deployed records a deployment just applied (the node calls it for
// every one, local or synced), in the current minute.
func (s *Service) Deployed(d Deployment) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance(time.Now().Unix() / 60)
	s.minutes[len(s.minutes)-1]++
	s.latest = append([]Deployment{d}, s.latest[:min(len(s.latest), 9)]...)
}

// advance moves the per-minute window to minute now (unix minutes).
func (s *Service) advance(now int64) {
	shift := now - s.minuteAt
	if s.minuteAt == 0 || shift >= int64(len(s.minutes)) {
		s.minutes, s.minuteAt = [30]int{}, now
		return
	}
	if shift <= 0 {
		return
	}
	n := int(shift)
	copy(s.minutes[:], s.minutes[n:])
	clear(s.minutes[len(s.minutes)-n:])
	s.minuteAt = now
}

// State is the node's state now.
func (s *Service) State(ctx context.Context) State {
	var st State
	if s.cfg.State != nil {
		st = s.cfg.State(ctx)
	}
	s.mu.Lock()
	s.advance(time.Now().Unix() / 60)
	st.Deployments = Deployments{PerMinute: append([]int(nil), s.minutes[:]...), Latest: append([]Deployment{}, s.latest...)}
	s.mu.Unlock()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	st.Runtime = Runtime{
		UptimeSeconds: time.Since(s.started).Seconds(), HeapBytes: ms.HeapAlloc, SysBytes: ms.Sys,
		Goroutines: runtime.NumGoroutine(), GCs: ms.NumGC, Disk: s.diskUse(),
	}
	if st.Peers == nil {
		st.Peers = []p2p.PeerInfo{}
	}
	return st
}

// diskUse is the store's disk use, measured at most every 10 s.
func (s *Service) diskUse() store.DiskUse {
	if s.cfg.Store == nil {
		return store.DiskUse{}
	}
	s.diskMu.Lock()
	defer s.diskMu.Unlock()
	if time.Since(s.diskAt) > 10*time.Second {
		s.disk, s.diskAt = s.cfg.Store.DiskUse(), time.Now()
	}
	return s.disk
}

// live streams the state as Server-Sent Events, one `state` event a
// period, until the client goes or the node stops.
func (s *Service) live(w http.ResponseWriter, r *http.Request) {
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	if !s.admit(ip) {
		w.Header().Set("Retry-After", "10")
		httpx.Error(w, http.StatusServiceUnavailable, "too many dashboard streams; try again later")
		return
	}
	defer s.leave(ip)
	s.streams.Inc()
	defer s.streams.Dec()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, "retry: 2000\n\n")
	t := time.NewTicker(s.cfg.Every)
	defer t.Stop()
	for {
		raw, err := s.snapshot(r.Context())
		if err != nil {
			s.log.Error("dashboard state", "err", err)
			return
		}
		rc.SetWriteDeadline(time.Now().Add(10 * time.Second)) // a client that stops reading is dropped
		if _, err := fmt.Fprintf(w, "event: state\ndata: %s\n\n", raw); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-s.closed:
			return
		case <-t.C:
		}
	}
}

// admit takes a stream slot for ip, if one is left for it.
func (s *Service) admit(ip string) bool {
	select {
	case s.clients <- struct{}{}:
	default:
		return false
	}
	s.ipMu.Lock()
	defer s.ipMu.Unlock()
	if s.perIP[ip] >= s.cfg.MaxPerIP {
		<-s.clients
		return false
	}
	s.perIP[ip]++
	return true
}

func (s *Service) leave(ip string) {
	s.ipMu.Lock()
	if s.perIP[ip]--; s.perIP[ip] <= 0 {
		delete(s.perIP, ip)
	}
	s.ipMu.Unlock()
	<-s.clients
}

// snapshot is the state as JSON, built at most once a period for all
// the streams.
func (s *Service) snapshot(ctx context.Context) ([]byte, error) {
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	if s.snapRaw != nil && time.Since(s.snapAt) < s.cfg.Every/2 {
		return s.snapRaw, nil
	}
	raw, err := json.Marshal(s.State(ctx))
	if err != nil {
		return nil, err
	}
	s.snapRaw, s.snapAt = raw, time.Now()
	return raw, nil
}

// scenesHandler answers the map's data: every parcel with an active
// scene, as [x, y, scene index] triples, and the scenes' ids; computed
// at most every 5 s.
func (s *Service) scenesHandler(w http.ResponseWriter, r *http.Request) {
	s.scenesMu.Lock()
	defer s.scenesMu.Unlock()
	if s.scenes == nil || time.Since(s.scenesAt) > 5*time.Second {
		// Not the request's context: the result serves every tab, and a
		// tab that goes away must not cancel it for the others.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		raw, err := s.readScenes(ctx)
		cancel()
		if err != nil {
			httpx.Internal(w, s.log, r, err)
			return
		}
		s.scenes, s.scenesAt = raw, time.Now()
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(s.scenes)
}

func (s *Service) readScenes(ctx context.Context) ([]byte, error) {
	out := struct {
		Parcels [][3]int `json:"parcels"`
		Scenes  []string `json:"scenes"`
	}{Parcels: [][3]int{}, Scenes: []string{}}
	if s.cfg.Store == nil {
		return json.Marshal(out)
	}
	index := map[string]int{}
	err := s.cfg.Store.ForEachActivePointer(ctx, entity.Scene, func(pointer, id string) error {
		x, y, ok := parcel(pointer)
		if !ok {
			return nil
		}
		i, seen := index[id]
		if !seen {
			i = len(out.Scenes)
			index[id] = i
			out.Scenes = append(out.Scenes, id)
		}
		out.Parcels = append(out.Parcels, [3]int{x, y, i})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

func parcel(pointer string) (x, y int, ok bool) {
	xs, ys, found := strings.Cut(pointer, ",")
	x, err1 := strconv.Atoi(xs)
	y, err2 := strconv.Atoi(ys)
	return x, y, found && err1 == nil && err2 == nil
}
