package assetbundles

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// Prefix is where the API is mounted.
const Prefix = "/asset-bundle-registry"

// Bounds of what a request may ask.
const (
	// MaxPointers bounds the pointers of /entities/active and /versions.
	MaxPointers = 2000
	// MaxProfiles bounds the ids of /profiles (the original's
	// MAX_PROFILE_POINTERS_PER_REQUEST).
	MaxProfiles = 500
	// MaxEntityIDs bounds the ids of POST and DELETE /registry.
	MaxEntityIDs = 100
	// MaxDenylist bounds the denylist.
	MaxDenylist = 10000
	// MaxQueued bounds the queue counts of manually-queued reports.
	MaxQueued = 10000
	// MaxOwned bounds the entries GET /entities/status answers.
	MaxOwned = 1000
	// maxBody bounds a JSON body.
	maxBody = 256 << 10
)

// Config wires the registry to the node.
type Config struct {
	// Store is the node's store: the registry's keyspace, the deployments
	// it registers, the profiles it answers.
	Store *store.Store
	// Worlds is the worlds' store, for POST /registry and conversion
	// reports of world scenes not registered yet (nil: none).
	Worlds *store.Store
	// Bus brings the deployments and world events; accepted conversion
	// reports are published on it (nil: neither).
	Bus      *events.Bus
	Verifier authchain.Verifier
	// AdminToken guards the converter's reports, the denylist's writes,
	// /registry and /flush-cache; nil or "": they refuse everyone.
	AdminToken func() string
	// ProfileImagesURL is where profile snapshots are rendered (default
	// https://profile-images.decentraland.org).
	ProfileImagesURL string
	// Version and CommitHash are reported by /status.
	Version, CommitHash string
	Logger              *slog.Logger
	Metrics             prometheus.Registerer
	Now                 func() time.Time
}

// Service is the asset bundle registry.
type Service struct {
	cfg Config
	ks  *store.Keyspace
	log *slog.Logger

	mu sync.Mutex // serializes the registry's writes

	queueMu sync.Mutex
	queued  map[string]map[string]int // platform → entity id → conversions queued

	entries *prometheus.CounterVec
	reports *prometheus.CounterVec
}

// New builds the service and registers its consumer of the bus.
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
	s := &Service{
		cfg: cfg, ks: cfg.Store.Keyspace("assetbundles"), log: cfg.Logger.With("component", "asset-bundle-registry"),
		queued: map[string]map[string]int{},
		entries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_assetbundles_entries_total",
			Help: "Registry entries written, by the status they were written with."}, []string{"status"}),
		reports: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_assetbundles_reports_total",
			Help: "Conversion reports received, by subtype and result (accepted, refused)."}, []string{"subtype", "result"}),
	}
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(s.entries, s.reports)
	}
	if cfg.Bus != nil {
		cfg.Bus.Consume("assetbundles", s.onEvent)
	}
	return s
}

// Routes registers /asset-bundle-registry/….
func (s *Service) Routes(mux *http.ServeMux) {
	h := httpx.Under(mux, Prefix)
	admin := func(next http.HandlerFunc) http.HandlerFunc { return httpx.Bearer(s.cfg.AdminToken, next) }
	h("GET /status", s.status)
	h("POST /entities/active", s.active)
	h("POST /entities/versions", s.versions)
	h("GET /entities/status/{id}", s.entityStatus)
	h("GET /entities/status", s.ownStatuses)
	h("GET /queues/status", s.queuesStatus)
	h("POST /profiles", s.profiles)
	h("POST /profiles/metadata", s.profilesMetadata)
	h("GET /denylist", s.denylist)
	h("POST /denylist/{entityId}", admin(s.addDenied))
	h("DELETE /denylist/{entityId}", admin(s.removeDenied))
	h("GET /worlds/{worldName}/manifest", s.worldManifest)
	h("POST /registry", admin(s.register))
	h("DELETE /registry", admin(s.unregister))
	h("DELETE /flush-cache", admin(s.flushCache))
	h("POST /events", admin(s.report))
}

// fail is the original's error answer: {ok: false, message}.
func fail(w http.ResponseWriter, status int, msg string) {
	httpx.JSON(w, status, map[string]any{"ok": false, "message": msg})
}

// status is GET /status: {data: {version, currentTime, commitHash}}.
func (s *Service) status(w http.ResponseWriter, r *http.Request) {
	httpx.JSON(w, http.StatusOK, map[string]any{"data": map[string]any{
		"version": s.cfg.Version, "currentTime": s.cfg.Now().UnixMilli(), "commitHash": s.cfg.CommitHash,
	}})
}
