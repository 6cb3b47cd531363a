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
	// Content reports whether the content server can serve and accept
	// deployments; nil means it is not served.
	Content func() bool
	// Lambdas reports whether lambdas answer; nil means they are not
	// served (unhealthy: explorers must not rely on them).
	Lambdas func() bool
	// Comms reports the comms adapter, user count and health; nil means
	// offline.
	Comms func(base string) (adapter string, users int, healthy bool)
}

// Service serves /about.
type Service struct{ cfg Config }

// New builds the service.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// Routes registers GET /about.
func (s *Service) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /about", s.about)
}

// about answers 200 whatever the health: explorers treat any other
// status as a realm that does not exist; the body says what is healthy.
func (s *Service) about(w http.ResponseWriter, r *http.Request) {
	base := httpx.BaseURL(r, s.cfg.PublicURL)
	content := s.cfg.Content != nil && s.cfg.Content()
	lambdas := s.cfg.Lambdas != nil && s.cfg.Lambdas()
	state := "Syncing"
	if s.cfg.SyncState != nil {
		state = s.cfg.SyncState()
	}
	adapter, users, comms := "offline:offline", 0, false
	if s.cfg.Comms != nil {
		adapter, users, comms = s.cfg.Comms(base)
	}
	networkID := 1
	if s.cfg.EthNetwork == "sepolia" {
		networkID = 11155111
	}
	httpx.JSON(w, http.StatusOK, map[string]any{
		"healthy":        content && lambdas && comms,
		"acceptingUsers": content && comms,
		"configurations": map[string]any{
			"realmName":       s.cfg.RealmName,
			"networkId":       networkID,
			"globalScenesUrn": []string{},
			"scenesUrn":       []string{},
		},
		"content": map[string]any{
			"healthy":               content,
			"publicUrl":             base + "/content",
			"synchronizationStatus": state,
			"version":               "v3",
			"commitHash":            s.cfg.CommitHash,
		},
		"lambdas": map[string]any{
			"healthy":    lambdas,
			"publicUrl":  base + "/lambdas",
			"version":    s.cfg.Version,
			"commitHash": s.cfg.CommitHash,
		},
		"comms": map[string]any{
			"healthy":    comms,
			"protocol":   "v3",
			"usersCount": users,
			"adapter":    adapter,
		},
	})
}
