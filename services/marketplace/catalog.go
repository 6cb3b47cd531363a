package marketplace

import (
	"cmp"
	"math/big"
	"net/http"
	"slices"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
)

// itemView is @dcl/schemas' Item as marketplace-server answers it: the
// fields of adapters/items fromDBItemToItem (/v1/items) and of
// ports/catalog fromCollectionsItemDbResultToCatalogItem (/v1/catalog),
// with the favorites' picks.
type itemView struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Thumbnail       string   `json:"thumbnail"`
	URL             string   `json:"url"`
	Category        string   `json:"category"`
	ContractAddress string   `json:"contractAddress"`
	ItemID          string   `json:"itemId"`
	Rarity          string   `json:"rarity"`
	Price           string   `json:"price"`
	Available       int64    `json:"available"`
	IsOnSale        bool     `json:"isOnSale"`
	Creator         string   `json:"creator"`
	Beneficiary     *string  `json:"beneficiary"`
	CreatedAt       int64    `json:"createdAt"`
	UpdatedAt       int64    `json:"updatedAt"`
	ReviewedAt      int64    `json:"reviewedAt"`
	SoldAt          int64    `json:"soldAt"`
	Data            itemData `json:"data"`
	Network         string   `json:"network"`
	ChainID         int      `json:"chainId"`
	URN             string   `json:"urn"`
	FirstListedAt   *int64   `json:"firstListedAt"`
	Picks           picks    `json:"picks"`
	MinPrice        string   `json:"minPrice"`
	MinListingPrice *string  `json:"minListingPrice"`
	MaxListingPrice *string  `json:"maxListingPrice"`
	Listings        int      `json:"listings"`
	Owners          *int     `json:"owners"`
	Utility         *string  `json:"utility,omitempty"`
}

type picks struct {
	ItemID       string `json:"itemId"`
	Count        int    `json:"count"`
	PickedByUser *bool  `json:"pickedByUser,omitempty"`
}

// itemData is NFT['data'] of an item: its wearable or its emote.
type itemData struct {
	Wearable *wearableData `json:"wearable,omitempty"`
	Emote    *emoteData    `json:"emote,omitempty"`
}

type wearableData struct {
	Description string   `json:"description"`
	Category    string   `json:"category"`
	BodyShapes  []string `json:"bodyShapes"`
	Rarity      string   `json:"rarity"`
	IsSmart     bool     `json:"isSmart"`
}

type emoteData struct {
	Description string   `json:"description"`
	Category    string   `json:"category"`
	BodyShapes  []string `json:"bodyShapes"`
	Rarity      string   `json:"rarity"`
	Loop        bool     `json:"loop"`
	HasGeometry bool     `json:"hasGeometry"`
	HasSound    bool     `json:"hasSound"`
}

func (it *item) data(rarity string) itemData {
	if it.kind == "emote" {
		return itemData{Emote: &emoteData{Description: it.description, Category: it.category, BodyShapes: it.bodyShapes, Rarity: rarity,
			Loop: it.loop, HasGeometry: it.geometry, HasSound: it.sound}}
	}
	return itemData{Wearable: &wearableData{Description: it.description, Category: it.category, BodyShapes: it.bodyShapes, Rarity: rarity, IsSmart: it.smart}}
}

func (cv chainView) creatorOr(it *item) string {
	if cv.creator != "" {
		return cv.creator
	}
	return it.deployer
}

func (cv chainView) rarityOr(it *item) string {
	if cv.rarity != "" {
		return strings.ToLower(cv.rarity)
	}
	return it.rarity
}

// thumbnail is where this node serves an item's thumbnail (lambdas'
// /collections/contents/:urn/thumbnail, as the squid's item.image).
func thumbnail(base string, it *item) string {
	return base + "/lambdas/collections/contents/" + it.urn + "/thumbnail"
}

func (s *Service) view(it *item, cv chainView, base string, catalog bool, signed bool) itemView {
	rarity := cv.rarityOr(it)
	v := itemView{
		ID: it.id(), Name: it.name, Thumbnail: thumbnail(base, it), URL: "/contracts/" + it.contract + "/items/" + it.itemID,
		Category: it.kind, ContractAddress: it.contract, ItemID: it.itemID, Rarity: rarity, Price: cv.price.String(),
		Available: cv.available, IsOnSale: cv.onSale, Creator: cv.creatorOr(it),
		CreatedAt: it.createdAt, UpdatedAt: it.updatedAt, ReviewedAt: cv.reviewedAt, SoldAt: s.sales.lastSold(it.contract, it.itemID),
		Data: it.data(rarity), Network: it.network, ChainID: it.chainID, URN: it.urn,
		Picks: picks{ItemID: it.id()}, MinPrice: cv.price.String(),
	}
	if cv.beneficiary != "" {
		b := cv.beneficiary
		v.Beneficiary = &b
	}
	if signed {
		f := false
		v.Picks.PickedByUser = &f
	}
	if !catalog {
		zero, empty := "0", ""
		v.MinListingPrice, v.MaxListingPrice, v.Utility = &zero, &zero, &empty
		owners := 0
		v.Owners = &owners
	}
	return v
}

// itemFilter is ItemFilters and CatalogFilters of @dcl/schemas as
// getItemsParams reads them.
type itemFilter struct {
	category                        string
	creators, rarities, contracts   []string
	urns, ids                       []string
	soldOut, onSale                 bool
	search                          string
	head, accessory, smart          bool
	wearableCategory, emoteCategory string
	wearableGenders, emoteGenders   []string
	playModes                       []string
	hasGeometry, hasSound           bool
	outcomeType, itemID, network    string
	minPrice, maxPrice              *big.Int
	onlyListing, onlyMinting        bool
}

// itemParams are the parameters of getItemsParams.
var itemParams = []string{"first", "skip", "category", "creator", "isSoldOut", "isOnSale", "search", "isWearableHead",
	"isWearableAccessory", "isWearableSmart", "wearableCategory", "rarity", "wearableGender", "emoteCategory", "emoteGender",
	"emotePlayMode", "emoteHasGeometry", "emoteHasSound", "emoteOutcomeType", "contractAddress", "itemId", "network",
	"maxPrice", "minPrice", "urn", "id"}

func readItemFilter(p *params) itemFilter {
	f := itemFilter{
		category: p.enum("category", nftCategories), creators: p.addressList("creator"), soldOut: p.flag("isSoldOut"),
		search: strings.ToLower(strings.TrimSpace(p.str("search"))), head: p.flag("isWearableHead"),
		accessory: p.flag("isWearableAccessory"), smart: p.flag("isWearableSmart"),
		wearableCategory: p.enum("wearableCategory", wearableCategories), rarities: p.enumList("rarity", rarityList),
		wearableGenders: p.enumList("wearableGender", genders), emoteCategory: p.enum("emoteCategory", emoteCategories),
		emoteGenders: p.enumList("emoteGender", genders), playModes: p.enumList("emotePlayMode", emotePlayModes),
		hasGeometry: p.flag("emoteHasGeometry"), hasSound: p.flag("emoteHasSound"),
		outcomeType: p.enum("emoteOutcomeType", emoteOutcomeTypes), contracts: p.addressList("contractAddress"),
		itemID: p.str("itemId"), network: p.enum("network", networks), maxPrice: p.ether("maxPrice"), minPrice: p.ether("minPrice"),
	}
	if on := p.optFlag("isOnSale"); on != nil {
		f.onSale = *on
	}
	for _, u := range p.list("urn") {
		f.urns = append(f.urns, strings.ToLower(u))
	}
	for _, id := range p.list("id") {
		f.ids = append(f.ids, strings.ToLower(id))
	}
	if n := len(f.urns) + len(f.ids) + len(f.creators) + len(f.contracts); n > maxValues {
		p.fail("at most %d urns, ids, creators and contracts", maxValues)
	}
	return f
}

// shapes are the body shapes a gender filter asks (the original's
// getGenderWhereStatement: unisex is both).
func shapes(genders []string) []string {
	var out []string
	if slices.Contains(genders, "male") || slices.Contains(genders, "unisex") {
		out = append(out, "BaseMale")
	}
	if slices.Contains(genders, "female") || slices.Contains(genders, "unisex") {
		out = append(out, "BaseFemale")
	}
	return out
}

func hasShapes(it *item, want []string) bool {
	for _, w := range want {
		if !slices.ContainsFunc(it.bodyShapes, func(b string) bool { return strings.HasSuffix(strings.ToLower(b), strings.ToLower(w)) }) {
			return false
		}
	}
	return true
}

func (f *itemFilter) match(it *item, cv chainView) bool {
	switch {
	case f.category != "" && f.category != it.kind,
		len(f.creators) > 0 && !slices.Contains(f.creators, cv.creatorOr(it)),
		len(f.rarities) > 0 && !slices.Contains(f.rarities, cv.rarityOr(it)),
		f.soldOut && !(cv.known && cv.available == 0),
		f.onSale && !cv.onSale,
		f.onlyMinting && !cv.onSale,
		f.onlyListing, // no listing is indexed
		f.search != "" && !strings.Contains(it.lname, f.search),
		f.head && (it.kind != "wearable" || !slices.Contains(headCategories, it.category)),
		f.accessory && (it.kind != "wearable" || !slices.Contains(accessoryCategories, it.category)),
		f.smart && !it.smart,
		f.wearableCategory != "" && (it.kind != "wearable" || it.category != f.wearableCategory),
		f.emoteCategory != "" && (it.kind != "emote" || it.category != f.emoteCategory),
		len(f.wearableGenders) > 0 && (it.kind != "wearable" || !hasShapes(it, shapes(f.wearableGenders))),
		len(f.emoteGenders) > 0 && (it.kind != "emote" || !hasShapes(it, shapes(f.emoteGenders))),
		f.hasSound && (it.kind != "emote" || !it.sound),
		f.hasGeometry && (it.kind != "emote" || !it.geometry),
		f.outcomeType != "", // no social emote is known
		len(f.contracts) > 0 && !slices.Contains(f.contracts, it.contract),
		f.itemID != "" && f.itemID != it.itemID,
		f.network != "" && f.network != it.network,
		f.minPrice != nil && (!cv.onSale || cv.price.Cmp(f.minPrice) < 0),
		f.maxPrice != nil && (!cv.onSale || cv.price.Cmp(f.maxPrice) > 0),
		len(f.urns) > 0 && !slices.Contains(f.urns, it.urn),
		len(f.ids) > 0 && !slices.Contains(f.ids, it.id()):
		return false
	}
	if len(f.playModes) == 1 { // both (or none) is no filter
		if it.kind != "emote" || it.loop != (f.playModes[0] == "loop") {
			return false
		}
	}
	return true
}

// page is first/skip (the original's limit and offset).
type page struct{ first, skip int }

// maxPage bounds a page of every list.
const maxPage = 1000

func readPage(p *params, def int) page {
	pg := page{first: p.num("first", def), skip: p.num("skip", 0)}
	if pg.first == 0 {
		pg.first = def // the original: first ? first : default
	}
	pg.first = min(pg.first, maxPage)
	return pg
}

func pageOf[T any](all []T, pg page) []T {
	start := min(pg.skip, len(all))
	out := all[start:min(start+pg.first, len(all))]
	if out == nil {
		out = []T{}
	}
	return out
}

type entry struct {
	it *item
	cv chainView
}

// filtered are the index's items f keeps, with what the chain says.
func (s *Service) filtered(r *http.Request, f *itemFilter) ([]entry, error) {
	all, err := s.idx.all(r.Context())
	if err != nil {
		return nil, err
	}
	if err := s.sales.load(r.Context(), s.ks); err != nil {
		return nil, err
	}
	snap := s.snap.get()
	var out []entry
	for _, it := range all {
		cv := snap.chainOf(it)
		if f.match(it, cv) {
			out = append(out, entry{it, cv})
		}
	}
	return out, nil
}

// GET /v1/catalog, /v2/catalog: the items, filtered, sorted (cheapest
// first by default) and paged (20 by default).
func (s *Service) catalog(w http.ResponseWriter, r *http.Request) {
	signer, ok := s.signer(w, r)
	if !ok {
		return
	}
	p := readParams(r, append([]string{"sortBy", "sortDirection", "onlyListing", "onlyMinting"}, itemParams...)...)
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	f := readItemFilter(p)
	f.onlyListing, f.onlyMinting = p.flag("onlyListing"), p.flag("onlyMinting")
	sortBy := cmp.Or(p.enum("sortBy", []string{"newest", "recently_sold", "cheapest", "most_expensive", "recently_listed"}), "cheapest")
	dir := p.enum("sortDirection", []string{"asc", "desc"})
	pg := readPage(p, 20)
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	list, err := s.filtered(r, &f)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.sortItems(list, sortBy, dir)
	onPage := pageOf(list, pg)
	base := httpx.BaseURL(r, s.cfg.PublicURL)
	out := make([]itemView, len(onPage))
	for i, e := range onPage {
		out[i] = s.view(e.it, e.cv, base, true, signer != "")
		if s.cfg.Chain != nil {
			owners, err := s.ownersCount(r, e.it)
			if err != nil {
				s.internal(w, r, err)
				return
			}
			out[i].Owners = &owners
		}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"data": out, "total": len(list)})
}

func (s *Service) ownersCount(r *http.Request, it *item) (int, error) {
	toks, err := s.cfg.Chain.ItemOwners(r.Context(), it.contract, it.itemID)
	seen := map[string]bool{}
	for _, t := range toks {
		seen[t.Owner] = true
	}
	return len(seen), err
}

// GET /v1/items: the items, filtered and paged (100 by default).
func (s *Service) items(w http.ResponseWriter, r *http.Request) {
	signer, ok := s.signer(w, r)
	if !ok {
		return
	}
	p := readParams(r, append([]string{"sortBy"}, itemParams...)...)
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	f := readItemFilter(p)
	sortBy := cmp.Or(p.enum("sortBy", []string{"name", "newest", "recently_reviewed", "recently_sold", "cheapest"}), "newest")
	pg := readPage(p, 100)
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	list, err := s.filtered(r, &f)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.sortItems(list, sortBy, "")
	base := httpx.BaseURL(r, s.cfg.PublicURL)
	onPage := pageOf(list, pg)
	out := make([]itemView, len(onPage))
	for i, e := range onPage {
		out[i] = s.view(e.it, e.cv, base, false, signer != "")
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"data": out, "total": len(list)})
}

// sortItems orders by one of the catalog's or the items' sorts; dir
// ("asc", "desc", "" for the sort's own) turns it. Ties go by id.
func (s *Service) sortItems(list []entry, sortBy, dir string) {
	var key func(a, b entry) int
	desc := true
	switch sortBy {
	case "name":
		key, desc = func(a, b entry) int { return strings.Compare(a.it.lname, b.it.lname) }, false
	case "cheapest":
		key, desc = func(a, b entry) int { return a.cv.price.Cmp(b.cv.price) }, false
	case "most_expensive":
		key = func(a, b entry) int { return a.cv.price.Cmp(b.cv.price) }
	case "recently_sold":
		key = func(a, b entry) int {
			return cmp.Compare(s.sales.lastSold(a.it.contract, a.it.itemID), s.sales.lastSold(b.it.contract, b.it.itemID))
		}
	case "recently_reviewed":
		key = func(a, b entry) int { return cmp.Compare(a.cv.reviewedAt, b.cv.reviewedAt) }
	default: // newest, recently_listed (no listing is indexed: the newest)
		key = func(a, b entry) int { return cmp.Compare(a.it.createdAt, b.it.createdAt) }
	}
	switch dir {
	case "asc":
		desc = false
	case "desc":
		desc = true
	}
	slices.SortStableFunc(list, func(a, b entry) int {
		c := key(a, b)
		if desc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.it.id(), b.it.id()))
	})
}
