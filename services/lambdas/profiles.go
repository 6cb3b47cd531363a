package lambdas

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// maxProfileIDs bounds POST /profiles.
const maxProfileIDs = 1000

// rendered is a profile as lamb2 answers it, or the fact that there is
// none.
type rendered struct {
	json      []byte // nil: no profile on that pointer
	timestamp int64  // the entity's, ms
}

// profileCache keeps rendered profiles by pointer until a deployment on
// that pointer applies (Service.Applied). A render that raced with a
// deployment is not kept: each pointer has a generation, bumped by every
// forget, and a render stores only if its generation still holds.
type profileCache struct {
	lru          *lru.Cache[string, rendered]
	mu           sync.Mutex
	gen          map[string]uint64 // pointer → the epoch it was last forgotten at
	epoch        uint64
	clearedAt    uint64 // gen was emptied at this epoch
	hits, misses prometheus.Counter
}

func newProfileCache(size int, reg prometheus.Registerer) *profileCache {
	c, _ := lru.New[string, rendered](size)
	pc := &profileCache{
		lru: c, gen: map[string]uint64{},
		hits:   prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_lambdas_profile_cache_hits_total", Help: "Profiles answered from the rendered cache."}),
		misses: prometheus.NewCounter(prometheus.CounterOpts{Name: "catalyst_lambdas_profile_cache_misses_total", Help: "Profiles rendered from the store."}),
	}
	if reg != nil {
		reg.MustRegister(pc.hits, pc.misses)
	}
	return pc
}

// generation is the current epoch, taken before a render.
func (c *profileCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

func (c *profileCache) forget(pointers []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for _, p := range pointers {
		p = strings.ToLower(p)
		c.lru.Remove(p)
		c.gen[p] = c.epoch
	}
	if len(c.gen) > 100000 { // only renders in flight need them
		clear(c.gen)
		c.clearedAt = c.epoch
	}
}

// store keeps a render made at generation g unless its pointer was
// forgotten since.
func (c *profileCache) store(pointer string, g uint64, r rendered) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen[pointer] > g || c.clearedAt > g {
		return
	}
	c.lru.Add(pointer, r)
}

// profiles answers the rendered profiles of ids (lower-cased pointers),
// in order, from the cache or the store.
func (s *Service) profilesOf(ctx context.Context, ids []string) ([]rendered, error) {
	out := make([]rendered, len(ids))
	var missing []string
	for i, id := range ids {
		if r, ok := s.profiles.lru.Get(id); ok {
			s.profiles.hits.Inc()
			out[i] = r
			continue
		}
		missing = append(missing, id)
	}
	if len(missing) == 0 {
		return out, nil
	}
	s.profiles.misses.Add(float64(len(missing)))
	g := s.profiles.generation()
	ds, err := s.cfg.Store.ActiveByPointers(ctx, missing)
	if err != nil {
		return nil, err
	}
	byPointer := map[string]rendered{}
	for _, d := range ds {
		if d.Type != entity.Profile || len(d.Pointers) == 0 {
			continue
		}
		raw, err := s.render(ctx, d)
		if err != nil {
			s.log.Warn("profile not rendered", "entity", d.ID, "err", err)
			continue
		}
		byPointer[strings.ToLower(d.Pointers[0])] = rendered{json: raw, timestamp: d.Timestamp}
	}
	for i, id := range ids {
		if out[i].json != nil {
			continue
		}
		r := byPointer[id]
		out[i] = r
		s.profiles.store(id, g, r)
	}
	return out, nil
}

// render builds lamb2's profile from a profile entity: {timestamp,
// avatars}, snapshots as profile-images URLs, items and the claimed name
// checked against the chain when there is one.
func (s *Service) render(ctx context.Context, d *store.Deployment) ([]byte, error) {
	var meta struct {
		Avatars []map[string]any `json:"avatars"`
	}
	dec := json.NewDecoder(bytes.NewReader(d.Metadata))
	dec.UseNumber()
	if err := dec.Decode(&meta); err != nil {
		return nil, err
	}
	owner := strings.ToLower(d.Pointers[0])
	stock := strings.HasPrefix(owner, "default")
	var names map[string]bool
	if s.cfg.Chain != nil && !stock {
		list, err := s.cfg.Chain.Names(ctx, owner)
		if err != nil {
			return nil, err
		}
		names = map[string]bool{}
		for _, n := range list {
			names[strings.ToLower(n)] = true
		}
	}
	for _, a := range meta.Avatars {
		avatar, _ := a["avatar"].(map[string]any)
		if avatar == nil {
			avatar = map[string]any{}
			a["avatar"] = avatar
		}
		avatar["snapshots"] = map[string]string{
			"face256": s.cfg.ProfileImagesURL + "/entities/" + d.ID + "/face.png",
			"body":    s.cfg.ProfileImagesURL + "/entities/" + d.ID + "/body.png",
		}
		if names != nil {
			name, _ := a["name"].(string)
			a["hasClaimedName"] = names[strings.ToLower(name)]
		}
		if s.cfg.Chain != nil && !stock {
			if err := s.ownedItems(ctx, owner, avatar); err != nil {
				return nil, err
			}
		}
	}
	if meta.Avatars == nil {
		meta.Avatars = []map[string]any{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(map[string]any{"timestamp": d.Timestamp, "avatars": meta.Avatars})
	return bytes.TrimSpace(buf.Bytes()), err
}

// ownedItems keeps the worn wearables and emotes owner owns: base
// wearables and base emotes always.
func (s *Service) ownedItems(ctx context.Context, owner string, avatar map[string]any) error {
	wearables, _ := avatar["wearables"].([]any)
	emotes, _ := avatar["emotes"].([]any)
	var ask []string
	for _, w := range wearables {
		if u, ok := w.(string); ok && !isBaseItem(u) {
			ask = append(ask, u)
		}
	}
	for _, e := range emotes {
		if m, ok := e.(map[string]any); ok {
			if u, ok := m["urn"].(string); ok && !isBaseItem(u) {
				ask = append(ask, u)
			}
		}
	}
	if len(ask) == 0 {
		return nil
	}
	owned, err := s.cfg.Chain.Owned(ctx, owner, ask)
	if err != nil {
		return err
	}
	keep := []any{}
	for _, w := range wearables {
		if u, ok := w.(string); ok && (isBaseItem(u) || owned[u]) {
			keep = append(keep, u)
		}
	}
	avatar["wearables"] = keep
	keepEmotes := []any{}
	for _, e := range emotes {
		m, _ := e.(map[string]any)
		u, _ := m["urn"].(string)
		if isBaseItem(u) || owned[u] {
			keepEmotes = append(keepEmotes, e)
		}
	}
	avatar["emotes"] = keepEmotes
	return nil
}

// isBaseItem is an item every user has: base wearables, base emotes
// (plain names such as "wave", or base-emotes urns).
func isBaseItem(urn string) bool {
	return strings.Contains(urn, "base-avatars") || !strings.Contains(urn, ":") || strings.Contains(urn, "urn:decentraland:off-chain:base-emotes")
}

// POST /profiles {ids} → [profile…], the missing ones left out; 304 when
// none changed since If-Modified-Since.
func (s *Service) postProfiles(w http.ResponseWriter, r *http.Request) {
	var body struct {
		IDs []string `json:"ids"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 256<<10)).Decode(&body); err != nil {
		badRequest(w, "body must be JSON {ids: [address, …]}")
		return
	}
	s.answerProfiles(w, r, body.IDs)
}

// GET /profiles?id=…&id=… is the legacy lambdas' form of the same.
func (s *Service) getProfiles(w http.ResponseWriter, r *http.Request) {
	s.answerProfiles(w, r, httpx.Values(r, "id"))
}

func (s *Service) answerProfiles(w http.ResponseWriter, r *http.Request, asked []string) {
	if len(asked) > maxProfileIDs {
		badRequest(w, "at most 1000 ids")
		return
	}
	ids := make([]string, 0, len(asked))
	seen := map[string]bool{}
	for _, id := range asked {
		id = strings.ToLower(strings.TrimSpace(id))
		if id != "" && !seen[id] && len(id) <= 64 {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	profiles, err := s.profilesOf(r.Context(), ids)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if since, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil {
		modified := false
		for _, p := range profiles {
			if p.json != nil && time.UnixMilli(p.timestamp).Truncate(time.Second).After(since) {
				modified = true
			}
		}
		if !modified {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	var buf bytes.Buffer
	buf.WriteByte('[')
	n := 0
	for _, p := range profiles {
		if p.json == nil {
			continue
		}
		if n > 0 {
			buf.WriteByte(',')
		}
		buf.Write(p.json)
		n++
	}
	buf.WriteByte(']')
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(buf.Bytes())
}

func (s *Service) oneProfile(w http.ResponseWriter, r *http.Request) (rendered, bool) {
	id := strings.ToLower(r.PathValue("id"))
	if len(id) > 64 {
		badRequest(w, "invalid id")
		return rendered{}, false
	}
	ps, err := s.profilesOf(r.Context(), []string{id})
	if err != nil {
		s.internal(w, r, err)
		return rendered{}, false
	}
	return ps[0], true
}

// GET /profiles/:id → the profile, or 404.
func (s *Service) getProfile(w http.ResponseWriter, r *http.Request) {
	p, ok := s.oneProfile(w, r)
	if !ok {
		return
	}
	if p.json == nil {
		notFound(w, "Profile not found")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(p.json)
}

// GET /profile/:id (legacy) → the profile, or 200 {avatars:[], timestamp:0}.
func (s *Service) getLegacyProfile(w http.ResponseWriter, r *http.Request) {
	p, ok := s.oneProfile(w, r)
	if !ok {
		return
	}
	if p.json == nil {
		httpx.JSON(w, http.StatusOK, map[string]any{"avatars": []any{}, "timestamp": 0})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(p.json)
}

// GET /outfits/:id → the outfits entity at <address>:outfits, or 404.
func (s *Service) outfits(w http.ResponseWriter, r *http.Request) {
	id := strings.ToLower(r.PathValue("id"))
	if !strings.HasSuffix(id, ":outfits") {
		id += ":outfits"
	}
	ds, err := s.cfg.Store.ActiveByPointers(r.Context(), []string{id})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	for _, d := range ds {
		if d.Type != entity.Outfits {
			continue
		}
		meta := map[string]any{}
		json.Unmarshal(d.Metadata, &meta)
		if _, ok := meta["namesForExtraSlots"]; !ok {
			meta["namesForExtraSlots"] = []string{}
		}
		httpx.JSON(w, http.StatusOK, map[string]any{
			"version": d.Version, "id": d.ID, "type": d.Type, "pointers": d.Pointers, "timestamp": d.Timestamp,
			"content": d.Content, "metadata": meta,
		})
		return
	}
	notFound(w, "Outfits not found")
}
