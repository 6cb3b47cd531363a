// Package content is the content server's HTTP API (mounted under
// /content): deployments in, entities and files out. It validates nothing
// itself: uploads go to the deployment pipeline, reads come from the store.
package content

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/guard"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
	"github.com/prometheus/client_golang/prometheus"
)

// Config configures the content API.
type Config struct {
	Store    *store.Store
	Pipeline *deploy.Pipeline
	Logger   *slog.Logger
	// Metrics registers the API's metrics (nil: not registered).
	Metrics prometheus.Registerer
	// Uploads bounds deployments in flight (zero: DefaultUploadLimits).
	Uploads UploadLimits
	// Version and CommitHash are reported by /status.
	Version, CommitHash string
	// EthNetwork is reported by /status ("mainnet", "sepolia").
	EthNetwork string
	// SyncState reports the synchronization state for /status; nil means
	// "Syncing" (a node with no peers has nothing to catch up on).
	SyncState func() string
	// Federation reports the sync with HTTP catalysts (nil: none).
	Federation func() Federation
	// Snapshots serves /snapshots; nil answers 503.
	Snapshots *Snapshots
	// Deployed is the answer to an accepted upload (nil:
	// {creationTimestamp}, the content server's).
	Deployed func(r *http.Request, d *store.Deployment, localTimestamp int64) any
	// MaxUploadBytes bounds an upload's body (0: deploy.MaxTotalBytes and
	// a MiB for the form).
	MaxUploadBytes int64
}

// MaxListItems bounds ids, pointers and cids of one request. Uploads are
// bounded by the pipeline's deploy.MaxFileBytes, MaxFiles and
// MaxTotalBytes, and by UploadLimits.
const MaxListItems = 1000

// Service is the content API.
type Service struct {
	cfg       Config
	log       *slog.Logger
	guard     *guard.Guard
	limits    UploadLimits
	uploads   chan struct{} // a slot per upload in progress
	challenge string
}

// New builds the content API.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.EthNetwork == "" {
		cfg.EthNetwork = "mainnet"
	}
	limits := cfg.Uploads.orDefault()
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = deploy.MaxTotalBytes + 1<<20
	}
	return &Service{
		cfg: cfg, log: cfg.Logger.With("component", "content-api"), guard: guard.New("content", cfg.Logger, cfg.Metrics),
		limits: limits, uploads: make(chan struct{}, limits.Concurrent), challenge: uuid(),
	}
}

// Routes registers the API on mux under prefix (normally "/content").
func (s *Service) Routes(mux *http.ServeMux, prefix string) {
	h := func(pattern string, fn http.HandlerFunc) {
		method, path, _ := strings.Cut(pattern, " ")
		mux.HandleFunc(method+" "+prefix+path, fn)
	}
	h("POST /entities", s.postEntity)
	h("POST /entities/active", s.activeEntities)
	h("GET /entities/{type}", s.entitiesByType)
	h("GET /contents/{hash}", s.getContent)
	h("HEAD /contents/{hash}", s.getContent)
	h("GET /contents/{hash}/active-entities", s.activeEntitiesByContent)
	h("GET /available-content", s.availableContent)
	h("GET /audit/{type}/{id}", s.audit)
	h("GET /deployments", s.deployments)
	h("GET /pointer-changes", s.pointerChanges)
	h("GET /snapshots", s.snapshots)
	h("GET /status", s.status)
	h("GET /failed-deployments", s.failedDeployments)
	h("GET /challenge", s.getChallenge)
}

// Upload is POST /entities, for a server that mounts only some routes
// (the worlds content server).
func (s *Service) Upload(w http.ResponseWriter, r *http.Request) { s.postEntity(w, r) }

// Contents is GET and HEAD /contents/{hash}.
func (s *Service) Contents(w http.ResponseWriter, r *http.Request) { s.getContent(w, r) }

// Available is GET /available-content.
func (s *Service) Available(w http.ResponseWriter, r *http.Request) { s.availableContent(w, r) }

// parseType reads an entity type in a path: singular or plural, any case.
func parseType(s string) (entity.Type, bool) {
	if t, ok := entity.ParseType(s); ok {
		return t, true
	}
	return entity.ParseType(strings.TrimSuffix(s, "s"))
}

// Federation is the sync with HTTP catalysts as /status reports it.
type Federation struct {
	LastSyncWithDAO int64 // ms
	OtherServers    any   // [{address, connectionState, lastDeploymentTimestamp}]
	Import          any   // the import's progress
}

func (s *Service) status(w http.ResponseWriter, r *http.Request) {
	state := "Syncing"
	if s.cfg.SyncState != nil {
		state = s.cfg.SyncState()
	}
	sync := map[string]any{"lastSyncWithDAO": 0, "synchronizationState": state}
	if s.cfg.Federation != nil {
		f := s.cfg.Federation()
		sync["lastSyncWithDAO"], sync["otherServers"], sync["import"] = f.LastSyncWithDAO, f.OtherServers, f.Import
	}
	httpx.JSON(w, http.StatusOK, map[string]any{
		"version":               "v3",
		"commitHash":            s.cfg.CommitHash,
		"catalystVersion":       s.cfg.Version,
		"ethNetwork":            s.cfg.EthNetwork,
		"synchronizationStatus": sync,
	})
}

func (s *Service) getChallenge(w http.ResponseWriter, r *http.Request) {
	httpx.JSON(w, http.StatusOK, map[string]string{"challengeText": s.challenge})
}

func (s *Service) failedDeployments(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Store.FailedDeployments(r.Context(), 10000)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, list)
}

func uuid() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
