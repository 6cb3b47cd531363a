package atlas

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// Prefix is where the API is mounted.
const Prefix = "/atlas"

// The mainnet contracts, for the tokens' external URLs.
const (
	MainnetLAND   = "0xf87e31492faf9a91b02ee0deaad50d51d56d5d4d"
	MainnetEstate = "0x959e104e1a4db6317fa58f8295f586e1a978c297"
)

// Config wires the atlas to the node. Zero values are defaults.
type Config struct {
	// Store holds the scenes; Bus tells of new ones (nil: only what is
	// active at Start).
	Store *store.Store
	Bus   *events.Bus
	// Lands lists every LAND's owner and estate from the chain's index;
	// nil (dev mode, no chain): the map knows no owners.
	Lands func(ctx context.Context) ([]Land, error)
	// LandsEvery is how often Lands is read (0: 60 s, atlas-server's
	// REFRESH_INTERVAL); LandsTimeout bounds one read (0: 30 s).
	LandsEvery, LandsTimeout time.Duration
	// LANDContract and EstateContract name the tokens in the parcels' and
	// estates' metadata ("": mainnet's).
	LANDContract, EstateContract string
	// PublicURL is the node's base URL for images ("": each request's).
	PublicURL string
	// MaxRenders bounds the PNGs drawn at once (0: 2); a request waits for
	// a turn while its client does.
	MaxRenders int
	Logger     *slog.Logger
	Metrics    prometheus.Registerer
	Now        func() time.Time
}

// Service is the atlas API.
type Service struct {
	cfg   Config
	log   *slog.Logger
	world *world
	m     *metrics

	ready   atomic.Bool
	renders chan struct{}
	cache   bodyCache
	builds  singleflight.Group

	refreshMu sync.Mutex // one read of the owners at a time, read and applied in order

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

type metrics struct {
	tiles         *prometheus.GaugeVec
	renders       *prometheus.CounterVec
	renderSeconds prometheus.Histogram
	scenes        prometheus.Counter
	refreshes     *prometheus.CounterVec
	refreshTime   prometheus.Histogram
	lands         prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		tiles:         prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "catalyst_atlas_tiles", Help: "Tiles of the atlas map, by type."}, []string{"type"}),
		renders:       prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_atlas_renders_total", Help: "Map PNGs drawn, by result."}, []string{"result"}),
		renderSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "catalyst_atlas_render_seconds", Help: "Time to draw and encode a map PNG.", Buckets: prometheus.ExponentialBuckets(0.002, 2, 12)}),
		scenes:        prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_atlas_scenes_total", Help: "Scene deployments the atlas put on its map."}),
		refreshes:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_atlas_lands_refreshes_total", Help: "Reads of LAND owners from the chain index, by result."}, []string{"result"}),
		refreshTime:   prometheus.NewHistogram(prometheus.HistogramOpts{Name: "catalyst_atlas_lands_refresh_seconds", Help: "Time to read LAND owners from the chain index.", Buckets: prometheus.ExponentialBuckets(0.01, 2, 12)}),
		lands:         prometheus.NewGauge(prometheus.GaugeOpts{Name: "catalyst_atlas_lands", Help: "LANDs with a known owner on the atlas map."}),
	}
	if reg != nil {
		reg.MustRegister(m.tiles, m.renders, m.renderSeconds, m.scenes, m.refreshes, m.refreshTime, m.lands)
	}
	return m
}

// New builds the service and registers its consumer of the bus. The
// static data are embedded, so an error here is a bug of the build.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.LandsEvery <= 0 {
		cfg.LandsEvery = time.Minute
	}
	if cfg.LandsTimeout <= 0 {
		cfg.LandsTimeout = 30 * time.Second
	}
	if cfg.LANDContract == "" {
		cfg.LANDContract = MainnetLAND
	}
	if cfg.EstateContract == "" {
		cfg.EstateContract = MainnetEstate
	}
	if cfg.MaxRenders <= 0 {
		cfg.MaxRenders = 2
	}
	sd, err := loadStatic()
	if err != nil {
		panic(err)
	}
	s := &Service{cfg: cfg, log: cfg.Logger.With("component", "atlas"), world: newWorld(sd, cfg.Now()),
		m: newMetrics(cfg.Metrics), renders: make(chan struct{}, cfg.MaxRenders)}
	s.changed()
	if cfg.Bus != nil {
		cfg.Bus.Consume("atlas", s.onEvent)
	}
	return s
}

// Start puts the store's active scenes on the map and starts reading
// LAND owners from the chain, if there is one.
func (s *Service) Start(ctx context.Context) error {
	if s.cfg.Store != nil {
		if err := s.loadScenes(ctx); err != nil {
			return fmt.Errorf("atlas: load scenes: %w", err)
		}
	}
	s.ready.Store(true)
	if s.cfg.Lands == nil {
		return nil
	}
	loop, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	s.mu.Lock()
	s.cancel, s.done = cancel, done
	s.mu.Unlock()
	go func() {
		defer close(done)
		t := time.NewTicker(s.cfg.LandsEvery)
		defer t.Stop()
		for {
			s.refreshLands(loop)
			select {
			case <-loop.Done():
				return
			case <-t.C:
			}
		}
	}()
	return nil
}

// Stop ends the chain reads and waits for them (at most until ctx ends).
func (s *Service) Stop(ctx context.Context) error {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.cancel, s.done = nil, nil
	s.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// refreshLands reads every owner once, within LandsTimeout.
func (s *Service) refreshLands(ctx context.Context) {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, s.cfg.LandsTimeout)
	defer cancel()
	start := time.Now()
	lands, err := s.cfg.Lands(ctx)
	s.m.refreshTime.Observe(time.Since(start).Seconds())
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			s.m.refreshes.WithLabelValues("error").Inc()
			s.log.Warn("LAND owners not read", "err", err)
		}
		return
	}
	s.m.refreshes.WithLabelValues("ok").Inc()
	s.m.lands.Set(float64(len(lands)))
	if n := s.world.setLands(lands, s.cfg.Now()); n > 0 {
		s.log.Debug("LAND owners changed", "tiles", n)
		s.changed()
	}
}

// RefreshLands reads the LAND owners now (tests and admin tools).
func (s *Service) RefreshLands(ctx context.Context) {
	if s.cfg.Lands != nil {
		s.refreshLands(ctx)
	}
}

// changed updates what follows the map: the tile counts.
func (s *Service) changed() {
	s.world.mu.RLock()
	n := s.world.typeSeen
	s.world.mu.RUnlock()
	for t, c := range n {
		s.m.tiles.WithLabelValues(TileType(t).String()).Set(float64(c))
	}
}

// Routes registers /atlas/….
func (s *Service) Routes(mux *http.ServeMux) {
	h := httpx.Under(mux, Prefix)
	h("GET /{$}", s.root)
	h("GET /v1/tiles", s.tiles(true))
	h("GET /v2/tiles", s.tiles(false))
	h("GET /v2/tiles/info", s.tilesInfo)
	h("GET /v1/map.png", s.mapPNG)
	h("GET /v2/map.png", s.mapPNG)
	h("GET /v1/parcels/{x}/{y}/map.png", s.parcelPNG)
	h("GET /v2/parcels/{x}/{y}/map.png", s.parcelPNG)
	h("GET /v1/estates/{id}/map.png", s.estatePNG)
	h("GET /v2/estates/{id}/map.png", s.estatePNG)
	h("GET /v2/parcels/{x}/{y}", s.parcel)
	h("GET /v2/estates/{id}", s.estate)
	h("GET /v2/districts", s.districts)
	h("GET /v2/districts/{id}", s.district)
	h("GET /v2/ping", s.ping)
	h("GET /v2/ready", s.readyz)
}

func (s *Service) root(w http.ResponseWriter, r *http.Request) {
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "documentation": "https://github.com/decentraland/atlas-server#endpoints",
		"endpoints": []string{"/v2/tiles", "/v2/tiles/info", "/v2/map.png", "/v2/parcels/:x/:y", "/v2/estates/:id", "/v2/districts", "/v2/ping", "/v2/ready"}})
}

func (s *Service) ping(w http.ResponseWriter, r *http.Request) { text(w, http.StatusOK, "ok") }

func (s *Service) readyz(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		text(w, http.StatusServiceUnavailable, "Not ready")
		return
	}
	text(w, http.StatusOK, "ok")
}

func text(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(body))
}

// notReady answers 503 until Start has put the scenes on the map.
func (s *Service) notReady(w http.ResponseWriter) bool {
	if s.ready.Load() {
		return false
	}
	text(w, http.StatusServiceUnavailable, "Not ready")
	return true
}

// notModified sets Last-Modified and answers 304 when the client has the
// current state (atlas-server's last-modified middleware). Last-Modified
// counts whole seconds, so it is sent only once the second of the last
// change is over: a change later in that second could not be told apart.
func (s *Service) notModified(w http.ResponseWriter, r *http.Request, lastMod int64) bool {
	mod := time.UnixMilli(lastMod).UTC().Truncate(time.Second)
	if !s.cfg.Now().UTC().Truncate(time.Second).After(mod) {
		w.Header().Set("Cache-Control", "no-cache")
		return false
	}
	w.Header().Set("Last-Modified", mod.Format(http.TimeFormat))
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !mod.After(t) {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
	}
	return false
}

func badRequest(w http.ResponseWriter, err error) {
	var pe *paramError
	if errors.As(err, &pe) {
		httpx.Error(w, http.StatusBadRequest, pe.msg)
		return
	}
	httpx.Error(w, http.StatusBadRequest, err.Error())
}

// --- tiles ---

// bodyCache keeps answers for the current version of the map.
type bodyCache struct {
	mu      sync.Mutex
	version uint64
	bodies  map[string][]byte
	size    int
}

// Bounds of the cache: the whole map's answers (v1 and v2, ~17 MB) fit
// with room for bounding boxes.
const (
	maxCached      = 64
	maxCachedBytes = 64 << 20
)

func (c *bodyCache) get(version uint64, key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return nil, false
	}
	b, ok := c.bodies[key]
	return b, ok
}

func (c *bodyCache) put(version uint64, key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return // built for an older map
	}
	if version > c.version || c.bodies == nil || len(c.bodies) >= maxCached || c.size+len(b) > maxCachedBytes {
		c.version, c.bodies, c.size = version, map[string][]byte{}, 0
	}
	c.bodies[key] = b
	c.size += len(b)
}

func (s *Service) tiles(legacy bool) http.HandlerFunc {
	prefix := "v2/"
	if legacy {
		prefix = "v1/"
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if s.notReady(w) {
			return
		}
		raw, err := parseQuery(r.URL.RawQuery)
		if err != nil {
			badRequest(w, err)
			return
		}
		q, err := parseTileQuery(raw)
		if err != nil {
			badRequest(w, err)
			return
		}
		version, lastMod := s.world.state()
		if s.notModified(w, r, lastMod) {
			return
		}
		body := s.tilesBody(version, prefix+q.key(), q, legacy)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}
}

// tilesBody is the answer for q, built once per version of the map.
func (s *Service) tilesBody(version uint64, key string, q tileQuery, legacy bool) []byte {
	if b, ok := s.cache.get(version, key); ok {
		return b
	}
	v, _, _ := s.builds.Do(strconv.FormatUint(version, 10)+"/"+key, func() (any, error) {
		if b, ok := s.cache.get(version, key); ok {
			return b, nil
		}
		n := 0
		if !q.HasBox {
			n = 12 << 20
		}
		b := s.world.appendTiles(make([]byte, 0, n), q, legacy)
		// The map may have changed while it was built: cache it under the
		// version it was read at, which the next request looks up.
		cur, _ := s.world.state()
		if cur == version {
			s.cache.put(version, key, b)
		}
		return b, nil
	})
	return v.([]byte)
}

func (s *Service) tilesInfo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	if s.notReady(w) {
		return
	}
	_, lastMod := s.world.state()
	httpx.JSON(w, http.StatusOK, map[string]int64{"lastUpdatedAt": lastMod})
}

// --- images ---

func (s *Service) mapPNG(w http.ResponseWriter, r *http.Request) {
	p, err := pngQuery(r)
	if err != nil {
		badRequest(w, err)
		return
	}
	s.servePNG(w, r, p)
}

// parcelPNG centres the map on a parcel and selects it.
func (s *Service) parcelPNG(w http.ResponseWriter, r *http.Request) {
	c, err := pathCoord(r)
	if err != nil {
		badRequest(w, err)
		return
	}
	p, err := pngQuery(r)
	if err != nil {
		badRequest(w, err)
		return
	}
	p.Center, p.Selected = c, []coord{c}
	s.servePNG(w, r, p)
}

// estatePNG selects an estate's parcels, centred on their median parcel;
// a dissolved (or unknown) estate redirects to the image atlas-server
// uses for one.
func (s *Service) estatePNG(w http.ResponseWriter, r *http.Request) {
	id, err := estateID(r)
	if err != nil {
		badRequest(w, err)
		return
	}
	p, err := pngQuery(r)
	if err != nil {
		badRequest(w, err)
		return
	}
	cells := s.estateCells(id)
	if len(cells) == 0 {
		http.Redirect(w, r, "https://ui.decentraland.org/dissolved_estate.png", http.StatusFound)
		return
	}
	xs, ys := make([]int, 0, len(cells)), make([]int, 0, len(cells))
	for _, c := range cells {
		xs, ys = append(xs, c.X), append(ys, c.Y)
	}
	sort.Ints(xs)
	sort.Ints(ys)
	p.Center = coord{xs[len(xs)/2], ys[len(ys)/2]}
	if len(cells) > MaxSelected {
		cells = cells[:MaxSelected]
	}
	p.Selected = cells
	s.servePNG(w, r, p)
}

func (s *Service) servePNG(w http.ResponseWriter, r *http.Request, p pngParams) {
	if s.notReady(w) {
		return
	}
	_, lastMod := s.world.state()
	if s.notModified(w, r, lastMod) {
		return
	}
	select {
	case s.renders <- struct{}{}:
		defer func() { <-s.renders }()
	case <-r.Context().Done():
		s.m.renders.WithLabelValues("gone").Inc()
		return
	}
	start := time.Now()
	out, release, err := s.world.renderPNG(p)
	defer release()
	s.m.renderSeconds.Observe(time.Since(start).Seconds())
	if err != nil {
		s.m.renders.WithLabelValues("error").Inc()
		httpx.Internal(w, s.log, r, err)
		return
	}
	s.m.renders.WithLabelValues("ok").Inc()
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(out.Len()))
	w.Write(out.Bytes())
}

func pngQuery(r *http.Request) (pngParams, error) {
	q, err := parseQuery(r.URL.RawQuery)
	if err != nil {
		return pngParams{}, err
	}
	return parsePNGParams(q)
}

func pathCoord(r *http.Request) (coord, error) {
	x, err1 := strconv.Atoi(r.PathValue("x"))
	y, err2 := strconv.Atoi(r.PathValue("y"))
	if err1 != nil || err2 != nil {
		return coord{}, badParam("invalid x or y: %q,%q", r.PathValue("x"), r.PathValue("y"))
	}
	if x < -maxCoord || x > maxCoord || y < -maxCoord || y > maxCoord {
		return coord{}, badParam("x or y too far away (at most %d)", maxCoord)
	}
	return coord{x, y}, nil
}

func estateID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return "", badParam("invalid estate id: %q", id)
	}
	return strconv.FormatUint(n, 10), nil
}

func (s *Service) estateCells(id string) []coord {
	s.world.mu.RLock()
	defer s.world.mu.RUnlock()
	var out []coord
	for _, i := range s.world.estates[id] {
		out = append(out, coord{i/gridH + minX, i%gridH + minY})
	}
	return out
}

// --- parcels, estates, districts ---

// nft is ERC-721 metadata (atlas-server's NFT: src/modules/api/types.ts).
type nft struct {
	ID              string      `json:"id"`
	Name            string      `json:"name"`
	Description     string      `json:"description"`
	Image           string      `json:"image"`
	ExternalURL     string      `json:"external_url"`
	BackgroundColor string      `json:"background_color"`
	Attributes      []attribute `json:"attributes"`
}

type attribute struct {
	TraitType   string `json:"trait_type"`
	Value       any    `json:"value"`
	DisplayType string `json:"display_type,omitempty"`
}

func (s *Service) parcel(w http.ResponseWriter, r *http.Request) {
	c, err := pathCoord(r)
	if err != nil {
		badRequest(w, err)
		return
	}
	if s.notReady(w) {
		return
	}
	if !inGrid(c.X, c.Y) || !s.world.inside[cellIndex(c.X, c.Y)] {
		httpx.EnvelopeError(w, http.StatusNotFound, "Not Found")
		return
	}
	_, lastMod := s.world.state()
	if s.notModified(w, r, lastMod) {
		return
	}
	i := cellIndex(c.X, c.Y)
	s.world.mu.RLock()
	name, typ, owner := s.world.name(i), s.world.tileType(i), s.world.cells[i].owner
	s.world.mu.RUnlock()
	if name == "" {
		name = "Parcel " + coordID(c.X, c.Y)
	}
	id := coordID(c.X, c.Y)
	base := httpx.BaseURL(r, s.cfg.PublicURL)
	attrs := []attribute{{"X", c.X, "number"}, {"Y", c.Y, "number"}, {"Type", typ.String(), ""}}
	if owner != "" {
		attrs = append(attrs, attribute{"Owner", owner, ""})
	}
	httpx.JSON(w, http.StatusOK, nft{
		ID: id, Name: name, Description: "", BackgroundColor: "000000", Attributes: attrs,
		Image:       base + Prefix + "/v1/parcels/" + strconv.Itoa(c.X) + "/" + strconv.Itoa(c.Y) + "/map.png?size=24&width=1024&height=1024",
		ExternalURL: "https://market.decentraland.org/contracts/" + s.cfg.LANDContract + "/tokens/" + tokenID(c.X, c.Y),
	})
}

func (s *Service) estate(w http.ResponseWriter, r *http.Request) {
	id, err := estateID(r)
	if err != nil {
		badRequest(w, err)
		return
	}
	if s.notReady(w) {
		return
	}
	cells := s.estateCells(id)
	if len(cells) == 0 {
		httpx.EnvelopeError(w, http.StatusNotFound, "Not Found")
		return
	}
	_, lastMod := s.world.state()
	if s.notModified(w, r, lastMod) {
		return
	}
	base := httpx.BaseURL(r, s.cfg.PublicURL)
	httpx.JSON(w, http.StatusOK, nft{
		ID: id, Name: "Estate " + id, Description: "", BackgroundColor: "000000",
		Attributes:  []attribute{{"Size", len(cells), "number"}},
		Image:       base + Prefix + "/v1/estates/" + id + "/map.png?size=24&width=1024&height=1024",
		ExternalURL: "https://market.decentraland.org/contracts/" + s.cfg.EstateContract + "/tokens/" + id,
	})
}

func (s *Service) districts(w http.ResponseWriter, r *http.Request) {
	if s.notModified(w, r, s.world.built) {
		return
	}
	httpx.Envelope(w, s.world.static.districts, -1)
}

func (s *Service) district(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	i := slices.IndexFunc(s.world.static.districts, func(d District) bool { return d.ID == id })
	if i < 0 {
		httpx.EnvelopeError(w, http.StatusNotFound, "Not Found")
		return
	}
	if s.notModified(w, r, s.world.built) {
		return
	}
	httpx.Envelope(w, s.world.static.districts[i], -1)
}
