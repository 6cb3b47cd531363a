package assetbundles

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// maxPointerLength bounds one pointer (an item URN is under 200 bytes).
const maxPointerLength = 512

// ParsePointers reads {pointers: [string]} as /entities/active takes
// it: at least one and at most MaxPointers pointers, each non-empty,
// without slashes or control characters; lower-cased, each once.
func ParsePointers(body []byte) ([]string, error) {
	var in struct {
		Pointers json.RawMessage `json:"pointers"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, errors.New("the body must be {\"pointers\": [string]}")
	}
	var list []json.RawMessage
	if len(in.Pointers) == 0 || string(in.Pointers) == "null" || json.Unmarshal(in.Pointers, &list) != nil || len(list) == 0 {
		return nil, errors.New("No pointers provided")
	}
	if len(list) > MaxPointers {
		return nil, fmt.Errorf("at most %d pointers can be asked at once, got %d", MaxPointers, len(list))
	}
	out := make([]string, 0, len(list))
	for _, raw := range list {
		var p string
		if json.Unmarshal(raw, &p) != nil || !validPointer(p) {
			return nil, fmt.Errorf("every pointer must be a string of 1 to %d bytes without slashes", maxPointerLength)
		}
		if p = strings.ToLower(p); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

func validPointer(p string) bool {
	if p == "" || len(p) > maxPointerLength {
		return false
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f || c == '/' {
			return false
		}
	}
	return true
}

// worldParam is ?world_name, lower-cased ("" when absent).
func worldParam(r *http.Request) (string, bool) {
	w := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("world_name")))
	return w, len(w) <= 255 && !strings.Contains(w, "/")
}

func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body must be at most %d bytes", limit))
		return nil, false
	}
	return body, true
}

// pointersRequest reads the pointers and the scope of /entities/active
// and /versions; false after answering a refusal.
func pointersRequest(w http.ResponseWriter, r *http.Request) (string, []string, bool) {
	world, ok := worldParam(r)
	if !ok {
		fail(w, http.StatusBadRequest, "world_name must be a world name")
		return "", nil, false
	}
	body, ok := readBody(w, r, maxBody)
	if !ok {
		return "", nil, false
	}
	pointers, err := ParsePointers(body)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return "", nil, false
	}
	return world, pointers, true
}

// served returns the entries explorers load on the pointers of a scope,
// newest first: served ones, not denylisted, and of those only the ones
// no newer served entry shares a pointer with.
func (s *Service) served(ctx context.Context, world string, pointers []string) ([]*record, error) {
	var out []*record
	err := func(tx reader) error {
		denied := map[string]bool{}
		isDenied := func(id string) (bool, error) {
			id = strings.ToLower(id)
			if v, ok := denied[id]; ok {
				return v, nil
			}
			_, err := tx.Get(kDeny + id)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return false, err
			}
			denied[id] = err == nil
			return err == nil, nil
		}
		live := func(recs []*record) ([]*record, error) {
			var kept []*record
			for _, rec := range recs {
				d, err := isDenied(rec.ID)
				if err != nil {
					return nil, err
				}
				if servable(rec.Status) && !d {
					kept = append(kept, rec)
				}
			}
			return kept, nil
		}
		found, err := onPointers(tx, world, pointers, "")
		if err != nil {
			return err
		}
		if found, err = live(found); err != nil {
			return err
		}
		for _, rec := range found {
			around, err := onPointers(tx, world, rec.Pointers, rec.ID)
			if err != nil {
				return err
			}
			if around, err = live(around); err != nil {
				return err
			}
			if !slices.ContainsFunc(around, func(o *record) bool { return newerThan(o, rec) }) {
				out = append(out, rec)
			}
		}
		return nil
	}(newMemo(view{ctx, s.ks}))
	slices.SortFunc(out, func(a, b *record) int {
		if newerThan(a, b) {
			return -1
		}
		return 1
	})
	return out, err
}

// newerThan orders entries by timestamp, then id.
func newerThan(a, b *record) bool {
	if a.Timestamp != b.Timestamp {
		return a.Timestamp > b.Timestamp
	}
	return a.ID > b.ID
}

// active is POST /entities/active {pointers} ?world_name: the entries to
// load.
func (s *Service) active(w http.ResponseWriter, r *http.Request) {
	world, pointers, ok := pointersRequest(w, r)
	if !ok {
		return
	}
	recs, err := s.served(r.Context(), world, pointers)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	out := make([]Registry, len(recs))
	for i, rec := range recs {
		out[i] = rec.Registry
	}
	httpx.JSON(w, http.StatusOK, out)
}

// versions is POST /entities/versions: the served entries' pointers,
// versions, bundles and status.
func (s *Service) versions(w http.ResponseWriter, r *http.Request) {
	world, pointers, ok := pointersRequest(w, r)
	if !ok {
		return
	}
	recs, err := s.served(r.Context(), world, pointers)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	out := make([]map[string]any, len(recs))
	for i, rec := range recs {
		out[i] = map[string]any{"pointers": rec.Pointers, "versions": rec.Versions, "bundles": rec.Bundles, "status": rec.Status}
	}
	httpx.JSON(w, http.StatusOK, out)
}

// EntityStatus is the original's EntityStatus.
type EntityStatus struct {
	EntityID     string            `json:"entityId"`
	Complete     bool              `json:"complete"`
	AssetBundles map[string]string `json:"assetBundles"`
	Lods         map[string]string `json:"lods"`
	Catalyst     string            `json:"catalyst"`
}

func statusOfRecord(rec *record) EntityStatus {
	or := func(v string) string {
		if v == "" {
			return bundlePending
		}
		return v
	}
	a, l := rec.Bundles.Assets, rec.Bundles.Lods
	return EntityStatus{
		EntityID: rec.ID, Catalyst: bundleComplete, // an entry exists only for a stored entity
		Complete:     a.Mac == bundleComplete && a.Windows == bundleComplete,
		AssetBundles: map[string]string{"mac": or(a.Mac), "windows": or(a.Windows)},
		Lods:         map[string]string{"mac": or(l.Mac), "windows": or(l.Windows)},
	}
}

// entityStatus is GET /entities/status/:id ?world_name: an entry's
// status by entity id, or the newest entry on a pointer.
func (s *Service) entityStatus(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	world, ok := worldParam(r)
	if !ok || !validPointer(id) {
		fail(w, http.StatusBadRequest, "an entity id or a pointer is required")
		return
	}
	rec, err := s.readRecord(r.Context(), id)
	if err == nil && rec == nil {
		var recs []*record
		recs, err = onPointers(view{r.Context(), s.ks}, world, []string{strings.ToLower(id)}, "")
		for _, o := range recs {
			if rec == nil || newerThan(o, rec) {
				rec = o
			}
		}
	}
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if rec == nil {
		fail(w, http.StatusNotFound, "No active entity found for the provided id or pointer")
		return
	}
	httpx.JSON(w, http.StatusOK, statusOfRecord(rec))
}

// ownStatuses is GET /entities/status (signed fetch): the statuses of the
// signer's entries, newest first.
func (s *Service) ownStatuses(w http.ResponseWriter, r *http.Request) {
	req, ok := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute)
	if !ok {
		return
	}
	var recs []*record
	prefix := kOwner + req.Signer + "/"
	err := func(tx reader) error {
		var ids []string
		if err := tx.Scan(prefix, func(name string, _ []byte) error {
			ids = append(ids, name[len(prefix):])
			return nil
		}); err != nil {
			return err
		}
		for _, id := range ids {
			rec, err := getRecord(tx, id)
			if err != nil {
				return err
			}
			if rec != nil {
				recs = append(recs, rec)
			}
		}
		return nil
	}(view{r.Context(), s.ks})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	slices.SortFunc(recs, func(a, b *record) int {
		if newerThan(a, b) {
			return -1
		}
		return 1
	})
	out := []EntityStatus{}
	for _, rec := range recs[:min(len(recs), MaxOwned)] {
		out = append(out, statusOfRecord(rec))
	}
	httpx.JSON(w, http.StatusOK, out)
}

// ParseIDs reads {ids: [string]} as the profile routes take it: at most
// MaxProfiles non-empty strings.
func ParseIDs(body []byte) ([]string, error) {
	var in struct {
		IDs json.RawMessage `json:"ids"`
	}
	bad := errors.New("The ids property must be an array of non-empty strings")
	if json.Unmarshal(body, &in) != nil {
		return nil, bad
	}
	var list []json.RawMessage
	if json.Unmarshal(in.IDs, &list) != nil || list == nil {
		return nil, bad
	}
	if len(list) > MaxProfiles {
		return nil, fmt.Errorf("A maximum of %d ids can be requested at once, got %d", MaxProfiles, len(list))
	}
	out := make([]string, 0, len(list))
	for _, raw := range list {
		var id string
		if json.Unmarshal(raw, &id) != nil || id == "" || len(id) > maxPointerLength {
			return nil, bad
		}
		if id = strings.ToLower(id); !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// profileEntities are the active profiles of the ids, in their order.
func (s *Service) profileEntities(w http.ResponseWriter, r *http.Request) ([]*store.Deployment, bool) {
	body, ok := readBody(w, r, maxBody)
	if !ok {
		return nil, false
	}
	ids, err := ParseIDs(body)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return nil, false
	}
	found, err := s.cfg.Store.ActiveByPointers(r.Context(), ids)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return nil, false
	}
	byPointer := map[string]*store.Deployment{}
	for _, d := range found {
		if d.Type == entity.Profile && len(d.Pointers) > 0 {
			byPointer[strings.ToLower(d.Pointers[0])] = d
		}
	}
	var out []*store.Deployment
	for _, id := range ids {
		if d := byPointer[id]; d != nil {
			out = append(out, d)
		}
	}
	return out, true
}

func decodeAvatars(d *store.Deployment) []map[string]any {
	var meta struct {
		Avatars []map[string]any `json:"avatars"`
	}
	dec := json.NewDecoder(bytes.NewReader(d.Metadata))
	dec.UseNumber()
	if dec.Decode(&meta) != nil {
		return nil
	}
	return meta.Avatars
}

// profiles is POST /profiles {ids}: [{timestamp, avatars}] with the
// snapshots as profile-images URLs.
func (s *Service) profiles(w http.ResponseWriter, r *http.Request) {
	list, ok := s.profileEntities(w, r)
	if !ok {
		return
	}
	out := []map[string]any{}
	for _, d := range list {
		avatars := decodeAvatars(d)
		if avatars == nil {
			avatars = []map[string]any{}
		}
		for _, a := range avatars {
			if avatar, ok := a["avatar"].(map[string]any); ok {
				avatar["snapshots"] = map[string]string{
					"face256": s.cfg.ProfileImagesURL + "/entities/" + d.ID + "/face.png",
					"body":    s.cfg.ProfileImagesURL + "/entities/" + d.ID + "/body.png",
				}
			}
		}
		out = append(out, map[string]any{"timestamp": d.Timestamp, "avatars": avatars})
	}
	httpx.JSON(w, http.StatusOK, out)
}

// profilesMetadata is POST /profiles/metadata {ids}: [{pointer,
// hasClaimedName, name, nameColor?, thumbnailUrl}].
func (s *Service) profilesMetadata(w http.ResponseWriter, r *http.Request) {
	list, ok := s.profileEntities(w, r)
	if !ok {
		return
	}
	out := []map[string]any{}
	for _, d := range list {
		avatars := decodeAvatars(d)
		if len(avatars) == 0 {
			continue
		}
		a := avatars[0]
		claimed, _ := a["hasClaimedName"].(bool)
		name, _ := a["name"].(string)
		m := map[string]any{"pointer": strings.ToLower(d.Pointers[0]), "hasClaimedName": claimed, "name": name,
			"thumbnailUrl": s.cfg.ProfileImagesURL + "/entities/" + d.ID + "/face.png"}
		if c, ok := a["nameColor"]; ok {
			m["nameColor"] = c
		}
		out = append(out, m)
	}
	httpx.JSON(w, http.StatusOK, out)
}

// validWorldName is the manifest's check: a NAME (`name.dcl.eth`) or an
// ENS name (`name.eth`).
func validWorldName(name string) bool {
	label, ok := strings.CutSuffix(strings.ToLower(name), ".eth")
	label = strings.TrimSuffix(label, ".dcl")
	if !ok || label == "" || len(label) > 100 {
		return false
	}
	for _, c := range label {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// worldManifest is GET /worlds/:worldName/manifest: {occupied,
// spawn_coordinate: {x, y}, total}.
func (s *Service) worldManifest(w http.ResponseWriter, r *http.Request) {
	world := strings.ToLower(r.PathValue("worldName"))
	if !validWorldName(world) {
		fail(w, http.StatusBadRequest, "A valid world name is required")
		return
	}
	occupied := []string{}
	var stored *spawn
	err := func(tx reader) error {
		recs, err := worldRecords(tx, world)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			for _, p := range rec.Pointers {
				if servable(rec.Status) && !slices.Contains(occupied, p) {
					occupied = append(occupied, p)
				}
			}
		}
		v, err := tx.Get(kSpawn + world)
		if err == nil {
			stored = &spawn{}
			return json.Unmarshal(v, stored)
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}(view{r.Context(), s.ks})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	slices.Sort(occupied)
	at := spawnOf(occupied, stored)
	httpx.JSON(w, http.StatusOK, map[string]any{"occupied": occupied, "spawn_coordinate": at, "total": len(occupied)})
}

// spawnOf is the user-set spawn while it is inside the parcels' bounds,
// else the parcel nearest their centroid, else 0,0.
func spawnOf(parcels []string, stored *spawn) spawn {
	var xs, ys []int
	for _, p := range parcels {
		if x, y, ok := parseParcel(p); ok {
			xs, ys = append(xs, x), append(ys, y)
		}
	}
	if len(xs) == 0 {
		return spawn{}
	}
	if stored != nil && stored.X >= slices.Min(xs) && stored.X <= slices.Max(xs) && stored.Y >= slices.Min(ys) && stored.Y <= slices.Max(ys) {
		return *stored
	}
	var sx, sy float64
	for i := range xs {
		sx, sy = sx+float64(xs[i]), sy+float64(ys[i])
	}
	cx, cy := sx/float64(len(xs)), sy/float64(len(xs))
	best, bestD := 0, -1.0
	for i := range xs {
		dx, dy := float64(xs[i])-cx, float64(ys[i])-cy
		if d := dx*dx + dy*dy; bestD < 0 || d < bestD {
			best, bestD = i, d
		}
	}
	return spawn{X: xs[best], Y: ys[best]}
}

// ParseEntityIDs reads {entityIds: [string]} as /registry takes it: 1 to
// MaxEntityIDs entity ids, each once.
func ParseEntityIDs(body []byte) ([]string, error) {
	var in struct {
		EntityIDs json.RawMessage `json:"entityIds"`
	}
	if json.Unmarshal(body, &in) != nil {
		return nil, errors.New("the body must be {\"entityIds\": [string]}")
	}
	var list []string
	if len(in.EntityIDs) == 0 || string(in.EntityIDs) == "null" || json.Unmarshal(in.EntityIDs, &list) != nil || len(list) == 0 {
		return nil, errors.New("No entity ids provided")
	}
	if len(list) > MaxEntityIDs {
		return nil, fmt.Errorf("at most %d entity ids at once", MaxEntityIDs)
	}
	var out []string
	for _, id := range list {
		if !validEntityID(id) {
			return nil, fmt.Errorf("%q is not an entity id", truncate(id))
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// register is POST /registry {entityIds} (admin): entries for entities
// the node stores (an existing entry has its status computed again).
func (s *Service) register(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r, maxBody)
	if !ok {
		return
	}
	ids, err := ParseEntityIDs(body)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	failures, successes := []map[string]any{}, []map[string]any{}
	for _, id := range ids {
		fresh, err := s.lookupEntity(r.Context(), id)
		if err == nil && fresh == nil {
			var old *record
			if old, err = s.readRecord(r.Context(), id); err == nil && old == nil {
				failures = append(failures, map[string]any{"entityId": id, "error": "Entity not found in catalyst"})
				continue
			}
		}
		if err == nil {
			err = s.update(r.Context(), func(tx *store.KeyspaceTxn) error {
				rec, err := getRecord(tx, id)
				if err != nil {
					return err
				}
				if rec == nil {
					if fresh == nil {
						return errUnknownEntity
					}
					rec = fresh
				}
				return s.persist(tx, rec)
			})
		}
		if err != nil {
			failures = append(failures, map[string]any{"entityId": id, "error": err.Error()})
			continue
		}
		successes = append(successes, map[string]any{"entityId": id})
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"failures": failures, "successes": successes})
}

// unregister is DELETE /registry {entityIds} (admin): entries removed.
func (s *Service) unregister(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r, maxBody)
	if !ok {
		return
	}
	ids, err := ParseEntityIDs(body)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	deleted := 0
	err = s.update(r.Context(), func(tx *store.KeyspaceTxn) error {
		for _, id := range ids {
			rec, err := getRecord(tx, id)
			if err != nil {
				return err
			}
			if rec != nil {
				deleted++
				if err := remove(tx, rec); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "deleted": deleted})
}
