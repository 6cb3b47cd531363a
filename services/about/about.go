// Package about serves the realm description explorers read first
// (GET /about, ADR-110): where the content server and lambdas are, and how
// to reach comms.
package about

import (
	"net/http"

	"github.com/p2pcatalyst/catalyst/services/httpx"
)

// Config configures /about.
type Config struct {
	RealmName  string
	EthNetwork string // mainnet | sepolia
	// PublicURL is the node's public base URL; "" derives it from each request.
	PublicURL           string
	Version, CommitHash string
	// SyncState reports the content synchronization state ("Syncing").
	SyncState func() string
	// Comms reports the comms adapter and user count; nil means offline.
	Comms func(base string) (adapter string, users int, healthy bool)
	// Healthy reports whether the node can serve; nil means always.
	Healthy func() bool
}

// Service serves /about.
type Service struct{ cfg Config }

// New builds the service.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// Routes registers GET /about.
func (s *Service) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /about", s.about)
}

func (s *Service) about(w http.ResponseWriter, r *http.Request) {
	base := httpx.BaseURL(r, s.cfg.PublicURL)
	healthy := s.cfg.Healthy == nil || s.cfg.Healthy()
	state := "Syncing"
	if s.cfg.SyncState != nil {
		state = s.cfg.SyncState()
	}
	adapter, users, commsHealthy := "offline:offline", 0, true
	if s.cfg.Comms != nil {
		adapter, users, commsHealthy = s.cfg.Comms(base)
	}
	networkID := 1
	if s.cfg.EthNetwork == "sepolia" {
		networkID = 11155111
	}
	body := map[string]any{
		"healthy":        healthy,
		"acceptingUsers": healthy,
		"configurations": map[string]any{
			"realmName":       s.cfg.RealmName,
			"networkId":       networkID,
			"globalScenesUrn": []string{},
			"scenesUrn":       []string{},
		},
		"content": map[string]any{
			"healthy":               healthy,
			"publicUrl":             base + "/content",
			"synchronizationStatus": state,
			"version":               "v3",
			"commitHash":            s.cfg.CommitHash,
		},
		"lambdas": map[string]any{
			"healthy":    healthy,
			"publicUrl":  base + "/lambdas",
			"version":    s.cfg.Version,
			"commitHash": s.cfg.CommitHash,
		},
		"comms": map[string]any{
			"healthy":    commsHealthy,
			"protocol":   "v3",
			"usersCount": users,
			"adapter":    adapter,
		},
	}
	status := http.StatusOK
	if !healthy {
		status = http.StatusServiceUnavailable
	}
	httpx.JSON(w, status, body)
}
