package social

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/services/social/rpc"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/store/guard"
)

// Prefix is where the service is mounted.
const Prefix = "/social"

// Config wires the social service to the node.
type Config struct {
	Store *store.Store
	// Bus receives the friendship and community events (nil: none are
	// published).
	Bus      *events.Bus
	Verifier authchain.Verifier
	// AdminToken guards the admin routes (editors' choice, managed
	// communities); nil or "": they refuse everyone.
	AdminToken func() string
	// PublicURL is the node's base URL for thumbnails ("": each
	// request's).
	PublicURL string
	// ProfileImagesURL renders profile pictures as lambdas does
	// (<url>/entities/<profile entity id>/face.png; "": Decentraland's
	// profile-images service).
	ProfileImagesURL string
	// Online reports whether an address is connected to the node's comms
	// now (nil: the set kept from Connected, Disconnected and SetOnline).
	Online func(address string) bool
	// OwnsName reports whether an address owns a NAME, which the original
	// requires to create a community (nil: this node has no name data and
	// lets any signed user who is not a scene create one).
	OwnsName func(ctx context.Context, address string) (bool, error)
	// PlaceOwner reports who may add a place to a community (the original
	// asks the places API for the place's owner or operators). nil: any
	// well-formed place id is accepted.
	PlaceOwner func(ctx context.Context, placeID, address string) (bool, error)
	// Limits bound what a user and a connection may cost (zero:
	// DefaultLimits).
	Limits  Limits
	Logger  *slog.Logger
	Metrics prometheus.Registerer
	Now     func() time.Time
}

// Limits bound the service's state and its sockets.
type Limits struct {
	// Per user.
	Friends, PendingSent, PendingReceived, Blocks int
	// CommunitiesPerOwner bounds the communities one address owns;
	// Communities all of them; Members, Places, Posts and PendingRequests
	// one community's.
	CommunitiesPerOwner, Communities, Members, Places, Posts, PendingRequests int
	// Memberships bounds the communities one address belongs to.
	Memberships int
	// Connections and ConnectionsPerIP bound the open sockets;
	// AuthTimeout is how long a socket has to send its signed headers.
	Connections, ConnectionsPerIP int
	// ConnectionsPerAddress bounds one signer's authenticated sockets.
	ConnectionsPerAddress int
	AuthTimeout           time.Duration
	// MaxFrame bounds one WebSocket frame (the original: 1 MiB).
	MaxFrame int64
	// RPC bounds one connection's protocol (ports, calls in flight,
	// streams, messages per second).
	RPC rpc.Limits
	// ActionsPerMinute bounds one user's friendship and block changes (the
	// original: 30 a minute).
	ActionsPerMinute int
}

// DefaultLimits of the service.
var DefaultLimits = Limits{
	Friends: 1000, PendingSent: 200, PendingReceived: 500, Blocks: 1000,
	CommunitiesPerOwner: 10, Communities: 10000, Members: 10000, Places: 100, Posts: 1000, PendingRequests: 1000,
	Memberships: 500,
	Connections: 10000, ConnectionsPerIP: 256, ConnectionsPerAddress: 16, AuthTimeout: 30 * time.Second, MaxFrame: 1 << 20,
	RPC: rpc.DefaultLimits, ActionsPerMinute: 30,
}

// Service is the social service: the RPC socket and the communities API.
type Service struct {
	cfg   Config
	lim   Limits
	ks    *store.Keyspace
	log   *slog.Logger
	guard *guard.Guard
	hub   *hub
	m     *metrics

	mu sync.Mutex // serialises the writes of friendships, blocks and communities

	onlineMu sync.Mutex
	online   map[string]bool

	connsMu sync.Mutex
	conns   int
	perIP   map[string]int
	// perAddress counts each signer's authenticated sockets.
	perAddress map[string]int
	sockets    map[*socket]struct{}
	closing    bool
	handlers   sync.WaitGroup

	rateMu sync.Mutex
	rates  map[string]*actionRate
}

// New builds the service.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ProfileImagesURL == "" {
		cfg.ProfileImagesURL = "https://profile-images.decentraland.org"
	}
	cfg.ProfileImagesURL = strings.TrimSuffix(cfg.ProfileImagesURL, "/")
	lim := cfg.Limits
	if lim.Friends == 0 {
		lim = DefaultLimits
	}
	if lim.RPC.Ports == 0 {
		lim.RPC = rpc.DefaultLimits
	}
	s := &Service{
		cfg: cfg, lim: lim, ks: cfg.Store.Keyspace("social"),
		log:    cfg.Logger.With("component", "social"),
		guard:  guard.New("social", cfg.Logger, cfg.Metrics),
		hub:    newHub(),
		m:      newMetrics(cfg.Metrics),
		online: map[string]bool{}, perIP: map[string]int{}, perAddress: map[string]int{}, sockets: map[*socket]struct{}{},
		rates: map[string]*actionRate{},
	}
	return s
}

// Routes registers /social/ws and /social/v1/….
func (s *Service) Routes(mux *http.ServeMux) {
	h := httpx.Under(mux, Prefix)
	h("GET /ws", s.serveWS)
	s.communityRoutes(h)
}

// Start does nothing: the service has no loop (the node's lifecycle
// calls Stop to close the sockets).
func (s *Service) Start(context.Context) error { return nil }

// Stop closes every socket (code 1001) and waits for their handlers.
func (s *Service) Stop(ctx context.Context) error {
	s.connsMu.Lock()
	s.closing = true
	list := make([]*socket, 0, len(s.sockets))
	for so := range s.sockets {
		list = append(list, so)
	}
	s.connsMu.Unlock()
	for _, so := range list {
		so.close(1001, "shutting down")
	}
	done := make(chan struct{})
	go func() { s.handlers.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errConflict is a badger conflict; mutations are serialised by s.mu, so
// it only comes from another process of the keyspace (none): retried.
func (s *Service) update(ctx context.Context, fn func(*store.KeyspaceTxn) error) error {
	var err error
	for range 3 {
		if err = s.ks.Update(ctx, fn); err == nil || !isConflict(err) {
			return err
		}
	}
	return err
}

func isConflict(err error) bool {
	return err != nil && strings.Contains(err.Error(), "Transaction Conflict")
}

var errNotFound = store.ErrNotFound

func notFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
