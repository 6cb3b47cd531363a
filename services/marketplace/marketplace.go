package marketplace

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/sync/chain"
)

// Prefix is where the API is mounted.
const Prefix = "/marketplace"

// Config wires the marketplace to the node.
type Config struct {
	// Store holds the node's wearable and emote entities (the catalog)
	// and the marketplace's keyspace (the sales it saw).
	Store *store.Store
	// Bus tells the catalog of new deployments and the sales of the
	// chain (blockchain item-sold); nil: the catalog is read again when
	// older than ten seconds, and no sale is recorded.
	Bus *events.Bus
	// Verifier checks the optional signed fetch of /v1/catalog, /v1/items
	// and /v1/nfts.
	Verifier authchain.Verifier
	// Chain is the node's chain index; nil is dev mode: the lists come
	// from the entities alone and ownership routes answer empty lists.
	Chain Chain
	// Network is "mainnet" or "sepolia" when there is no Chain (it names
	// the collections v1 of the catalog's URNs); default mainnet.
	Network string
	// PublicURL is the node's base URL for images ("": each request's).
	PublicURL string
	// RefreshEvery is how often what the collections' contracts say
	// (prices, supply, approval, minters) is read again (default 1 min).
	RefreshEvery time.Duration
	Logger       *slog.Logger
	Metrics      prometheus.Registerer
	Now          func() time.Time
}

// Service is the marketplace API.
type Service struct {
	cfg   Config
	ks    *store.Keyspace
	log   *slog.Logger
	idx   *index
	v1    map[string]string // collections v1: name → address
	m     *metrics
	snap  snapshotHolder
	sales *salesLog

	cancel context.CancelFunc
	done   chan struct{}
}

type metrics struct {
	refreshes *prometheus.CounterVec
	refreshS  prometheus.Histogram
	items     prometheus.Gauge
	sales     prometheus.Counter
}

// New builds the service and registers its consumers of the bus.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RefreshEvery <= 0 {
		cfg.RefreshEvery = time.Minute
	}
	if cfg.Network == "" {
		cfg.Network = "mainnet"
	}
	s := &Service{cfg: cfg, ks: cfg.Store.Keyspace("marketplace"), log: cfg.Logger.With("component", "marketplace"), v1: map[string]string{}}
	if cfg.Chain != nil {
		s.v1 = cfg.Chain.Contracts().CollectionsV1
	} else if n, ok := chain.Networks[cfg.Network]; ok {
		for name, c := range n.CollectionsV1 {
			s.v1[name] = hexOf(c)
		}
	}
	s.idx = newIndex(cfg.Store, s.v1, cfg.Bus == nil, cfg.Now)
	s.sales = &salesLog{}
	s.m = &metrics{
		refreshes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_marketplace_chain_refreshes_total",
			Help: "Reads of the collections' contracts (prices, supply, approval), by result."}, []string{"result"}),
		refreshS: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "catalyst_marketplace_chain_refresh_seconds",
			Help: "Time of one read of the collections' contracts.", Buckets: prometheus.ExponentialBuckets(0.01, 3, 9)}),
		items: prometheus.NewGauge(prometheus.GaugeOpts{Name: "catalyst_marketplace_items",
			Help: "Collection items the catalog lists (the node's wearable and emote entities)."}),
		sales: prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_marketplace_sales_total",
			Help: "Sales (item-sold events of the chain) recorded."}),
	}
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(s.m.refreshes, s.m.refreshS, s.m.items, s.m.sales)
	}
	if cfg.Bus != nil {
		cfg.Bus.Watch("marketplace-items", s.onDeployment)
		cfg.Bus.Consume("marketplace", s.onEvent)
	}
	return s
}

// Routes registers /marketplace/….
func (s *Service) Routes(mux *http.ServeMux) {
	h := httpx.Under(mux, Prefix)
	h("GET /v1/catalog", s.catalog)
	h("GET /v2/catalog", s.catalog)
	h("GET /v1/items", s.items)
	h("GET /v1/nfts", s.nfts)
	h("GET /v1/users/{address}/wearables", s.userItems(entity.Wearable, flat))
	h("GET /v1/users/{address}/wearables/urn-token", s.userItems(entity.Wearable, urnToken))
	h("GET /v1/users/{address}/wearables/grouped", s.userItems(entity.Wearable, grouped))
	h("GET /v1/users/{address}/emotes", s.userItems(entity.Emote, flat))
	h("GET /v1/users/{address}/emotes/urn-token", s.userItems(entity.Emote, urnToken))
	h("GET /v1/users/{address}/emotes/grouped", s.userItems(entity.Emote, grouped))
	h("GET /v1/users/{address}/names", s.userNames(false))
	h("GET /v1/users/{address}/names/names-only", s.userNames(true))
	h("GET /v1/collections", s.collections)
	h("GET /v1/accounts", s.accounts)
	h("GET /v1/owners", s.owners)
	h("GET /v1/sales", s.salesList)
	h("GET /v1/prices", s.prices)
	h("GET /v1/trendings", s.trendings)
	s.unservedRoutes(h)
}

// Start reads the stored sales and starts reading the collections'
// contracts (with a chain).
func (s *Service) Start(ctx context.Context) error {
	if err := s.sales.load(ctx, s.ks); err != nil {
		return err
	}
	if s.cfg.Chain == nil {
		return nil
	}
	loopCtx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go func() {
		defer close(s.done)
		s.refreshLoop(loopCtx)
	}()
	return nil
}

// Stop ends the refresh loop.
func (s *Service) Stop(ctx context.Context) error {
	if s.cancel == nil {
		return nil
	}
	s.cancel()
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Service) refreshLoop(ctx context.Context) {
	for {
		s.safeRefresh(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.cfg.RefreshEvery):
		}
	}
}

// refreshTimeout bounds one read of the contracts.
const refreshTimeout = 2 * time.Minute

func (s *Service) safeRefresh(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.m.refreshes.WithLabelValues("panic").Inc()
			s.log.Error("reading the collections panicked", "panic", r, "stack", string(debug.Stack()))
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	start := time.Now()
	err := s.refresh(ctx)
	s.m.refreshS.Observe(time.Since(start).Seconds())
	switch {
	case err == nil:
		s.m.refreshes.WithLabelValues("ok").Inc()
	case errors.Is(err, context.Canceled):
	default:
		s.m.refreshes.WithLabelValues("error").Inc()
		s.log.Warn("reading the collections' contracts failed; prices and supply are those of the last read", "err", err)
	}
}

// onDeployment keeps the catalog in step with wearable and emote
// deployments.
func (s *Service) onDeployment(ctx context.Context, e events.StoredEvent) error {
	if e.Type != store.DeploymentEventType || e.Deployment == nil {
		return nil
	}
	if t := e.Deployment.Type; t != entity.Wearable && t != entity.Emote {
		return nil
	}
	return s.idx.apply(ctx, e.Deployment.Pointers)
}

// onEvent records the chain's sales.
func (s *Service) onEvent(ctx context.Context, e events.StoredEvent) error {
	if e.Type != "blockchain" || e.SubType != "item-sold" {
		return nil
	}
	return s.recordSale(ctx, e)
}

// The original's error shapes.
func fail(w http.ResponseWriter, status int, msg string) {
	httpx.JSON(w, status, map[string]any{"ok": false, "message": msg})
}

func (s *Service) internal(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	fail(w, http.StatusInternalServerError, "Internal Server Error")
}

// signer is the optional signed fetch of a request (the original's
// wellKnownComponents({optional: true, expiration: 5 minutes}), the scene
// signer refused): "" when unsigned, false after a refusal.
func (s *Service) signer(w http.ResponseWriter, r *http.Request) (string, bool) {
	if r.Header.Get(authchain.HeaderChainPrefix+"0") == "" {
		return "", true
	}
	req, ok := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), 5*time.Minute)
	return req.Signer, ok
}

// snapshotHolder keeps the last read of the chain.
type snapshotHolder struct {
	mu sync.RWMutex
	s  *snapshot
}

func (h *snapshotHolder) get() *snapshot {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.s == nil {
		return &snapshot{}
	}
	return h.s
}

func (h *snapshotHolder) set(s *snapshot) {
	h.mu.Lock()
	h.s = s
	h.mu.Unlock()
}
