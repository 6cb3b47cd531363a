// Package lambdas is lamb2's API, served from the node's own store: under
// /lambdas the profiles, outfits, users' items, names and lands, the
// collections and contracts lists and the signature validator, and at
// the root the explorer endpoints (/explorer/:address/wearables|emotes),
// where explorers look for them (the Unity explorer drops the last path
// segment of lambdas.publicUrl). Shapes, errors, pagination and sorting
// are lamb2's.
//
// What needs the chain (names, lands, items owned on chain, the DAO list)
// comes through Chain. Without one the node runs in dev mode: ownership
// lists are empty pages, and profiles keep the items and the claimed name
// their deployment was validated with. /lambdas/status says which.
package lambdas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// Chain is what lambdas read from the chain (the node's indexer).
// Every method answers for the latest block it has read.
type Chain interface {
	// Names are the NAMEs address owns.
	Names(ctx context.Context, address string) ([]string, error)
	// Owned reports which of the item urns (collections v1/v2, with or
	// without a token id) address owns.
	Owned(ctx context.Context, address string, urns []string) (map[string]bool, error)
	// NameTokens are address's NAMEs with their tokens.
	NameTokens(ctx context.Context, address string) ([]NameToken, error)
	// NameOwner is a NAME's holder ("": none).
	NameOwner(ctx context.Context, name string) (string, error)
	// Lands are the parcels and estates address holds.
	Lands(ctx context.Context, address string) ([]Land, error)
	// ParcelOperators are who may act on a parcel.
	ParcelOperators(ctx context.Context, x, y int) (ParcelOperators, error)
	// Items are the collection tokens address holds.
	Items(ctx context.Context, address string) ([]ItemToken, error)
}

// NameToken is a NAME as lamb2 lists it.
type NameToken struct {
	Name            string `json:"name"`
	ContractAddress string `json:"contractAddress"`
	TokenID         string `json:"tokenId"`
}

// Land is a parcel or an estate as lamb2 lists it.
type Land struct {
	ContractAddress string `json:"contractAddress"`
	TokenID         string `json:"tokenId"`
	Category        string `json:"category"` // parcel | estate
	X               string `json:"x,omitempty"`
	Y               string `json:"y,omitempty"`
}

// ParcelOperators is lamb2's /parcels/:x/:y/operators.
type ParcelOperators struct {
	Owner          string
	Operator       string
	UpdateOperator string
	UpdateManagers []string
	ApprovedForAll []string
}

// ItemToken is one wearable or emote token of a user.
type ItemToken struct {
	URN           string // the item, without the token id
	TokenID       string
	TransferredAt int64 // ms
}

// Server is a catalyst of the DAO list.
type Server struct {
	BaseURL string `json:"baseUrl"`
	Owner   string `json:"owner"`
	ID      string `json:"id"`
}

// Config wires lambdas to the node.
type Config struct {
	Store *store.Store
	// Verifier validates auth chains (POST /crypto/validate-signature).
	Verifier authchain.Verifier
	// Chain answers ownership; nil is dev mode (see the package doc).
	Chain Chain
	// Servers is the DAO list (GET /contracts/servers); nil: none known.
	Servers func() []Server
	// PublicURL is the node's public base URL ("": each request's).
	PublicURL string
	// ProfileImagesURL is where profile snapshots are rendered
	// (default https://profile-images.decentraland.org).
	ProfileImagesURL string
	// Version and CommitHash are reported by /status.
	Version, CommitHash string
	Logger              *slog.Logger
	Metrics             prometheus.Registerer
}

// Service serves lambdas.
type Service struct {
	cfg      Config
	log      *slog.Logger
	profiles *profileCache
	base     *baseItems
}

// New builds the service.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ProfileImagesURL == "" {
		cfg.ProfileImagesURL = "https://profile-images.decentraland.org"
	}
	cfg.ProfileImagesURL = strings.TrimSuffix(cfg.ProfileImagesURL, "/")
	s := &Service{cfg: cfg, log: cfg.Logger.With("component", "lambdas")}
	s.profiles = newProfileCache(50000, cfg.Metrics)
	s.base = &baseItems{}
	return s
}

// Routes registers /lambdas/… and /explorer/….
func (s *Service) Routes(mux *http.ServeMux) {
	l := func(pattern string, h http.HandlerFunc) {
		method, path, _ := strings.Cut(pattern, " ")
		mux.HandleFunc(method+" /lambdas"+path, h)
	}
	l("GET /status", s.status)
	l("POST /profiles", s.postProfiles)
	l("GET /profiles", s.getProfiles)
	l("GET /profiles/{id}", s.getProfile)
	l("GET /profile/{id}", s.getLegacyProfile)
	l("GET /outfits/{id}", s.outfits)
	l("GET /users/{address}/wearables", s.userChainItems(entity.Wearable))
	l("GET /users/{address}/emotes", s.userChainItems(entity.Emote))
	l("GET /users/{address}/names", s.userNames)
	l("GET /users/{address}/lands", s.userLands)
	l("GET /users/{address}/lands-permissions", s.userItems(false))
	l("GET /users/{address}/third-party-wearables", s.userItems(false))
	l("GET /users/{address}/third-party-wearables/{collectionId}", s.userItems(false))
	l("GET /users/{address}/parcels/{x}/{y}/permissions", s.parcelPermissions)
	l("GET /parcels/{x}/{y}/operators", s.parcelOperators)
	l("GET /third-party-integrations", func(w http.ResponseWriter, r *http.Request) {
		httpx.JSON(w, http.StatusOK, map[string]any{"data": []any{}})
	})
	l("GET /names/{name}/owner", s.nameOwner)
	l("GET /nfts/collections", s.collections)
	l("GET /collections", s.collections)
	l("GET /collections/wearables", s.catalog(entity.Wearable))
	l("GET /collections/emotes", s.catalog(entity.Emote))
	l("GET /collections/contents/{urn}/thumbnail", s.itemFile("thumbnail"))
	l("GET /collections/contents/{urn}/image", s.itemFile("image"))
	l("GET /collections/wearables-by-owner/{owner}", s.itemsByOwner(entity.Wearable))
	l("GET /collections/emotes-by-owner/{owner}", s.itemsByOwner(entity.Emote))
	l("GET /contracts/servers", s.servers)
	l("GET /contracts/pois", func(w http.ResponseWriter, r *http.Request) { httpx.JSON(w, http.StatusOK, []string{}) })
	l("GET /contracts/denylisted-names", func(w http.ResponseWriter, r *http.Request) {
		notFound(w, "Not Found") // a real catalyst's nginx answers 404 here
	})
	l("POST /crypto/validate-signature", s.validateSignature)
	mux.HandleFunc("GET /explorer/{address}/wearables", s.explorerWearables)
	mux.HandleFunc("GET /explorer/{address}/emotes", s.explorerEmotes)
}

// Healthy reports whether lambdas can answer (their store is open).
func (s *Service) Healthy() bool { return s.cfg.Store != nil && s.cfg.Store.Healthy() }

// Applied is told of every applied deployment: what it rendered from
// the entities on those pointers is forgotten.
func (s *Service) Applied(typ entity.Type, pointers []string) {
	switch typ {
	case entity.Profile:
		s.profiles.forget(pointers)
	case entity.Wearable, entity.Emote:
		s.base.forget()
	}
}

func (s *Service) status(w http.ResponseWriter, r *http.Request) {
	mode := "chain"
	if s.cfg.Chain == nil {
		mode = "dev: no chain RPC; ownership lists are empty and profiles keep the items their deployment was validated with"
	}
	httpx.JSON(w, http.StatusOK, map[string]any{
		"version": s.cfg.Version, "currentTime": time.Now().UnixMilli(), "commitHash": s.cfg.CommitHash,
		"ownership": mode,
	})
}

// lamb2's error shapes.
func badRequest(w http.ResponseWriter, msg string) {
	httpx.JSON(w, http.StatusBadRequest, map[string]string{"error": "Bad request", "message": msg})
}

func notFound(w http.ResponseWriter, msg string) {
	httpx.JSON(w, http.StatusNotFound, map[string]string{"error": "Not Found", "message": msg})
}

func (s *Service) internal(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	s.log.Error("request failed", "path", r.URL.Path, "err", err)
	httpx.JSON(w, http.StatusInternalServerError, map[string]string{"error": "Internal Server Error"})
}

// page is lamb2's pagination: pageNum from 1, pageSize default 100.
type page struct{ num, size int }

// maxPageSize is lamb2's bound for items and names.
const maxPageSize = 1000

// readPage reads pageNum and pageSize. Above max, clamp true cuts the
// size to max (the Bevy explorer asks 10,000 of a user's items); false
// is lamb2's 400. max 0 is unbounded.
func readPage(r *http.Request, max int, clamp bool) (page, error) {
	p := page{num: 1, size: 100}
	q := r.URL.Query()
	if v := q.Get("pageNum"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, fmt.Errorf("pageNum must be a number from 1")
		}
		p.num = n
	}
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, fmt.Errorf("pageSize must be a positive number")
		}
		p.size = n
	}
	if max > 0 && p.size > max {
		if !clamp {
			return p, fmt.Errorf("max allowed pageSize is %d", max)
		}
		p.size = max
	}
	return p, nil
}

// paginated is lamb2's page envelope.
func paginated[T any](w http.ResponseWriter, all []T, p page) {
	start := min((p.num-1)*p.size, len(all))
	end := min(start+p.size, len(all))
	elements := all[start:end]
	if elements == nil {
		elements = []T{}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"elements": elements, "totalAmount": len(all), "pageNum": p.num, "pageSize": p.size})
}

// address reads and lower-cases an :address path value.
func address(r *http.Request, name string) (string, bool) {
	a := strings.ToLower(r.PathValue(name))
	return a, authchain.IsAddress(a)
}

// userItems answers a user's on-chain items, names or lands: what the
// chain says, an empty page in dev mode.
func (s *Service) userItems(clamp bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := address(r, "address"); !ok {
			badRequest(w, "invalid address "+r.PathValue("address"))
			return
		}
		max := maxPageSize
		if strings.Contains(r.URL.Path, "/lands") || strings.Contains(r.URL.Path, "third-party") {
			max = 0 // lamb2 bounds neither
		}
		p, err := readPage(r, max, clamp)
		if err != nil {
			badRequest(w, err.Error())
			return
		}
		q := r.URL.Query()
		if q.Has("includeDefinitions") && q.Has("includeEntities") {
			badRequest(w, "Cannot use includeEntities and includeDefinitions together")
			return
		}
		if v := q.Get("rarity"); v != "" && rarityRank(v) < 0 {
			badRequest(w, "Invalid rarity requested: '"+v+"'.")
			return
		}
		paginated(w, []any{}, p)
	}
}

func parcelXY(r *http.Request) (int, int, bool) {
	x, err1 := strconv.Atoi(r.PathValue("x"))
	y, err2 := strconv.Atoi(r.PathValue("y"))
	return x, y, err1 == nil && err2 == nil && x >= -200 && x <= 200 && y >= -200 && y <= 200
}

func (s *Service) servers(w http.ResponseWriter, r *http.Request) {
	list := []Server{}
	if s.cfg.Servers != nil {
		list = append(list, s.cfg.Servers()...)
	}
	httpx.JSON(w, http.StatusOK, list)
}

// validateSignature checks an auth chain: signedMessage (or the chain's
// last payload) signed through it, at timestamp (or now).
func (s *Service) validateSignature(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Timestamp     json.Number     `json:"timestamp"`
		SignedMessage *string         `json:"signedMessage"`
		AuthChain     authchain.Chain `json:"authChain"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 256<<10))
	if err := dec.Decode(&body); err != nil {
		badRequest(w, "body must be JSON {authChain, signedMessage?, timestamp?}: "+err.Error())
		return
	}
	if len(body.AuthChain) == 0 {
		badRequest(w, "authChain is required")
		return
	}
	at := time.Now()
	if body.Timestamp != "" {
		ms, err := body.Timestamp.Int64()
		if err != nil {
			badRequest(w, "timestamp must be milliseconds")
			return
		}
		at = time.UnixMilli(ms)
	}
	payload := body.AuthChain[len(body.AuthChain)-1].Payload
	if body.SignedMessage != nil {
		payload = *body.SignedMessage
	}
	owner, err := s.cfg.Verifier.Verify(r.Context(), body.AuthChain, payload, at)
	if err != nil {
		httpx.JSON(w, http.StatusOK, map[string]any{"valid": false, "error": err.Error()})
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"valid": true, "ownerAddress": owner})
}
