package marketplace

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// The user assets routes (controllers/handlers/user-assets, what lamb2
// reads through MARKETPLACE_API_URL): a user's wearables, emotes and
// NAMEs from the chain's index, as flat rows, as URN and token pairs, or
// grouped by item. In dev mode (no chain) every list is empty: no one is
// known to hold anything.

type assetsForm int

const (
	flat assetsForm = iota
	urnToken
	grouped
)

// assetParams are getUserAssetsParams' (limit/offset, lamb2's, before
// first/skip) and the grouped lists' filters.
var assetParams = []string{"limit", "offset", "first", "skip", "category", "rarity", "name", "orderBy", "direction", "itemType"}

// assetsPage is the original's paging: 100 by default, at most 1000 (a
// larger limit is cut, as lamb2 asks 5000).
type assetsPage struct{ first, skip int }

func readAssetsPage(p *params) assetsPage {
	first := p.optNum("limit")
	if first < 0 {
		first = p.optNum("first")
	}
	if first < 0 {
		first = 100
	}
	skip := p.optNum("offset")
	if skip < 0 {
		skip = p.optNum("skip")
	}
	return assetsPage{first: min(first, maxPage), skip: max(skip, 0)}
}

// paginated is createPaginatedResponse: {ok, data: {elements, page,
// pages, limit, total, totalItems?}}.
func paginated[T any](w http.ResponseWriter, all []T, pg assetsPage, totalItems *int) {
	limit := pg.first
	if limit == 0 {
		limit = 1
	}
	start := min(pg.skip, len(all))
	elements := all[start:min(start+pg.first, len(all))]
	if elements == nil {
		elements = []T{}
	}
	data := map[string]any{"elements": elements, "page": pg.skip/limit + 1, "pages": (len(all) + limit - 1) / limit, "limit": limit, "total": len(all)}
	if totalItems != nil {
		data["totalItems"] = *totalItems
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"ok": true, "data": data})
}

// userAsset is one token of a wearable or emote with its item.
type userAsset struct {
	tok      Token
	kind     string // wearable | emote
	itemType string // wearable_v1 | wearable_v2 | smart_wearable_v1 | emote_v1
	name     string
	category string
	rarity   string
	price    *string // the item's primary-sale price (wei); nil: unknown
}

// profileAsset is ProfileWearable / ProfileEmote (mappers.ts).
type profileAsset struct {
	URN           string  `json:"urn"`
	ID            string  `json:"id"`
	TokenID       string  `json:"tokenId"`
	Category      string  `json:"category"`
	TransferredAt string  `json:"transferredAt"`
	Name          string  `json:"name"`
	Rarity        string  `json:"rarity"`
	Price         *string `json:"price,omitempty"`
}

type urnTokenRow struct {
	URN     string `json:"urn"`
	TokenID string `json:"tokenId"`
}

type individual struct {
	ID            string `json:"id"`
	TokenID       string `json:"tokenId"`
	TransferredAt string `json:"transferredAt"`
	Price         string `json:"price"`
}

// groupedAsset is GroupedWearable / GroupedEmote (itemType for
// wearables only).
type groupedAsset struct {
	URN              string       `json:"urn"`
	Amount           int          `json:"amount"`
	IndividualData   []individual `json:"individualData"`
	Name             string       `json:"name"`
	Rarity           string       `json:"rarity"`
	MinTransferredAt int64        `json:"minTransferredAt"`
	MaxTransferredAt int64        `json:"maxTransferredAt"`
	Category         string       `json:"category"`
	ItemType         string       `json:"itemType,omitempty"`
	rank             int
}

func (s *Service) userAddress(w http.ResponseWriter, r *http.Request) (string, bool) {
	a := r.PathValue("address")
	if !isAddress(a) {
		fail(w, http.StatusBadRequest, "Invalid address: '"+a+"' is not an address (0x and 40 hex digits)")
		return "", false
	}
	return strings.ToLower(a), true
}

// assets are the user's tokens of items of typ, with what the node
// knows of each item, newest first (the original orders by the NFT's
// creation; the index keeps when it came to its holder).
func (s *Service) assets(ctx context.Context, owner string, typ entity.Type) ([]userAsset, error) {
	if s.cfg.Chain == nil {
		return nil, nil
	}
	toks, err := s.cfg.Chain.Tokens(ctx, owner, "")
	if err != nil {
		return nil, err
	}
	snap := s.snap.get()
	kind := string(typ)
	var out []userAsset
	for _, t := range toks {
		if t.Category != "wearable" && t.Category != "emote" {
			continue
		}
		it, err := s.idx.get(ctx, t.URN)
		if err != nil {
			return nil, err
		}
		a := userAsset{tok: t, kind: t.Category, rarity: t.Rarity}
		if it != nil {
			a.kind, a.name, a.category = it.kind, it.name, it.category
			if a.rarity == "" {
				a.rarity = it.rarity
			}
			cv := snap.chainOf(it)
			if cv.known {
				p := cv.price.String()
				a.price = &p
			}
		}
		if a.kind != kind {
			continue
		}
		switch {
		case a.kind == "emote":
			a.itemType = "emote_v1"
			a.category = cmp.Or(a.category, "dance")
		case t.Chain == "ethereum":
			a.itemType = "wearable_v1"
		case it != nil && it.smart:
			a.itemType = "smart_wearable_v1"
		default:
			a.itemType = "wearable_v2"
		}
		if a.kind == "wearable" {
			a.category = cmp.Or(a.category, "eyewear")
		}
		a.rarity = cmp.Or(strings.ToLower(a.rarity), "common")
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b userAsset) int {
		return cmp.Or(cmp.Compare(b.tok.Since, a.tok.Since), strings.Compare(a.tok.Contract, b.tok.Contract), decimalCompare(a.tok.TokenID, b.tok.TokenID))
	})
	return out, nil
}

func decimalCompare(a, b string) int {
	return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
}

// GET /v1/users/:address/wearables|emotes[/urn-token|/grouped]
func (s *Service) userItems(typ entity.Type, form assetsForm) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		owner, ok := s.userAddress(w, r)
		if !ok {
			return
		}
		p := readParams(r, assetParams...)
		pg := readAssetsPage(p)
		var gf groupFilter
		if form == grouped {
			gf = readGroupFilter(p, typ)
		}
		if p.err != nil {
			fail(w, http.StatusBadRequest, p.err.Error())
			return
		}
		list, err := s.assets(r.Context(), owner, typ)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		switch form {
		case urnToken:
			rows := make([]urnTokenRow, len(list))
			for i, a := range list {
				rows[i] = urnTokenRow{URN: a.tok.URN, TokenID: a.tok.TokenID}
			}
			paginated(w, rows, pg, nil)
		case grouped:
			paginated(w, groupAssets(list, gf, typ), pg, nil)
		default:
			rows := make([]profileAsset, len(list))
			items := map[string]bool{}
			for i, a := range list {
				rows[i] = profileAsset{URN: a.tok.URN, ID: a.tok.Contract + "-" + a.tok.TokenID, TokenID: a.tok.TokenID, Category: a.category,
					TransferredAt: strconv.FormatInt(a.tok.Since, 10), Name: a.name, Rarity: a.rarity, Price: a.price}
				items[a.tok.URN] = true
			}
			n := len(items)
			paginated(w, rows, pg, &n)
		}
	}
}

// groupFilter is the grouped lists' filters and order.
type groupFilter struct {
	category, rarity, name string
	itemTypes              []string
	orderBy, direction     string
}

func readGroupFilter(p *params, typ entity.Type) groupFilter {
	f := groupFilter{name: strings.ToLower(p.str("name")), rarity: p.enum("rarity", rarityList)}
	if typ == entity.Emote {
		f.category = p.enum("category", emoteCategories)
		if p.has("itemType") {
			p.fail("'itemType' filters wearables only")
		}
	} else {
		f.category = p.enum("category", wearableCategories)
		f.itemTypes = p.enumList("itemType", []string{"wearable_v1", "wearable_v2", "smart_wearable_v1"})
	}
	f.orderBy = strings.ToLower(cmp.Or(p.str("orderBy"), "rarity"))
	if !slices.Contains([]string{"rarity", "name", "date"}, f.orderBy) {
		p.fail("'orderBy' must be rarity, name or date, not '%s'", p.str("orderBy"))
	}
	f.direction = strings.ToUpper(p.str("direction"))
	if f.direction == "" {
		f.direction = "DESC"
		if f.orderBy == "name" {
			f.direction = "ASC"
		}
	}
	if f.direction != "ASC" && f.direction != "DESC" {
		p.fail("'direction' must be ASC or DESC, not '%s'", p.str("direction"))
	}
	return f
}

// groupAssets groups tokens by item (the original's grouped query):
// filtered, then ordered by rarity, name or date (rarity DESC, name ASC
// and the newest first by default), ties by urn.
func groupAssets(list []userAsset, f groupFilter, typ entity.Type) []groupedAsset {
	byURN := map[string]*groupedAsset{}
	var order []string
	for _, a := range list {
		if f.category != "" && a.category != f.category || f.rarity != "" && a.rarity != f.rarity ||
			f.name != "" && !strings.Contains(strings.ToLower(a.name), f.name) ||
			len(f.itemTypes) > 0 && !slices.Contains(f.itemTypes, a.itemType) {
			continue
		}
		g := byURN[a.tok.URN]
		if g == nil {
			g = &groupedAsset{URN: a.tok.URN, Name: a.name, Rarity: a.rarity, Category: a.category, MinTransferredAt: a.tok.Since,
				MaxTransferredAt: a.tok.Since, rank: rarityRank(a.rarity)}
			if typ == entity.Wearable {
				g.ItemType = a.itemType
			}
			byURN[a.tok.URN] = g
			order = append(order, a.tok.URN)
		}
		price := "0"
		if a.price != nil {
			price = *a.price
		}
		g.IndividualData = append(g.IndividualData, individual{ID: a.tok.URN + ":" + a.tok.TokenID, TokenID: a.tok.TokenID,
			TransferredAt: strconv.FormatInt(a.tok.Since, 10), Price: price})
		g.Amount++
		g.MinTransferredAt, g.MaxTransferredAt = min(g.MinTransferredAt, a.tok.Since), max(g.MaxTransferredAt, a.tok.Since)
	}
	out := make([]groupedAsset, 0, len(order))
	for _, u := range order {
		out = append(out, *byURN[u])
	}
	asc := f.direction == "ASC"
	slices.SortStableFunc(out, func(a, b groupedAsset) int {
		var c int
		switch f.orderBy {
		case "name":
			c = strings.Compare(a.Name, b.Name)
		case "date":
			if asc {
				return cmp.Or(cmp.Compare(a.MinTransferredAt, b.MinTransferredAt), strings.Compare(b.URN, a.URN))
			}
			return cmp.Or(cmp.Compare(b.MaxTransferredAt, a.MaxTransferredAt), strings.Compare(a.URN, b.URN))
		default:
			c = cmp.Compare(a.rank, b.rank)
		}
		if !asc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.URN, b.URN))
	})
	return out
}

// profileName is ProfileName.
type profileName struct {
	Name            string `json:"name"`
	ContractAddress string `json:"contractAddress"`
	TokenID         string `json:"tokenId"`
}

// GET /v1/users/:address/names[/names-only]: the user's NAMEs, by token
// (no order is indexed: no price).
func (s *Service) userNames(only bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		owner, ok := s.userAddress(w, r)
		if !ok {
			return
		}
		p := readParams(r, assetParams...)
		pg := readAssetsPage(p)
		if p.err != nil {
			fail(w, http.StatusBadRequest, p.err.Error())
			return
		}
		var names []profileName
		if c := s.cfg.Chain; c != nil {
			toks, err := c.Tokens(r.Context(), owner, c.Contracts().Registrar)
			if err != nil {
				s.internal(w, r, err)
				return
			}
			for _, t := range toks {
				if t.Category == "ens" {
					names = append(names, profileName{Name: t.Name, ContractAddress: t.Contract, TokenID: t.TokenID})
				}
			}
		}
		// The original orders by the NFT's id: contract-tokenId.
		slices.SortFunc(names, func(a, b profileName) int { return strings.Compare(a.TokenID, b.TokenID) })
		if only {
			type nameOnly struct {
				Name string `json:"name"`
			}
			rows := make([]nameOnly, len(names))
			for i, n := range names {
				rows[i] = nameOnly{n.Name}
			}
			paginated(w, rows, pg, nil)
			return
		}
		paginated(w, names, pg, nil)
	}
}
