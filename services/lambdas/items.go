package lambdas

import (
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

//go:embed base-wearables.txt
var baseWearablesList string

// BaseWearables are the pointers of the base wearables, in lamb2's order.
var BaseWearables = func() []string {
	var out []string
	for _, l := range strings.Split(baseWearablesList, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, "urn:decentraland:off-chain:base-avatars:"+l)
		}
	}
	return out
}()

// rarities in lamb2's order, lowest first.
var rarities = []string{"common", "uncommon", "rare", "epic", "legendary", "exotic", "mythic", "unique"}

func rarityRank(r string) int { return slices.Index(rarities, strings.ToLower(r)) }

// item is a wearable or emote a user has, with its entity.
type item struct {
	kind     string // base-wearable | on-chain | third-party
	urn      string
	name     string
	category string
	rarity   string
	date     int64 // transferred at (on-chain), ms
	amount   int
	d        *store.Deployment
	meta     map[string]any
	lname    string      // name, lower-cased (filters and sorting)
	rank     int         // of rarity
	tokens   []ItemToken // on-chain: the user's tokens of it
	enc      *encoded
}

// encoded keeps an item's answers once built: base wearables are the
// same for every user until the next wearable deployment.
type encoded struct {
	once                         sync.Once
	full, trimmed, trimmedAmount json.RawMessage
}

func (it item) encode(trimmed, withAmount, emote bool) json.RawMessage {
	it.enc.once.Do(func() {
		it.enc.full, _ = json.Marshal(it.full())
		it.enc.trimmed, _ = json.Marshal(it.trimmed(false, emote))
		it.enc.trimmedAmount, _ = json.Marshal(it.trimmed(true, emote))
	})
	switch {
	case !trimmed:
		return it.enc.full
	case withAmount:
		return it.enc.trimmedAmount
	}
	return it.enc.trimmed
}

// baseItems keeps the base wearables the store holds, read again after a
// wearable or emote deployment.
type baseItems struct {
	mu    sync.Mutex
	items []item
	valid bool
}

func (b *baseItems) forget() {
	b.mu.Lock()
	b.valid = false
	b.mu.Unlock()
}

func (s *Service) baseWearables(ctx context.Context) ([]item, error) {
	b := s.base
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.valid {
		return b.items, nil
	}
	ds, err := s.cfg.Store.ActiveByPointers(ctx, BaseWearables)
	if err != nil {
		return nil, err
	}
	items := make([]item, 0, len(ds))
	for _, d := range ds {
		if d.Type != entity.Wearable {
			continue
		}
		it := newItem("base-wearable", d)
		it.amount = 1
		items = append(items, it)
	}
	b.items, b.valid = items, true
	return items, nil
}

func newItem(kind string, d *store.Deployment) item {
	meta := map[string]any{}
	json.Unmarshal(d.Metadata, &meta)
	it := item{kind: kind, d: d, meta: meta, enc: &encoded{}}
	it.urn, _ = meta["id"].(string)
	if it.urn == "" && len(d.Pointers) > 0 {
		it.urn = d.Pointers[0]
	}
	it.name, _ = meta["name"].(string)
	it.rarity, _ = meta["rarity"].(string)
	for _, key := range []string{"data", "emoteDataADR74"} {
		if data, ok := meta[key].(map[string]any); ok {
			if c, ok := data["category"].(string); ok {
				it.category = c
			}
		}
	}
	it.lname, it.rank = strings.ToLower(it.name), rarityRank(it.rarity)
	return it
}

// filter reads lamb2's item filters: category (repeatable), name,
// rarity; false after answering 400.
type filter struct {
	categories []string
	name       string
	rarity     string
}

func readFilter(w http.ResponseWriter, r *http.Request) (filter, bool) {
	q := r.URL.Query()
	f := filter{name: strings.ToLower(q.Get("name")), rarity: strings.ToLower(q.Get("rarity"))}
	for _, c := range httpx.Values(r, "category") {
		f.categories = append(f.categories, strings.ToLower(c))
	}
	if f.rarity != "" && rarityRank(f.rarity) < 0 {
		badRequest(w, "Invalid rarity requested: '"+q.Get("rarity")+"'.")
		return f, false
	}
	return f, true
}

func (f filter) match(it item) bool {
	if len(f.categories) > 0 && !slices.Contains(f.categories, strings.ToLower(it.category)) {
		return false
	}
	if f.name != "" && !strings.Contains(it.lname, f.name) {
		return false
	}
	return f.rarity == "" || strings.EqualFold(it.rarity, f.rarity)
}

// readSort reads orderBy (rarity, name, date; any case) and direction
// (ASC, DESC): DESC by default, ASC for name; ties by urn.
func readSort(w http.ResponseWriter, r *http.Request) (func(a, b item) int, bool) {
	q := r.URL.Query()
	by := strings.ToLower(cmp.Or(q.Get("orderBy"), "rarity"))
	dir := strings.ToUpper(q.Get("direction"))
	if dir == "" {
		dir = "DESC"
		if by == "name" {
			dir = "ASC"
		}
	}
	if dir != "ASC" && dir != "DESC" {
		badRequest(w, "Invalid sorting requested: direction must be ASC or DESC")
		return nil, false
	}
	var key func(a, b item) int
	switch by {
	case "rarity":
		key = func(a, b item) int { return cmp.Compare(a.rank, b.rank) }
	case "name":
		key = func(a, b item) int { return strings.Compare(a.lname, b.lname) }
	case "date":
		key = func(a, b item) int { return cmp.Compare(a.date, b.date) }
	default:
		badRequest(w, "Invalid sorting requested: '"+q.Get("orderBy")+"'. Valid options are rarity, name and date.")
		return nil, false
	}
	desc := dir == "DESC"
	return func(a, b item) int {
		c := key(a, b)
		if desc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.urn, b.urn))
	}, true
}

func flag(r *http.Request, name string) bool {
	v := strings.ToLower(r.URL.Query().Get(name))
	return v == "true" || v == "1"
}

// list is what the explorer endpoints read: whose items, which page,
// which filter and order.
type list struct {
	owner  string
	page   page
	filter filter
	order  func(a, b item) int
}

// readList reads a list request, answering 400 itself when it is bad.
func readList(w http.ResponseWriter, r *http.Request) (l list, ok bool) {
	if l.owner, ok = address(r, "address"); !ok {
		badRequest(w, "invalid address "+r.PathValue("address"))
		return l, false
	}
	var err error
	if l.page, err = readPage(r, maxPageSize, false); err != nil {
		badRequest(w, err.Error())
		return l, false
	}
	if l.filter, ok = readFilter(w, r); !ok {
		return l, false
	}
	l.order, ok = readSort(w, r)
	return l, ok
}

// GET /explorer/:address/wearables: the user's base, on-chain and
// third-party wearables, filtered, sorted and paginated (trimmed for
// the Unity explorer).
func (s *Service) explorerWearables(w http.ResponseWriter, r *http.Request) {
	l, ok := readList(w, r)
	if !ok {
		return
	}
	kinds := map[string]bool{}
	for _, k := range httpx.Values(r, "collectionType") {
		if k != "base-wearable" && k != "on-chain" && k != "third-party" {
			badRequest(w, "Invalid collection type: '"+k+"'. Valid types are base-wearable, on-chain and third-party.")
			return
		}
		kinds[k] = true
	}
	if len(kinds) == 0 {
		kinds = map[string]bool{"base-wearable": true, "on-chain": true, "third-party": true}
	}
	if flag(r, "isSmartWearable") { // smart wearables are on chain only
		kinds = map[string]bool{"on-chain": kinds["on-chain"]}
	}
	var all []item
	if kinds["base-wearable"] {
		base, err := s.baseWearables(r.Context())
		if err != nil {
			s.internal(w, r, err)
			return
		}
		all = append(all, base...)
	}
	if kinds["on-chain"] {
		owned, err := s.chainItems(r.Context(), l.owner, entity.Wearable)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		all = append(all, owned...)
	}
	s.answerItems(w, r, all, l.filter, l.order, l.page, false)
}

// GET /explorer/:address/emotes: the user's on-chain emotes.
func (s *Service) explorerEmotes(w http.ResponseWriter, r *http.Request) {
	l, ok := readList(w, r)
	if !ok {
		return
	}
	for _, k := range httpx.Values(r, "collectionType") {
		if k != "on-chain" {
			badRequest(w, "Invalid collection type: '"+k+"'. Emotes are on-chain only.")
			return
		}
	}
	owned, err := s.chainItems(r.Context(), l.owner, entity.Emote)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.answerItems(w, r, owned, l.filter, l.order, l.page, true)
}

func (s *Service) answerItems(w http.ResponseWriter, r *http.Request, all []item, f filter, order func(a, b item) int, p page, emotes bool) {
	var kept []item
	for _, it := range all {
		if f.match(it) {
			kept = append(kept, it)
		}
	}
	slices.SortFunc(kept, order)
	trimmed, withAmount := flag(r, "trimmed"), flag(r, "includeAmount")
	start := min((p.num-1)*p.size, len(kept))
	onPage := kept[start:min(start+p.size, len(kept))]
	out := make([]json.RawMessage, len(onPage))
	for i, it := range onPage {
		out[i] = it.encode(trimmed, withAmount, emotes)
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"elements": out, "totalAmount": len(kept), "pageNum": p.num, "pageSize": p.size})
}

func (it item) individualData() []map[string]any {
	if len(it.tokens) > 0 {
		return it.chainIndividualData()
	}
	return []map[string]any{{"id": it.urn}}
}

// full is lamb2's element with the whole entity.
func (it item) full() map[string]any {
	e := map[string]any{
		"type": it.kind, "urn": it.urn, "amount": it.amount, "individualData": it.individualData(),
		"name": it.name, "category": it.category, "entity": entityJSON(it.d),
	}
	if it.rarity != "" {
		e["rarity"] = it.rarity
	}
	return e
}

// trimmed is lamb2's buildTrimmedWearableEntity (and its emote form).
func (it item) trimmed(withAmount, emote bool) map[string]any {
	dataKey := "data"
	if emote {
		dataKey = "emoteDataADR74"
	}
	data, _ := it.meta[dataKey].(map[string]any)
	var reps []map[string]any
	if list, ok := data["representations"].([]any); ok {
		for _, rep := range list {
			if m, ok := rep.(map[string]any); ok {
				reps = append(reps, map[string]any{"bodyShapes": m["bodyShapes"]})
			}
		}
	}
	meta := map[string]any{
		"id": it.urn, "name": it.name,
		dataKey: map[string]any{"category": it.category, "representations": reps},
	}
	if it.rarity != "" {
		meta["rarity"] = it.rarity
	}
	if !emote {
		smart, _ := it.meta["isSmart"].(bool)
		meta["isSmart"] = smart
	}
	thumbnail := ""
	if file, ok := it.meta["thumbnail"].(string); ok {
		for _, c := range it.d.Content {
			if c.File == file {
				thumbnail = c.Hash
			}
		}
	}
	e := map[string]any{"entity": map[string]any{"id": it.d.ID, "thumbnail": thumbnail, "individualData": it.individualData(), "metadata": meta}}
	if withAmount {
		e["amount"] = it.amount
	}
	return e
}

// entityJSON is an entity as the content server answers it.
func entityJSON(d *store.Deployment) map[string]any {
	return map[string]any{
		"version": d.Version, "id": d.ID, "type": d.Type, "pointers": d.Pointers, "timestamp": d.Timestamp,
		"content": d.Content, "metadata": json.RawMessage(d.Metadata),
	}
}

// GET /collections: the collections there are (the base ones; the
// chain's come with the chain).
func (s *Service) collections(w http.ResponseWriter, r *http.Request) {
	httpx.JSON(w, http.StatusOK, map[string]any{"collections": []map[string]string{
		{"id": "urn:decentraland:off-chain:base-avatars", "name": "Base Wearables"},
		{"id": "urn:decentraland:off-chain:base-emotes", "name": "Base Emotes"},
	}})
}

// catalog answers /collections/wearables|emotes: definitions of the
// items the node holds, filtered by collectionId, wearableId (emoteId)
// and textSearch, by pages of limit (≤ 500) after lastId.
func (s *Service) catalog(typ entity.Type) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		limit := 500
		if v := q.Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 500 {
				badRequest(w, "limit must be a number from 1 to 500")
				return
			}
			limit = n
		}
		text := strings.ToLower(q.Get("textSearch"))
		if text != "" && len(text) < 3 {
			badRequest(w, "textSearch must have at least 3 characters")
			return
		}
		collections := httpx.Values(r, "collectionId")
		ids := httpx.Values(r, "wearableId")
		key := "wearables"
		if typ == entity.Emote {
			ids, key = httpx.Values(r, "emoteId"), "emotes"
		}
		var items []item
		if typ == entity.Wearable {
			base, err := s.baseWearables(r.Context())
			if err != nil {
				s.internal(w, r, err)
				return
			}
			items = base
		}
		var defs []map[string]any
		lastID := q.Get("lastId")
		for _, it := range items {
			urn := strings.ToLower(it.urn)
			if len(ids) > 0 && !slices.ContainsFunc(ids, func(id string) bool { return strings.EqualFold(id, it.urn) }) {
				continue
			}
			if len(collections) > 0 && !slices.ContainsFunc(collections, func(c string) bool { return strings.HasPrefix(urn, strings.ToLower(c)+":") }) {
				continue
			}
			if text != "" && !strings.Contains(strings.ToLower(it.name), text) {
				continue
			}
			if lastID != "" && urn <= strings.ToLower(lastID) {
				continue
			}
			defs = append(defs, s.definition(r, it))
		}
		slices.SortFunc(defs, func(a, b map[string]any) int {
			return strings.Compare(strings.ToLower(a["id"].(string)), strings.ToLower(b["id"].(string)))
		})
		pagination := map[string]any{"limit": limit}
		if len(defs) > limit {
			defs = defs[:limit]
			last := defs[limit-1]["id"].(string)
			next := r.URL.Query()
			next.Set("lastId", last)
			pagination["lastId"], pagination["next"] = last, "?"+next.Encode()
		}
		if defs == nil {
			defs = []map[string]any{}
		}
		httpx.JSON(w, http.StatusOK, map[string]any{key: defs, "filters": map[string]any{
			"collectionIds": collections, "itemIds": ids, "textSearch": q.Get("textSearch"),
		}, "pagination": pagination})
	}
}

// definition is an item's metadata with its files as URLs on this node
// (lamb2's adapters/definitions.ts).
func (s *Service) definition(r *http.Request, it item) map[string]any {
	contents := httpx.BaseURL(r, s.cfg.PublicURL) + "/content/contents/"
	hash := map[string]string{}
	for _, c := range it.d.Content {
		hash[c.File] = c.Hash
	}
	def := map[string]any{}
	raw, _ := json.Marshal(it.meta)
	json.Unmarshal(raw, &def) // a deep copy
	for _, k := range []string{"thumbnail", "image"} {
		if f, ok := def[k].(string); ok && hash[f] != "" {
			def[k] = contents + hash[f]
		}
	}
	if data, ok := def["data"].(map[string]any); ok {
		if reps, ok := data["representations"].([]any); ok {
			for _, rep := range reps {
				m, ok := rep.(map[string]any)
				if !ok {
					continue
				}
				files, _ := m["contents"].([]any)
				out := []map[string]string{}
				for _, f := range files {
					if name, ok := f.(string); ok {
						out = append(out, map[string]string{"key": name, "url": contents + hash[name]})
					}
				}
				m["contents"] = out
			}
		}
	}
	return def
}

// itemsByOwner answers /collections/wearables-by-owner/:owner: what the
// chain says the owner has (nothing in dev mode).
func (s *Service) itemsByOwner(entity.Type) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := address(r, "owner"); !ok {
			badRequest(w, "invalid address "+r.PathValue("owner"))
			return
		}
		httpx.JSON(w, http.StatusOK, []any{})
	}
}

// itemFile answers an item's thumbnail or image (a real catalyst maps
// these to its content server's /queries/items): a redirect to the file
// on this node's content server.
func (s *Service) itemFile(field string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		urn := strings.ToLower(r.PathValue("urn"))
		ds, err := s.cfg.Store.ActiveByPointers(r.Context(), []string{urn})
		if err != nil {
			s.internal(w, r, err)
			return
		}
		for _, d := range ds {
			if d.Type != entity.Wearable && d.Type != entity.Emote {
				continue
			}
			it := newItem("", d)
			file, _ := it.meta[field].(string)
			for _, c := range d.Content {
				if c.File == file && file != "" {
					http.Redirect(w, r, httpx.BaseURL(r, s.cfg.PublicURL)+"/content/contents/"+c.Hash, http.StatusFound)
					return
				}
			}
		}
		notFound(w, "No "+field+" for "+r.PathValue("urn"))
	}
}
