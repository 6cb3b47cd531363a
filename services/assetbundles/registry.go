package assetbundles

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// Status is an entry's status (Registry.Status of the original).
type Status string

// The entry statuses.
const (
	Complete Status = "complete"
	Pending  Status = "pending"
	Failed   Status = "failed"
	Obsolete Status = "obsolete"
	Fallback Status = "fallback"
)

// The per-platform bundle statuses (Registry.SimplifiedStatus).
const (
	bundlePending  = "pending"
	bundleComplete = "complete"
	bundleFailed   = "failed"
)

// Platforms is one status (or version) per platform.
type Platforms[T any] struct {
	Windows T `json:"windows"`
	Mac     T `json:"mac"`
	Webgl   T `json:"webgl"`
}

// at returns the platform's field (nil for an unknown platform).
func (p *Platforms[T]) at(platform string) *T {
	switch platform {
	case "windows":
		return &p.Windows
	case "mac":
		return &p.Mac
	case "webgl":
		return &p.Webgl
	}
	return nil
}

// Bundles are an entry's bundle statuses: its assets and its LODs.
type Bundles struct {
	Assets Platforms[string] `json:"assets"`
	Lods   Platforms[string] `json:"lods"`
}

// BuildVersion is the converter's version of one platform's bundles.
type BuildVersion struct {
	Version   string `json:"version"`
	BuildDate string `json:"buildDate"`
}

// Versions are an entry's bundle versions.
type Versions struct {
	Assets Platforms[BuildVersion] `json:"assets"`
}

// Registry is an entry as the original's Registry.DbEntity: the entity
// (without its version) with its deployer, status, bundles and versions.
type Registry struct {
	ID        string               `json:"id"`
	Type      string               `json:"type"`
	Timestamp int64                `json:"timestamp"`
	Pointers  []string             `json:"pointers"`
	Content   []entity.ContentItem `json:"content"`
	Metadata  json.RawMessage      `json:"metadata,omitempty"`
	Deployer  string               `json:"deployer"`
	Status    Status               `json:"status"`
	Bundles   Bundles              `json:"bundles"`
	Versions  Versions             `json:"versions"`
}

// record is an entry as kept: with the world it belongs to ("" for
// Genesis City), the scope of its pointers.
type record struct {
	Registry
	World string `json:"world,omitempty"`
}

// Keys of the keyspace:
//
//	r/<id lower-cased>                      → record
//	p/<scope>/<pointer>/<id lower-cased>    → "" (entries not obsolete)
//	o/<deployer>/<id lower-cased>           → ""
//	d/<id lower-cased>                      → denylist entry
//	s/<world>                               → the world's user-set spawn
//
// where scope is "g" for Genesis City and "w:<world>" for a world.
const (
	kRecord = "r/"
	kPtr    = "p/"
	kOwner  = "o/"
	kDeny   = "d/"
	kSpawn  = "s/"
)

func scopeOf(world string) string {
	if world == "" {
		return "g"
	}
	return "w:" + world
}

func ptrPrefix(world, pointer string) string { return kPtr + scopeOf(world) + "/" + pointer + "/" }

func recordKey(id string) string { return kRecord + strings.ToLower(id) }

// servable: an entry explorers are given (the original's COMPLETE or
// FALLBACK filter).
func servable(st Status) bool { return st == Complete || st == Fallback }

// coordinates are Genesis City coordinates, the only pointers a world
// entry keeps (the original's worlds adapter).
var coordinates = regexp.MustCompile(`^-?\d+,-?\d+$`)

// newRecord is a new entry of an entity: every platform pending.
func newRecord(id, typ string, e *entity.Entity, deployer, world string) *record {
	pending := Platforms[string]{Windows: bundlePending, Mac: bundlePending, Webgl: bundlePending}
	rec := &record{Registry: Registry{
		ID: id, Type: typ, Timestamp: e.Timestamp, Content: e.Content, Metadata: e.Metadata,
		Deployer: strings.ToLower(deployer), Status: Fallback, Bundles: Bundles{Assets: pending, Lods: pending},
	}, World: world}
	if rec.Content == nil {
		rec.Content = []entity.ContentItem{}
	}
	for _, p := range e.Pointers {
		p = strings.ToLower(p)
		if (world == "" || coordinates.MatchString(p)) && !slices.Contains(rec.Pointers, p) {
			rec.Pointers = append(rec.Pointers, p)
		}
	}
	if rec.Pointers == nil {
		rec.Pointers = []string{}
	}
	return rec
}

// worldOfMetadata is metadata.worldConfiguration.name, lower-cased: the
// original scopes an entry by it whatever server deployed it.
func worldOfMetadata(meta json.RawMessage) string {
	var m struct {
		WorldConfiguration *struct {
			Name string `json:"name"`
		} `json:"worldConfiguration"`
	}
	if json.Unmarshal(meta, &m) != nil || m.WorldConfiguration == nil {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(m.WorldConfiguration.Name))
}

// reader reads the keyspace: in a transaction (*store.KeyspaceTxn) or
// key by key (view).
type reader interface {
	Get(name string) ([]byte, error)
	Scan(prefix string, fn func(name string, value []byte) error) error
}

// view reads the keyspace outside a transaction: what the answers read,
// without a read-write transaction's cost.
type view struct {
	ctx context.Context
	ks  *store.Keyspace
}

func (v view) Get(name string) ([]byte, error) { return v.ks.Get(v.ctx, name) }

func (v view) Scan(prefix string, fn func(name string, value []byte) error) error {
	return v.ks.Scan(v.ctx, prefix, fn)
}

// memo is a reader that reads each key and prefix once (one answer's
// reads: its entries come up again when their neighbours are checked).
type memo struct {
	r       reader
	gets    map[string]memoGet
	scans   map[string][][2][]byte
	records map[string]*record // decoded, read only
}

type memoGet struct {
	v   []byte
	err error
}

func newMemo(r reader) *memo {
	return &memo{r: r, gets: map[string]memoGet{}, scans: map[string][][2][]byte{}, records: map[string]*record{}}
}

func (m *memo) Get(name string) ([]byte, error) {
	if g, ok := m.gets[name]; ok {
		return g.v, g.err
	}
	v, err := m.r.Get(name)
	m.gets[name] = memoGet{v, err}
	return v, err
}

func (m *memo) Scan(prefix string, fn func(name string, value []byte) error) error {
	kvs, ok := m.scans[prefix]
	if !ok {
		if err := m.r.Scan(prefix, func(name string, v []byte) error {
			kvs = append(kvs, [2][]byte{[]byte(name), append([]byte(nil), v...)})
			return nil
		}); err != nil {
			return err
		}
		m.scans[prefix] = kvs
	}
	for _, kv := range kvs {
		if err := fn(string(kv[0]), kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// getRecord reads an entry (nil, nil when there is none); through a
// memo, the entry is shared by its readers.
func getRecord(tx reader, id string) (*record, error) {
	if m, ok := tx.(*memo); ok {
		if rec, ok := m.records[recordKey(id)]; ok {
			return rec, nil
		}
		rec, err := decodeRecord(m.r, id)
		if err == nil {
			m.records[recordKey(id)] = rec
		}
		return rec, err
	}
	return decodeRecord(tx, id)
}

func decodeRecord(tx reader, id string) (*record, error) {
	v, err := tx.Get(recordKey(id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rec record
	return &rec, json.Unmarshal(v, &rec)
}

func (s *Service) readRecord(ctx context.Context, id string) (*record, error) {
	v, err := s.ks.Get(ctx, recordKey(id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rec record
	return &rec, json.Unmarshal(v, &rec)
}

// put writes an entry and its indexes: its pointers while it is not
// obsolete, none once it is.
func put(tx *store.KeyspaceTxn, rec *record) error {
	raw, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if err := tx.Set(recordKey(rec.ID), raw); err != nil {
		return err
	}
	id := strings.ToLower(rec.ID)
	for _, p := range rec.Pointers {
		k := ptrPrefix(rec.World, p) + id
		if rec.Status == Obsolete {
			err = tx.Delete(k)
		} else {
			err = tx.Set(k, nil)
		}
		if err != nil {
			return err
		}
	}
	if rec.Deployer != "" {
		return tx.Set(kOwner+rec.Deployer+"/"+id, nil)
	}
	return nil
}

// remove deletes an entry and its indexes.
func remove(tx *store.KeyspaceTxn, rec *record) error {
	id := strings.ToLower(rec.ID)
	for _, p := range rec.Pointers {
		if err := tx.Delete(ptrPrefix(rec.World, p) + id); err != nil {
			return err
		}
	}
	if rec.Deployer != "" {
		if err := tx.Delete(kOwner + rec.Deployer + "/" + id); err != nil {
			return err
		}
	}
	return tx.Delete(recordKey(rec.ID))
}

// onPointers returns the entries (not obsolete) on the pointers of a
// scope, each once, without the one of skip.
func onPointers(tx reader, world string, pointers []string, skip string) ([]*record, error) {
	seen := map[string]bool{strings.ToLower(skip): true}
	var out []*record
	for _, p := range pointers {
		prefix := ptrPrefix(world, p)
		var ids []string
		err := tx.Scan(prefix, func(name string, _ []byte) error {
			if id := name[len(prefix):]; !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			rec, err := getRecord(tx, id)
			if err != nil {
				return nil, err
			}
			if rec != nil && rec.Status != Obsolete {
				out = append(out, rec)
			}
		}
	}
	return out, nil
}

// persist writes rec with the status its related entries give it and
// rotates theirs, as the original's persistAndRotateStates: related
// entries are those sharing a pointer in the same scope and not
// obsolete. Newer served ones make rec obsolete; of the older ones the
// newest served one is rec's fallback (obsolete once rec is complete or
// obsolete), the rest become obsolete.
func (s *Service) persist(tx *store.KeyspaceTxn, rec *record) error {
	related, err := onPointers(tx, rec.World, rec.Pointers, rec.ID)
	if err != nil {
		return err
	}
	var newer, older []*record
	var fallback *record
	for _, o := range related {
		switch {
		case o.Timestamp > rec.Timestamp:
			newer = append(newer, o)
		case o.Timestamp < rec.Timestamp && servable(o.Status):
			if fallback == nil || o.Timestamp > fallback.Timestamp {
				if fallback != nil {
					older = append(older, fallback)
				}
				fallback = o
			} else {
				older = append(older, o)
			}
		default:
			older = append(older, o)
		}
	}
	rec.Status = statusOf(rec, newer)
	if err := put(tx, rec); err != nil {
		return err
	}
	s.entries.WithLabelValues(string(rec.Status)).Inc()
	for _, o := range older {
		o.Status = Obsolete
		if err := put(tx, o); err != nil {
			return err
		}
	}
	if fallback != nil {
		fallback.Status = Fallback
		if rec.Status == Obsolete || rec.Status == Complete {
			fallback.Status = Obsolete
		}
		return put(tx, fallback)
	}
	return nil
}

// statusOf is the original's determineRegistryStatus, with fallback for
// pending (this node's entries load raw) and no failed status (a failed
// conversion leaves the raw content loadable).
func statusOf(rec *record, newer []*record) Status {
	if slices.ContainsFunc(newer, func(o *record) bool { return servable(o.Status) }) {
		return Obsolete
	}
	if rec.Bundles.Assets.Mac == bundleComplete && rec.Bundles.Assets.Windows == bundleComplete {
		if slices.ContainsFunc(newer, func(o *record) bool { return o.Status == Pending }) {
			return Fallback
		}
		return Complete
	}
	return Fallback
}

// update runs fn in one transaction of the keyspace, one writer at a
// time.
func (s *Service) update(ctx context.Context, fn func(tx *store.KeyspaceTxn) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ks.Update(ctx, fn)
}

// register adds an entry for an entity unless it has one already; it
// reports whether it did.
func (s *Service) registerEntity(ctx context.Context, rec *record) (bool, error) {
	added := false
	err := s.update(ctx, func(tx *store.KeyspaceTxn) error {
		old, err := getRecord(tx, rec.ID)
		if err != nil || old != nil {
			return err
		}
		added = true
		return s.persist(tx, rec)
	})
	return added, err
}

// lookupEntity finds an entity the node stores (main store, then the
// worlds' store) as a new entry.
func (s *Service) lookupEntity(ctx context.Context, id string) (*record, error) {
	if d, err := s.cfg.Store.Get(ctx, id); err == nil {
		return recordOfDeployment(d), nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if s.cfg.Worlds != nil {
		d, err := s.cfg.Worlds.Get(ctx, id)
		if err == nil {
			world := worldOfMetadata(d.Metadata)
			return newRecord(d.ID, "world", &d.Entity, d.DeployedBy(), world), nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	return nil, nil
}

// recordOfDeployment is a new entry of a catalyst deployment: Genesis
// City's, whatever its metadata says of a world (the content server's
// entities are never a world's; the original files them by metadata).
func recordOfDeployment(d *store.Deployment) *record {
	return newRecord(d.ID, string(d.Type), &d.Entity, d.DeployedBy(), "")
}
