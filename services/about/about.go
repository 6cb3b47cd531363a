// Package about serves the realm description explorers read first
// (GET /about, ADR-110): where the content server and lambdas are, and how
// to reach comms. The public URLs end in a slash, as a real catalyst's:
// explorers append paths to them, and the Unity explorer finds /explorer
// by dropping the last segment of lambdas.publicUrl.
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
	PublicURL string
	// Chain reports what the node checks on chain (an extra section:
	// clients ignore it).
	Chain               func() any
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

// genesisCity is the map explorers draw (lamb2's about): the city's
// parcel ranges and where its images are.
var genesisCity = map[string]any{
	"minimapEnabled": true,
	"sizes": []map[string]int{
		{"left": -150, "top": 150, "right": 150, "bottom": -150},
		{"left": 62, "top": 158, "right": 162, "bottom": 151},
		{"left": 151, "top": 150, "right": 163, "bottom": 59},
	},
	"satelliteView": map[string]any{
		"version": "v1", "baseUrl": "https://genesis.city/map/latest", "suffixUrl": ".jpg",
		"topLeftOffset": map[string]int{"x": -2, "y": -6},
	},
	"parcelView": map[string]string{"version": "v1", "imageUrl": "https://api.decentraland.org/v1/minimap.png"},
}

// about answers 200 whatever the health: explorers treat any other
// status as a realm that does not exist; the body says what is healthy.
func (s *Service) about(w http.ResponseWriter, r *http.Request) {
	httpx.JSON(w, http.StatusOK, s.Body(r))
}

// Body is /about as r would get it.
func (s *Service) Body(r *http.Request) map[string]any {
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
	body := map[string]any{
		"healthy":        content && lambdas && comms,
		"acceptingUsers": content && comms,
		"configurations": map[string]any{
			"realmName":       s.cfg.RealmName,
			"networkId":       networkID,
			"globalScenesUrn": []string{},
			"scenesUrn":       []string{},
			"map":             genesisCity,
		},
		"content": map[string]any{
			"healthy":               content,
			"publicUrl":             base + "/content/",
			"synchronizationStatus": state,
			"version":               "v3",
			"commitHash":            s.cfg.CommitHash,
		},
		"lambdas": map[string]any{
			"healthy":    lambdas,
			"publicUrl":  base + "/lambdas/",
			"version":    s.cfg.Version,
			"commitHash": s.cfg.CommitHash,
		},
		"comms": map[string]any{
			"healthy":    comms,
			"protocol":   "v3",
			"version":    s.cfg.Version,
			"commitHash": s.cfg.CommitHash,
			"usersCount": users,
			"adapter":    adapter,
		},
	}
	if s.cfg.Chain != nil {
		body["chain"] = s.cfg.Chain()
	}
	return body
}
