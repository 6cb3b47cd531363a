// Package places is decentraland/places' API under /places/api, from the
// node's own scene deployments: a place per scene as it applies, keeping
// its id by ADR-186's rule (a new deployment that covers all the old
// parcels, or keeps the base parcel, is the same place), with likes,
// dislikes and favorites by signed fetch, search, order, categories and
// the people on each place now.
//
// Likes are plain counts: the original weighs them by Snapshot voting
// power (MANA, LAND, names), which needs services this node does not
// have; like_score is the like rate.
package places

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
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
const Prefix = "/places/api"

// Config wires places to the node.
type Config struct {
	Store    *store.Store
	Bus      *events.Bus
	Verifier authchain.Verifier
	// PublicURL is the node's base URL for images ("": each request's).
	PublicURL string
	// People reports who is on some parcels now: how many, by realm
	// (nil: none).
	People func(positions []string) (int, []Realm)
	// AdminToken guards the admin routes (highlight, disable, rating,
	// ranking, featured); nil or "": they refuse everyone.
	AdminToken func() string
	Logger     *slog.Logger
	Metrics    prometheus.Registerer
	Now        func() time.Time
}

// Realm is one realm's share of a place's people.
type Realm struct {
	ServerName string `json:"serverName"`
	UsersCount int    `json:"usersCount"`
}

// Service is the places API.
type Service struct {
	cfg     Config
	ks      *store.Keyspace
	idx     *index
	writeMu sync.Mutex // see update
	log     *slog.Logger
	applied prometheus.Counter
}

// New builds the service and registers its consumer of the bus.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{cfg: cfg, ks: cfg.Store.Keyspace("places"), idx: &index{}, log: cfg.Logger.With("component", "places"),
		applied: prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_places_scenes_total", Help: "Scene deployments the places service applied."})}
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(s.applied)
	}
	if cfg.Bus != nil {
		cfg.Bus.Consume("places", s.onEvent)
	}
	return s
}

// Place is a place as the store keeps it.
type Place struct {
	ID               string   `json:"id"`
	Title            string   `json:"title"`
	Description      string   `json:"description"`
	Image            string   `json:"image_raw,omitempty"` // a content hash or a URL
	Owner            *string  `json:"owner"`
	WorldName        *string  `json:"world_name"`
	ContentRating    string   `json:"content_rating"`
	Categories       []string `json:"categories"`
	Likes            int      `json:"likes"`
	Dislikes         int      `json:"dislikes"`
	Favorites        int      `json:"favorites"`
	Positions        []string `json:"positions"`
	BasePosition     string   `json:"base_position"`
	ContactName      *string  `json:"contact_name"`
	ContactEmail     *string  `json:"contact_email"`
	Highlighted      bool     `json:"highlighted"`
	HighlightedImage *string  `json:"highlighted_image"`
	Disabled         bool     `json:"disabled"`
	DisabledReason   *string  `json:"disabled_reason"`
	World            bool     `json:"world"`
	WorldID          *string  `json:"world_id"`
	DeployedAt       string   `json:"deployed_at"`
	CreatorAddress   string   `json:"creator_address"`
	SDK              string   `json:"sdk"`
	Ranking          *float64 `json:"ranking"`
	CreatedAt        string   `json:"created_at"`
	UpdatedAt        string   `json:"updated_at"`
	EntityID         string   `json:"entity_id"`
	// A world's settings, kept over its scenes' (not answered).
	Hidden       bool   `json:"hidden,omitempty"`
	WorldTitle   string `json:"world_title,omitempty"`
	WorldSummary string `json:"world_description,omitempty"`
}

// Routes registers /places/api/….
func (s *Service) Routes(mux *http.ServeMux) {
	h := httpx.Under(mux, Prefix)
	h("GET /places", s.list)
	h("POST /places", s.byIDs)
	h("GET /places/{id}", s.one)
	h("GET /places/{id}/categories", s.placeCategories)
	h("POST /places/status", s.status)
	h("PATCH /places/{id}/likes", s.like)
	h("PATCH /places/{id}/favorites", s.favorite)
	h("GET /categories", s.categories)
	h("GET /destinations", s.list)
	h("GET /worlds", s.list)
	h("GET /worlds/{id}", s.one)
	h("PATCH /worlds/{id}/likes", s.like)
	h("PATCH /worlds/{id}/favorites", s.favorite)
	h("GET /world_names", s.worldNames)
	h("GET /map", s.list)
	h("GET /map/places", s.list)
	h("POST /reportSignedUrl", s.reportURL)
	h("PUT /reports/{name}", s.putReport)
	h("GET /reports/{name}", s.getReport)
	h("POST /destinations", s.byIDs)
	s.adminRoutes(mux)
}

const timeLayout = "2006-01-02T15:04:05.999999999Z07:00"

// ok is the gatsby services' envelope.
var (
	ok    = httpx.Envelope
	fail  = httpx.EnvelopeError
	newID = httpx.UUID
)

// maxFilter bounds the positions and categories a list may ask.
const maxFilter = 1000

// view is a place as answered: with the image's URL, the like rate, the
// caller's marks and the people on it now.
func (s *Service) view(ctx context.Context, r *http.Request, p *Place, user string) map[string]any {
	b, _ := json.Marshal(p)
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"image_raw", "hidden", "world_title", "world_description"} {
		delete(m, k)
	}
	image := p.Image
	if image != "" && !strings.Contains(image, "://") {
		files := "/content/contents/"
		if p.World {
			files = "/worlds/contents/" // a world's files are the worlds content server's
		}
		image = httpx.BaseURL(r, s.cfg.PublicURL) + files + image
	}
	m["image"] = image
	var rate any
	if n := p.Likes + p.Dislikes; n > 0 {
		rate = float64(p.Likes) / float64(n)
	}
	m["like_rate"], m["like_score"] = rate, rate
	like, dislike, fav := false, false, false
	if user != "" {
		if v, err := s.ks.Get(ctx, "like/"+p.ID+"/"+user); err == nil {
			like, dislike = string(v) == "1", string(v) == "-1"
		}
		_, err := s.ks.Get(ctx, "fav/"+p.ID+"/"+user)
		fav = err == nil
	}
	m["user_like"], m["user_dislike"], m["user_favorite"] = like, dislike, fav
	count, realms := 0, []Realm{}
	if s.cfg.People != nil && !p.World { // a world's positions are not Genesis City's
		count, realms = s.cfg.People(p.Positions)
	}
	m["user_count"], m["user_visits"], m["realms_detail"] = count, 0, realms
	return m
}

// user is the optional signer of a request (signed fetch only when its
// headers are there, as gatsby's auth() does); false after a refusal.
func (s *Service) user(w http.ResponseWriter, r *http.Request) (string, bool) {
	if r.Header.Get(authchain.HeaderChainPrefix+"0") == "" {
		return "", true
	}
	req, ok := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute)
	return req.Signer, ok
}

func (s *Service) list(w http.ResponseWriter, r *http.Request) {
	user, okUser := s.user(w, r)
	if !okUser {
		return
	}
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	// /map answers an object by base position, up to 1000 at a time.
	isMap := strings.HasSuffix(r.URL.Path, "/map")
	maxLimit := 100
	if isMap {
		maxLimit = maxFilter
	}
	limit := maxLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			fail(w, http.StatusBadRequest, "limit must be a number")
			return
		}
		limit = min(n, maxLimit)
	}
	if offset < 0 {
		fail(w, http.StatusBadRequest, "offset must be a number from 0")
		return
	}
	positions := httpx.Values(r, "positions")
	categories := httpx.Values(r, "categories")
	if len(positions) > maxFilter || len(categories) > maxFilter {
		fail(w, http.StatusBadRequest, fmt.Sprintf("at most %d positions and %d categories", maxFilter, maxFilter))
		return
	}
	search := strings.ToLower(strings.TrimSpace(q.Get("search")))
	creator := strings.ToLower(q.Get("creator_address"))
	onlyFav := q.Get("only_favorites") == "true"
	onlyHighlighted := q.Get("only_highlighted") == "true"
	if onlyFav && user == "" {
		fail(w, http.StatusUnauthorized, "only_favorites needs a signed request")
		return
	}
	var list []*Place
	var err error
	if len(positions) > 0 {
		list, err = s.onPositions(r.Context(), positions)
	} else {
		list, err = s.all(r.Context())
	}
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	// /places lists Genesis City's, /worlds the worlds, /destinations both.
	worlds := strings.HasSuffix(r.URL.Path, "/worlds")
	places := isMap || strings.HasSuffix(r.URL.Path, "/api/places")
	names := httpx.Values(r, "names")
	if len(names) > maxFilter {
		fail(w, http.StatusBadRequest, fmt.Sprintf("at most %d names", maxFilter))
		return
	}
	for i := range names {
		names[i] = strings.ToLower(names[i])
	}
	var kept []*Place
	for _, p := range list {
		if worlds && !p.World || places && p.World || len(names) > 0 && (!p.World || !slices.Contains(names, p.ID)) {
			continue
		}
		if p.Disabled || (onlyHighlighted && !p.Highlighted) || (creator != "" && p.CreatorAddress != creator) {
			continue
		}
		if len(positions) > 0 && !slices.ContainsFunc(p.Positions, func(x string) bool { return slices.Contains(positions, x) }) {
			continue
		}
		if len(categories) > 0 && !slices.ContainsFunc(p.Categories, func(c string) bool { return slices.Contains(categories, c) }) {
			continue
		}
		if search != "" && !strings.Contains(strings.ToLower(p.Title+" "+p.Description), search) {
			continue
		}
		if onlyFav {
			if _, err := s.ks.Get(r.Context(), "fav/"+p.ID+"/"+user); err != nil {
				continue
			}
		}
		kept = append(kept, p)
	}
	order := q.Get("order_by")
	desc := q.Get("order") != "asc"
	rate := func(p *Place) float64 {
		if n := p.Likes + p.Dislikes; n > 0 {
			return float64(p.Likes) / float64(n)
		}
		return -1
	}
	slices.SortStableFunc(kept, func(a, b *Place) int {
		var c int
		switch order {
		case "created_at":
			c = strings.Compare(a.CreatedAt, b.CreatedAt)
		case "updated_at":
			c = strings.Compare(a.UpdatedAt, b.UpdatedAt)
		default: // like_score, most_active, user_visits: the like rate here
			switch ra, rb := rate(a), rate(b); {
			case ra < rb:
				c = -1
			case ra > rb:
				c = 1
			default:
				c = strings.Compare(a.UpdatedAt, b.UpdatedAt)
			}
		}
		if desc {
			c = -c
		}
		return c
	})
	total := len(kept)
	start := min(offset, total)
	page := kept[start:min(start+limit, total)]
	if isMap {
		byBase := make(map[string]any, len(page))
		for _, p := range page {
			v := s.view(r.Context(), r, p, user)
			delete(v, "positions")
			byBase[p.BasePosition] = v
		}
		ok(w, byBase, total)
		return
	}
	out := make([]map[string]any, len(page))
	for i, p := range page {
		out[i] = s.view(r.Context(), r, p, user)
	}
	ok(w, out, total)
}

func (s *Service) byIDs(w http.ResponseWriter, r *http.Request) {
	user, okUser := s.user(w, r)
	if !okUser {
		return
	}
	var ids []string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&ids); err != nil || len(ids) > 100 {
		fail(w, http.StatusBadRequest, "the body must be a list of at most 100 place ids")
		return
	}
	out := []map[string]any{}
	for _, id := range ids {
		if p, err := s.place(r.Context(), id); err == nil {
			out = append(out, s.view(r.Context(), r, p, user))
		}
	}
	ok(w, out, len(out))
}

func (s *Service) one(w http.ResponseWriter, r *http.Request) {
	user, okUser := s.user(w, r)
	if !okUser {
		return
	}
	p, err := s.place(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		fail(w, http.StatusNotFound, "Not found")
		return
	}
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	ok(w, s.view(r.Context(), r, p, user), -1)
}

func (s *Service) placeCategories(w http.ResponseWriter, r *http.Request) {
	p, err := s.place(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, http.StatusNotFound, "Not found")
		return
	}
	out := []map[string]any{}
	for _, c := range p.Categories {
		out = append(out, map[string]any{"name": c, "i18n": map[string]string{"en": categoryName(c)}})
	}
	ok(w, out, -1)
}

func (s *Service) status(w http.ResponseWriter, r *http.Request) {
	var ids []string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&ids); err != nil || len(ids) > 100 {
		fail(w, http.StatusBadRequest, "the body must be a list of at most 100 place ids")
		return
	}
	out := []map[string]any{}
	for _, id := range ids {
		if p, err := s.place(r.Context(), id); err == nil {
			out = append(out, map[string]any{"id": p.ID, "disabled": p.Disabled, "world": p.World, "updated_at": p.UpdatedAt})
		}
	}
	ok(w, out, -1)
}

// like: PATCH /places/:id/likes {like: true | false | null}.
func (s *Service) like(w http.ResponseWriter, r *http.Request) {
	user, okUser := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute)
	if !okUser {
		return
	}
	var body struct {
		Like *bool `json:"like"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&body); err != nil {
		fail(w, http.StatusBadRequest, "the body must be {\"like\": true | false | null}")
		return
	}
	var p *Place
	err := s.update(r.Context(), func(tx *txn) error {
		var err error
		if p, err = getPlace(tx, r.PathValue("id")); err != nil {
			return err
		}
		key := "like/" + p.ID + "/" + user.Signer
		was, _ := tx.Get(key)
		switch string(was) {
		case "1":
			p.Likes--
		case "-1":
			p.Dislikes--
		}
		switch {
		case body.Like == nil:
			err = tx.Delete(key)
		case *body.Like:
			p.Likes++
			err = tx.Set(key, []byte("1"))
		default:
			p.Dislikes++
			err = tx.Set(key, []byte("-1"))
		}
		if err != nil {
			return err
		}
		return tx.put(p)
	})
	if s.answerUpdate(w, r, err) {
		ok(w, map[string]any{"likes": p.Likes, "dislikes": p.Dislikes, "user_like": body.Like != nil && *body.Like,
			"user_dislike": body.Like != nil && !*body.Like}, -1)
	}
}

// favorite: PATCH /places/:id/favorites {favorites: bool}.
func (s *Service) favorite(w http.ResponseWriter, r *http.Request) {
	user, okUser := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute)
	if !okUser {
		return
	}
	var body struct {
		Favorites *bool `json:"favorites"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&body); err != nil || body.Favorites == nil {
		fail(w, http.StatusBadRequest, "the body must be {\"favorites\": true | false}")
		return
	}
	var p *Place
	err := s.update(r.Context(), func(tx *txn) error {
		var err error
		if p, err = getPlace(tx, r.PathValue("id")); err != nil {
			return err
		}
		key := "fav/" + p.ID + "/" + user.Signer
		_, had := tx.Get(key)
		switch {
		case *body.Favorites && had != nil:
			p.Favorites++
			err = tx.Set(key, []byte("1"))
		case !*body.Favorites && had == nil:
			p.Favorites--
			err = tx.Delete(key)
		}
		if err != nil {
			return err
		}
		return tx.put(p)
	})
	if s.answerUpdate(w, r, err) {
		ok(w, map[string]any{"favorites": p.Favorites, "user_favorite": *body.Favorites}, -1)
	}
}

func (s *Service) answerUpdate(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case errors.Is(err, store.ErrNotFound):
		fail(w, http.StatusNotFound, "Not found")
	case err != nil:
		httpx.Internal(w, s.log, r, err)
	}
	return err == nil
}

func getPlace(tx *txn, id string) (*Place, error) {
	v, err := tx.Get("p/" + id)
	if err != nil {
		return nil, err
	}
	var p Place
	return &p, json.Unmarshal(v, &p)
}

// The places' categories (decentraland/places' categories table).
var knownCategories = []string{"art", "crypto", "social", "game", "shop", "education", "music", "fashion", "casino", "sports", "business", "poi"}

func categoryName(c string) string {
	if c == "poi" {
		return "Point of Interest"
	}
	return strings.ToUpper(c[:1]) + c[1:]
}

func (s *Service) categories(w http.ResponseWriter, r *http.Request) {
	list, err := s.all(r.Context())
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	count := map[string]int{}
	for _, p := range list {
		if !p.Disabled {
			for _, c := range p.Categories {
				count[c]++
			}
		}
	}
	out := make([]map[string]any, 0, len(knownCategories))
	for _, c := range knownCategories {
		out = append(out, map[string]any{"name": c, "active": true, "count": count[c], "i18n": map[string]string{"en": categoryName(c)}})
	}
	ok(w, out, -1)
}

// GET /world_names: the names of the worlds listed.
func (s *Service) worldNames(w http.ResponseWriter, r *http.Request) {
	list, err := s.all(r.Context())
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	names := []string{}
	for _, p := range list {
		if p.World && !p.Disabled {
			names = append(names, p.ID)
		}
	}
	ok(w, names, -1)
}
