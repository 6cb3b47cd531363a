// Package node is the composition root: it builds every part of a catalyst
// from a Config with plain constructors, starts them in order and stops
// them in reverse. It owns the one HTTP server and its mux.
package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/p2pcatalyst/catalyst/comms/archipelago"
	"github.com/p2pcatalyst/catalyst/comms/gatekeeper"
	"github.com/p2pcatalyst/catalyst/comms/rtc"
	"github.com/p2pcatalyst/catalyst/p2p"
	"github.com/p2pcatalyst/catalyst/services/about"
	"github.com/p2pcatalyst/catalyst/services/assetbundles"
	"github.com/p2pcatalyst/catalyst/services/authserver"
	"github.com/p2pcatalyst/catalyst/services/badges"
	"github.com/p2pcatalyst/catalyst/services/camerareel"
	"github.com/p2pcatalyst/catalyst/services/content"
	"github.com/p2pcatalyst/catalyst/services/credits"
	eventsapi "github.com/p2pcatalyst/catalyst/services/events"
	"github.com/p2pcatalyst/catalyst/services/eventsnotifier"
	"github.com/p2pcatalyst/catalyst/services/explorationgames"
	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/services/lambdas"
	"github.com/p2pcatalyst/catalyst/services/marketplace"
	"github.com/p2pcatalyst/catalyst/services/notifications"
	"github.com/p2pcatalyst/catalyst/services/places"
	"github.com/p2pcatalyst/catalyst/services/realms"
	"github.com/p2pcatalyst/catalyst/services/rewards"
	"github.com/p2pcatalyst/catalyst/services/social"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/store/guard"
	"github.com/p2pcatalyst/catalyst/sync/bridge"
	"github.com/p2pcatalyst/catalyst/sync/chain"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
	"github.com/p2pcatalyst/catalyst/sync/replicate"
)

// Node is a running catalyst.
type Node struct {
	cfg      Config
	log      *slog.Logger
	Store    *store.Store
	Pipeline *deploy.Pipeline
	Registry *prometheus.Registry

	Host       *p2p.Host
	Replicator *replicate.Replicator
	Comms      *archipelago.Service
	SFU        *rtc.Server
	Events     *events.Bus
	// Chain reads Ethereum and Polygon; nil in dev mode (no RPC).
	Chain *chain.Service
	// Servers is the list of HTTP catalysts; Bridge imports from them.
	Servers *bridge.Servers
	Bridge  *bridge.Importer
	bans    *gatekeeper.Bans

	keys      rtc.Keys
	worlds    worldsParts
	social    *social.Service // told who joins and leaves comms
	realms    *realms.Service // the network's realms, for the people on places
	snapshots *content.Snapshots
	handler   http.Handler
	server    *http.Server
	listener  net.Listener
	guard     *guard.Guard
	lambdas   *lambdas.Service
	ports     portBook // the ports bound at the last start
	started   time.Time
	localBase atomic.Value // string: the local URL, once HTTP listens
	// onShutdown end long requests (live streams) when HTTP stops.
	onShutdown []func()
	// onApplied are told of every applied deployment (a live consumer
	// of the bus).
	onApplied []func(deployed)

	parts parts
}

// New builds a node: every part is constructed and wired, but nothing is
// opened, bound or started until Start.
func New(cfg Config) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	n := &Node{cfg: cfg, log: cfg.Logger.With("component", "node"), Registry: prometheus.NewRegistry(), ports: readPortBook(cfg.DataDir)}
	n.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	n.guard = guard.New("http", cfg.Logger, n.Registry)

	st, err := store.New(store.Options{Dir: cfg.DataDir, Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	n.Store = st
	n.parts.add("store", st)
	n.Events = events.NewBus(events.Config{Store: st, Logger: cfg.Logger, Metrics: n.Registry})
	n.Registry.MustRegister(newStoreCollector(st))

	verifier := authchain.Verifier{}
	var access deploy.AccessChecker
	if n.Chain, err = n.newChain(); err != nil {
		return nil, err
	}
	if n.Chain != nil {
		verifier.Contracts = n.Chain
		access = n.Chain
		n.parts.add("chain", n.Chain)
	}
	limits := maps.Clone(deploy.DefaultRateLimits)
	maps.Copy(limits, cfg.RateLimits)
	n.Pipeline = deploy.New(deploy.Config{Store: st, Verifier: verifier, Access: access, Logger: cfg.Logger, Metrics: n.Registry, RateLimits: limits})
	n.snapshots = content.NewSnapshots(st, cfg.Logger, time.Hour)
	if err := n.newWorldsStore(verifier, limits); err != nil {
		return nil, err
	}

	var allow map[peer.ID]bool
	if cfg.AllowDAO && cfg.AllowPeers == nil {
		cfg.AllowPeers = []string{} // no one until the list's peers are found
	}
	if cfg.AllowPeers != nil {
		allow = map[peer.ID]bool{}
		for _, s := range cfg.AllowPeers {
			id, _ := peer.Decode(s) // validated
			allow[id] = true
		}
	}
	n.Host, err = p2p.New(p2p.Config{
		KeyFile: filepath.Join(cfg.DataDir, "p2p", "identity.key"), Listen: cfg.Listen, Bootstrap: cfg.Bootstrap,
		Network: cfg.Network, AllowPeers: allow, Services: replicate.ServiceLimits("", "worlds"), Logger: cfg.Logger, Metrics: n.Registry,
		Remembered: n.ports.P2P, AnyPortIfTaken: cfg.FreePorts,
	})
	if err != nil {
		return nil, err
	}
	n.parts.add("p2p host", n.Host)
	n.Replicator = replicate.New(replicate.Config{
		Host: n.Host, Store: st, Pipeline: n.Pipeline, Events: n.Events, Logger: cfg.Logger, Metrics: n.Registry,
		ExpectPeers: len(cfg.Bootstrap) > 0, ReconcileEvery: cfg.ReconcileEvery,
	})
	n.parts.add("replication", n.Replicator)
	n.newWorldsReplicator()
	n.newBridge()
	n.parts.add("p2p discovery", n.Host.Discovery())

	if err := n.newComms(verifier); err != nil {
		return nil, err
	}
	n.parts.add("snapshots", newLoop(n.snapshots.Run))

	mux := http.NewServeMux()
	content.New(content.Config{
		Store: st, Pipeline: n.Pipeline, Logger: cfg.Logger, Metrics: n.Registry,
		Version: cfg.Version, CommitHash: cfg.CommitHash, EthNetwork: cfg.EthNetwork,
		Snapshots: n.snapshots, SyncState: n.Replicator.State, Federation: n.federation,
	}).Routes(mux, "/content")
	var ownership lambdas.Chain
	if n.Chain != nil {
		ownership = lambdasChain{n.Chain}
	}
	lambdasAPI := lambdas.New(lambdas.Config{
		Store: st, Verifier: verifier, Chain: ownership, Servers: n.lambdasServers, PublicURL: cfg.PublicURL, ProfileImagesURL: cfg.ProfileImagesURL,
		Version: cfg.Version, CommitHash: cfg.CommitHash, Logger: cfg.Logger, Metrics: n.Registry,
	})
	lambdasAPI.Routes(mux)
	n.lambdas = lambdasAPI
	n.onApplied = append(n.onApplied, func(d deployed) { lambdasAPI.Applied(d.Type, d.Pointers) })
	aboutSvc := about.New(about.Config{
		RealmName: cfg.RealmName, EthNetwork: cfg.EthNetwork, PublicURL: cfg.PublicURL, Chain: n.chainStatus,
		Version: cfg.Version, CommitHash: cfg.CommitHash, SyncState: n.Replicator.State,
		Content: func() bool { return n.health()["content"] },
		Lambdas: func() bool { return n.health()["lambdas"] },
		Comms: func(base string) (string, int, bool) {
			return "archipelago:archipelago:" + rtc.WSURL(base) + "/archipelago/ws", n.Comms.UsersCount(), n.health()["comms"]
		},
	})
	aboutSvc.Routes(mux)
	realmsSvc := realms.New(realms.Config{
		Host: n.Host, Store: st, RealmName: cfg.RealmName, URL: n.publicURL, About: aboutSvc.Body,
		Logger: cfg.Logger, Metrics: n.Registry, Every: cfg.RealmsEvery,
		Local: func() realms.Stats {
			st := realms.Stats{Users: n.Comms.UsersCount()}
			for _, p := range n.Comms.Peers() {
				st.Parcels = append(st.Parcels, p.Parcel)
			}
			return st
		},
	})
	realmsSvc.Routes(mux)
	n.realms = realmsSvc
	n.parts.add("realm provider", realmsSvc)
	var token atomic.Value // the admin token, read at start
	n.parts.add("admin token", funcs{start: func(context.Context) error {
		t, err := adminToken(cfg)
		token.Store(t)
		return err
	}, stop: func(context.Context) error { return nil }})
	adminTok := func() string { t, _ := token.Load().(string); return t }
	badges.New(badges.Config{
		Store: st, Bus: n.Events, AssetsURL: cfg.BadgesAssetsURL, Logger: cfg.Logger, Metrics: n.Registry, AdminToken: adminTok,
	}).Routes(mux)
	inbox := notifications.New(notifications.Config{
		Store: st, Bus: n.Events, Verifier: verifier, AdminToken: adminTok, Logger: cfg.Logger, Metrics: n.Registry,
	})
	inbox.Routes(mux)
	n.onShutdown = append(n.onShutdown, inbox.Close)
	camerareel.New(camerareel.Config{Store: st, Bus: n.Events, Verifier: verifier, PublicURL: cfg.PublicURL, Logger: cfg.Logger}).Routes(mux)
	eventsSvc := eventsapi.New(eventsapi.Config{Store: st, Bus: n.Events, Verifier: verifier, AdminToken: adminTok, PublicURL: cfg.PublicURL, Logger: cfg.Logger})
	eventsSvc.Routes(mux)
	n.parts.add("events api", eventsSvc)
	places.New(places.Config{
		Store: st, Bus: n.Events, Verifier: verifier, PublicURL: cfg.PublicURL, Logger: cfg.Logger, Metrics: n.Registry,
		People: n.peopleOn, AdminToken: adminTok,
	}).Routes(mux)
	n.newAtlas(mux)
	n.newWorlds(mux, verifier)
	assetbundles.New(assetbundles.Config{
		Store: st, Worlds: n.worlds.store, Bus: n.Events, Verifier: verifier, AdminToken: adminTok,
		ProfileImagesURL: cfg.ProfileImagesURL, Version: cfg.Version, CommitHash: cfg.CommitHash,
		Logger: cfg.Logger, Metrics: n.Registry,
	}).Routes(mux)
	mkt := marketplace.New(marketplace.Config{Store: st, Bus: n.Events, Verifier: verifier, Chain: marketplace.ChainOf(n.Chain),
		Network: cfg.EthNetwork, PublicURL: cfg.PublicURL, Logger: cfg.Logger, Metrics: n.Registry})
	mkt.Routes(mux)
	n.parts.add("marketplace", mkt)
	creditsSvc := credits.New(credits.Config{Store: st, Verifier: verifier, Logger: cfg.Logger, Metrics: n.Registry})
	creditsSvc.Routes(mux)
	n.onShutdown = append(n.onShutdown, creditsSvc.Close)
	rewards.New(rewards.Config{
		Store: st, Bus: n.Events, Verifier: verifier, AdminToken: adminTok, PublicURL: cfg.PublicURL, Logger: cfg.Logger, Metrics: n.Registry,
	}).Routes(mux)
	exploration := explorationgames.New(explorationgames.Config{
		Store: st, Bus: n.Events, Verifier: verifier, AdminToken: adminTok, Logger: cfg.Logger, Metrics: n.Registry,
	})
	exploration.Routes(mux)
	n.parts.add("exploration games", exploration)
	notifier := eventsnotifier.New(eventsnotifier.Config{Bus: n.Events, Host: n.Host, Verifier: verifier, Logger: cfg.Logger, Metrics: n.Registry})
	notifier.Routes(mux)
	n.parts.add("events notifier", notifier)
	socialCfg := social.Config{
		Store: st, Bus: n.Events, Verifier: verifier, AdminToken: adminTok,
		PublicURL: cfg.PublicURL, ProfileImagesURL: cfg.ProfileImagesURL,
		Logger: cfg.Logger, Metrics: n.Registry,
	}
	if chainIndex := n.Chain; chainIndex != nil { // creating a community needs a NAME
		socialCfg.OwnsName = func(ctx context.Context, address string) (bool, error) {
			names, err := chainIndex.Names(ctx, address)
			return len(names) > 0, err
		}
	}
	n.social = social.New(socialCfg)
	n.social.Routes(mux)
	n.parts.add("social", n.social)
	authSrv := authserver.New(authserver.Config{Verifier: verifier, Logger: cfg.Logger, Metrics: n.Registry})
	authSrv.Routes(mux)
	n.parts.add("auth server", authSrv)
	n.onShutdown = append(n.onShutdown, authSrv.Close)
	n.Comms.Routes(mux)
	n.Comms.StatsRoutes(mux, st)
	n.SFU.Routes(mux)
	gatekeeper.New(gatekeeper.Config{
		Verifier: verifier, Keys: n.keys, Bans: n.bans, RealmName: cfg.RealmName, PublicURL: cfg.PublicURL, Logger: cfg.Logger,
	}).Routes(mux)
	n.newDashboard().Routes(mux)
	n.Events.Watch("services", n.feedApplied)
	n.parts.add("events", n.Events)
	mux.HandleFunc("GET /p2p/info", func(w http.ResponseWriter, r *http.Request) { httpx.JSON(w, http.StatusOK, n.Host.Info()) })
	mux.Handle("GET /metrics", promhttp.HandlerFor(n.Registry, promhttp.HandlerOpts{Registry: n.Registry}))
	mux.HandleFunc("/", httpx.Unrouted(mux))
	n.handler = httpx.Recover(n.guard, httpx.TrustedProxies(cfg.TrustedProxies,
		httpx.Deadlines(bodyTimeout, writeTimeout, httpx.CORS(httpx.MergeSlashes(instrument(n.Registry, mux))))))
	n.parts.add("http", funcs{start: n.startHTTP, stop: n.stopHTTP})
	return n, nil
}

// health is what answers, by part: the content server (its store open),
// lambdas (not served yet), comms (islands computed and the SFU up) and
// the p2p host.
func (n *Node) health() map[string]bool {
	return map[string]bool{
		"content": n.Store.Healthy(),
		"lambdas": n.lambdas.Healthy(),
		"comms":   n.Comms.Healthy() && n.SFU.Healthy(),
		"p2p":     n.Host.Host != nil,
	}
}

// Handler is the node's whole HTTP API (for tests and benchmarks that
// drive it without a socket).
func (n *Node) Handler() http.Handler { return n.handler }

// Start starts every part in order — the store, the Ethereum RPC, the
// p2p host, replication, discovery, comms, snapshots, and last the HTTP
// server. When a part fails, the parts already started stop in reverse.
func (n *Node) Start(ctx context.Context) error {
	n.started = time.Now()
	if err := n.parts.start(ctx); err != nil {
		return portTaken(err)
	}
	n.ports = portBook{HTTP: n.listener.Addr().String(), P2P: n.Host.Bound(), RTCUDP: n.SFU.UDPPort()}
	if err := n.ports.write(n.cfg.DataDir); err != nil {
		n.log.Warn("ports not remembered: a restart may choose others", "err", err)
	}
	dataDir, _ := filepath.Abs(n.cfg.DataDir)
	base, everywhere := localURL(n.listener.Addr())
	if n.cfg.PublicURL != "" {
		base = strings.TrimSuffix(n.cfg.PublicURL, "/")
	}
	n.log.Info("catalyst started", "version", n.cfg.Version, "commit", n.cfg.CommitHash, "data", dataDir,
		"http", n.listener.Addr().String(), "every_interface", everywhere,
		"peer", n.Host.ID().String(), "network", n.cfg.Network, "p2p", n.Host.Info().Addrs, "rtc", n.SFU.UDPAddrs(),
		"eth_rpc", n.cfg.EthRPC != "")
	if n.Chain == nil {
		n.log.Warn("dev mode: no Ethereum RPC (--eth-rpc), so ownership is not checked — anyone may deploy to any parcel, claim any NAME and wear any item; contract-wallet signatures are refused")
	}
	n.log.Info("open "+base+"/dashboard/ (realm: "+base+"/about)", "dashboard", base+"/dashboard/", "about", base+"/about")
	return nil
}

// publicURL is the node's base URL as it announces itself to the
// network: the configured one, else where this machine reaches it.
func (n *Node) publicURL() string {
	if n.cfg.PublicURL != "" {
		return strings.TrimSuffix(n.cfg.PublicURL, "/")
	}
	u, _ := n.localBase.Load().(string)
	return u
}

// localURL is the base URL to open the node from this machine, and
// whether it listens on every interface.
func localURL(a net.Addr) (string, bool) {
	host, port, _ := net.SplitHostPort(a.String())
	ip := net.ParseIP(host)
	if ip == nil || ip.IsUnspecified() {
		return "http://127.0.0.1:" + port, true
	}
	return "http://" + net.JoinHostPort(host, port), false
}

// HTTP timeouts: headers, a request's body (uploads pace theirs
// instead), writing an answer (100 MB at a modest speed), and idle
// keep-alive connections.
const (
	readHeaderTimeout = 10 * time.Second
	bodyTimeout       = 30 * time.Second
	writeTimeout      = 10 * time.Minute
	idleTimeout       = time.Minute
	maxHeaderBytes    = 1 << 20
)

func (n *Node) startHTTP(context.Context) error {
	ln, err := listenHTTP(n.cfg.HTTPAddr, n.ports.HTTP, n.cfg.FreePorts)
	if err != nil {
		return fmt.Errorf("http: cannot listen on %s: %w", n.cfg.HTTPAddr, err)
	}
	if httpx := ln.Addr().String(); httpPortOf(n.cfg.HTTPAddr) != "0" && httpPortOf(httpx) != httpPortOf(n.cfg.HTTPAddr) {
		n.log.Warn("http port taken, listening on another", "configured", n.cfg.HTTPAddr, "listening", httpx)
	}
	n.listener = ln
	base, _ := localURL(ln.Addr())
	n.localBase.Store(base)
	n.server = &http.Server{
		Handler:           n.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       0, // per request: uploads set their own read deadlines
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(n.log.Handler(), slog.LevelDebug),
	}
	for _, f := range n.onShutdown {
		n.server.RegisterOnShutdown(f)
	}
	go func() {
		if err := n.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.log.Error("http server stopped", "err", err)
		}
	}()
	return nil
}

// stopHTTP lets requests in flight finish (within ctx), then closes what
// is left, hijacked connections included.
func (n *Node) stopHTTP(ctx context.Context) error {
	err := n.server.Shutdown(ctx)
	n.server.Close()
	return err
}

// Addr is the address the HTTP server listens on (after Start).
func (n *Node) Addr() string {
	if n.listener == nil {
		return ""
	}
	return n.listener.Addr().String()
}

// Close stops every started part in reverse order of start: HTTP first
// (letting requests in flight finish, within ctx), the store last.
func (n *Node) Close(ctx context.Context) error {
	return n.parts.stop(ctx)
}
