package marketplace

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// item is a collection item the node holds the entity of.
type item struct {
	urn      string // lower-case, without a token id
	kind     string // wearable | emote
	v1       bool   // collections v1 (Ethereum); else v2
	contract string // lower-case hex (v1: the address of its name, or the name when unknown)
	itemID   string // v2: decimal; v1: the item's name
	network  string // ETHEREUM | MATIC
	chainID  int

	name, description, rarity, category string
	bodyShapes                          []string
	smart, loop, sound, geometry        bool
	createdAt                           int64 // ms: the first entity of the item the node holds
	updatedAt                           int64 // ms: the active entity's
	deployer                            string
	lname                               string
	key                                 string // contract-itemId (the squid's item id)
}

func (it *item) id() string {
	if it.key == "" {
		return it.contract + "-" + it.itemID
	}
	return it.key
}

// index holds the catalog's items in memory: every active wearable and
// emote entity of a collection, read once at the first request and kept
// in step by the deployments of the bus (apply).
type index struct {
	st       *store.Store
	v1       map[string]string
	poll     bool // no bus: read again when older than maxAge
	now      func() time.Time
	loadMu   sync.Mutex // one load or apply at a time
	mu       sync.RWMutex
	loaded   bool
	loadedAt time.Time
	byURN    map[string]*item
	firstAt  map[string]int64 // urn → the earliest entity timestamp seen
	sorted   []*item          // by urn; nil: rebuild
}

const maxAge = 10 * time.Second

func newIndex(st *store.Store, v1 map[string]string, poll bool, now func() time.Time) *index {
	return &index{st: st, v1: v1, poll: poll, now: now}
}

// all are the items by urn; read them, never change them.
func (x *index) all(ctx context.Context) ([]*item, error) {
	if err := x.load(ctx); err != nil {
		return nil, err
	}
	x.mu.RLock()
	sorted := x.sorted
	x.mu.RUnlock()
	if sorted != nil {
		return sorted, nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.sorted == nil {
		list := make([]*item, 0, len(x.byURN))
		for _, it := range x.byURN {
			list = append(list, it)
		}
		slices.SortFunc(list, func(a, b *item) int { return strings.Compare(a.urn, b.urn) })
		x.sorted = list
	}
	return x.sorted, nil
}

// get is the item of urn (nil: the index has none).
func (x *index) get(ctx context.Context, urn string) (*item, error) {
	if err := x.load(ctx); err != nil {
		return nil, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.byURN[strings.ToLower(urn)], nil
}

func (x *index) load(ctx context.Context) error {
	x.mu.RLock()
	fresh := x.loaded && (!x.poll || x.now().Sub(x.loadedAt) < maxAge)
	x.mu.RUnlock()
	if fresh {
		return nil
	}
	x.loadMu.Lock()
	defer x.loadMu.Unlock()
	x.mu.RLock()
	fresh = x.loaded && (!x.poll || x.now().Sub(x.loadedAt) < maxAge)
	x.mu.RUnlock()
	if fresh {
		return nil
	}
	byURN := map[string]*item{}
	first := map[string]int64{}
	for _, typ := range []entity.Type{entity.Wearable, entity.Emote} {
		var ids []string
		err := x.st.ForEachActivePointer(ctx, typ, func(pointer, id string) error {
			if _, ok := parseURN(pointer, x.v1); ok {
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for len(ids) > 0 {
			n := min(len(ids), 500)
			ds, err := x.st.ActiveByIDs(ctx, ids[:n])
			if err != nil {
				return err
			}
			for _, d := range ds {
				if it := itemOf(d, x.v1); it != nil {
					first[it.urn] = it.createdAt
					byURN[it.urn] = it
				}
			}
			ids = ids[n:]
		}
	}
	x.mu.Lock()
	x.byURN, x.firstAt, x.sorted, x.loaded, x.loadedAt = byURN, first, nil, true, x.now()
	x.mu.Unlock()
	return nil
}

// apply reads again the active entities of pointers (after a deployment
// on them). Before the first load it does nothing: the load reads them.
func (x *index) apply(ctx context.Context, pointers []string) error {
	x.loadMu.Lock()
	defer x.loadMu.Unlock()
	x.mu.RLock()
	loaded := x.loaded
	x.mu.RUnlock()
	if !loaded {
		return nil
	}
	var urns []string
	for _, p := range pointers {
		if u, ok := parseURN(p, x.v1); ok {
			urns = append(urns, u.urn)
		}
	}
	if len(urns) == 0 {
		return nil
	}
	ds, err := x.st.ActiveByPointers(ctx, urns)
	if err != nil {
		return err
	}
	found := map[string]*item{}
	for _, d := range ds {
		if it := itemOf(d, x.v1); it != nil {
			found[it.urn] = it
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, u := range urns {
		it := found[u]
		if it == nil {
			delete(x.byURN, u)
			continue
		}
		if first, ok := x.firstAt[u]; ok && first < it.createdAt {
			it.createdAt = first
		} else {
			x.firstAt[u] = it.createdAt
		}
		x.byURN[u] = it
	}
	x.sorted = nil
	return nil
}

// urnParts is what a collection item's URN says.
type urnParts struct {
	urn, contract, itemID, network string
	v1                             bool
	chainID                        int
}

// chainIDs of the networks URNs name.
var chainIDs = map[string]int{"ethereum": 1, "mainnet": 1, "sepolia": 11155111, "goerli": 5, "matic": 137, "polygon": 137, "amoy": 80002, "mumbai": 80001}

// parseURN reads urn:decentraland:<network>:collections-v2:<address>:<id>
// and urn:decentraland:<network>:collections-v1:<name>:<item>; anything
// else (base avatars, third parties, a URN with a token id) is not a
// marketplace item.
func parseURN(urn string, v1 map[string]string) (urnParts, bool) {
	u := strings.ToLower(urn)
	p := strings.Split(u, ":")
	if len(p) != 6 || p[0] != "urn" || p[1] != "decentraland" || p[4] == "" || p[5] == "" {
		return urnParts{}, false
	}
	id, ok := chainIDs[p[2]]
	if !ok {
		return urnParts{}, false
	}
	out := urnParts{urn: u, itemID: p[5], chainID: id}
	switch p[3] {
	case "collections-v2":
		if !isAddress(p[4]) || !isDecimal(p[5]) {
			return urnParts{}, false
		}
		out.contract, out.network = p[4], "MATIC"
	case "collections-v1":
		out.v1, out.network, out.contract = true, "ETHEREUM", p[4]
		if a, ok := v1[p[4]]; ok {
			out.contract = a
		}
	default:
		return urnParts{}, false
	}
	if out.network == "MATIC" && id != 137 && id != 80002 && id != 80001 || out.network == "ETHEREUM" && (id == 137 || id == 80002 || id == 80001) {
		return urnParts{}, false
	}
	return out, true
}

func isDecimal(s string) bool {
	if s == "" || len(s) > 78 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isAddress is EthAddress.validate: 0x and 40 hex digits, any case.
func isAddress(s string) bool { return authchain.IsAddress(s) }

// itemMeta is what the catalog reads of an item entity's metadata.
type itemMeta struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Rarity      string `json:"rarity"`
	IsSmart     bool   `json:"isSmart"`
	Data        *struct {
		Category        string    `json:"category"`
		Representations []repMeta `json:"representations"`
	} `json:"data"`
	Emote *struct {
		Category        string    `json:"category"`
		Loop            bool      `json:"loop"`
		Representations []repMeta `json:"representations"`
	} `json:"emoteDataADR74"`
}

type repMeta struct {
	BodyShapes []string `json:"bodyShapes"`
	Contents   []string `json:"contents"`
}

// itemOf reads an item from its entity (nil: not a collection item).
func itemOf(d *store.Deployment, v1 map[string]string) *item {
	if len(d.Pointers) == 0 || d.Type != entity.Wearable && d.Type != entity.Emote {
		return nil
	}
	u, ok := parseURN(d.Pointers[0], v1)
	if !ok {
		return nil
	}
	var m itemMeta
	json.Unmarshal(d.Metadata, &m)
	it := &item{urn: u.urn, v1: u.v1, contract: u.contract, itemID: u.itemID, network: u.network, chainID: u.chainID,
		name: m.Name, description: m.Description, rarity: strings.ToLower(m.Rarity), smart: m.IsSmart,
		createdAt: d.Timestamp, updatedAt: d.Timestamp, deployer: strings.ToLower(d.AuthChain.Signer())}
	var reps []repMeta
	if d.Type == entity.Emote {
		it.kind = "emote"
		if m.Emote != nil {
			it.category, it.loop, reps = strings.ToLower(m.Emote.Category), m.Emote.Loop, m.Emote.Representations
		}
	} else {
		it.kind = "wearable"
		if m.Data != nil {
			it.category, reps = strings.ToLower(m.Data.Category), m.Data.Representations
		}
	}
	for _, r := range reps {
		for _, b := range r.BodyShapes {
			if !slices.Contains(it.bodyShapes, b) {
				it.bodyShapes = append(it.bodyShapes, b)
			}
		}
		for _, f := range r.Contents {
			f = strings.ToLower(f)
			if strings.HasSuffix(f, ".mp3") || strings.HasSuffix(f, ".ogg") || strings.HasSuffix(f, ".wav") {
				it.sound = true
			}
		}
	}
	if it.bodyShapes == nil {
		it.bodyShapes = []string{}
	}
	it.lname, it.key = strings.ToLower(it.name), it.contract+"-"+it.itemID
	return it
}
