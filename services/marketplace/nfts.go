package marketplace

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
)

// nftParams are getNFTParams'.
var nftParams = []string{"first", "skip", "sortBy", "category", "owner", "isOnSale", "isOnRent", "search", "isLand",
	"isWearableHead", "isWearableAccessory", "isWearableSmart", "wearableCategory", "wearableGender", "emoteCategory",
	"emoteGender", "emotePlayMode", "contractAddress", "creator", "tokenId", "itemRarity", "itemId", "network",
	"rentalStatus", "adjacentToRoad", "minDistanceToPlaza", "maxDistanceToPlaza", "tenant", "maxPrice", "minPrice",
	"minEstateSize", "maxEstateSize", "emoteHasGeometry", "emoteHasSound", "emoteOutcomeType", "rentalDays"}

// nftView is @dcl/schemas' NFT as adapters/nfts fromDBNFTToNFT makes it.
type nftView struct {
	ID              string  `json:"id"`
	ContractAddress string  `json:"contractAddress"`
	TokenID         string  `json:"tokenId"`
	ActiveOrderID   *string `json:"activeOrderId"`
	OpenRentalID    *string `json:"openRentalId"`
	Owner           string  `json:"owner"`
	Name            string  `json:"name"`
	Category        string  `json:"category"`
	Image           string  `json:"image"`
	URL             string  `json:"url"`
	IssuedID        *string `json:"issuedId"`
	ItemID          *string `json:"itemId"`
	Data            nftData `json:"data"`
	Network         string  `json:"network"`
	ChainID         int     `json:"chainId"`
	CreatedAt       int64   `json:"createdAt"`
	UpdatedAt       int64   `json:"updatedAt"`
	SoldAt          int64   `json:"soldAt"`
}

type nftData struct {
	Parcel   *parcelData   `json:"parcel,omitempty"`
	Estate   *estateData   `json:"estate,omitempty"`
	ENS      *ensData      `json:"ens,omitempty"`
	Wearable *wearableData `json:"wearable,omitempty"`
	Emote    *emoteData    `json:"emote,omitempty"`
}

type parcelData struct {
	X           string     `json:"x"`
	Y           string     `json:"y"`
	Description *string    `json:"description"`
	Estate      *estateRef `json:"estate"`
}

type estateRef struct {
	TokenID string `json:"tokenId"`
	Name    string `json:"name"`
}

type estateData struct {
	Size        int     `json:"size"`
	Parcels     []xy    `json:"parcels"`
	Description *string `json:"description"`
}

type xy struct {
	X int `json:"x"`
	Y int `json:"y"`
}

type ensData struct {
	Subdomain string `json:"subdomain"`
}

// nftResult is fromNFTsAndOrdersToNFTsResult's element (no order or
// rental is indexed).
type nftResult struct {
	NFT    nftView   `json:"nft"`
	Order  *struct{} `json:"order"`
	Rental *struct{} `json:"rental"`
}

// maxScan bounds the tokens one listing reads.
const maxScan = 10000

// nftFilter is what the list keeps.
type nftFilter struct {
	category, owner, tokenID, itemID, search, network string
	contracts, creators, rarities                     []string
	isLand, head, accessory, smart                    bool
	wearableCategory, emoteCategory                   string
	wearableGenders, emoteGenders, playModes          []string
	hasSound, hasGeometry                             bool
	nothing                                           bool // a filter only orders, rentals or the map's districts answer
	minEstate, maxEstate                              int
}

// GET /v1/nfts: the tokens of an owner, of contracts or of a category,
// from the index.
func (s *Service) nfts(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.signer(w, r); !ok {
		return
	}
	p := readParams(r, nftParams...)
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	f := nftFilter{
		category: p.enum("category", nftCategories), owner: p.address("owner"), itemID: p.str("itemId"),
		search: strings.ToLower(strings.TrimSpace(p.str("search"))), network: p.enum("network", networks),
		contracts: p.addressList("contractAddress"), creators: p.addressList("creator"), rarities: p.enumList("itemRarity", rarityList),
		isLand: p.flag("isLand"), head: p.flag("isWearableHead"), accessory: p.flag("isWearableAccessory"), smart: p.flag("isWearableSmart"),
		wearableCategory: p.enum("wearableCategory", wearableCategories), emoteCategory: p.enum("emoteCategory", emoteCategories),
		wearableGenders: p.enumList("wearableGender", genders), emoteGenders: p.enumList("emoteGender", genders),
		playModes: p.enumList("emotePlayMode", emotePlayModes), hasSound: p.flag("emoteHasSound"), hasGeometry: p.flag("emoteHasGeometry"),
		minEstate: p.optNum("minEstateSize"), maxEstate: p.optNum("maxEstateSize"),
	}
	tenant := p.address("tenant")
	// What needs orders, rentals or the districts matches nothing.
	p.enumList("rentalStatus", []string{"open", "cancelled", "executed", "claimed"})
	p.optNum("minDistanceToPlaza")
	p.optNum("maxDistanceToPlaza")
	for _, d := range p.list("rentalDays") {
		if _, err := strconv.Atoi(d); err != nil {
			p.fail("'rentalDays' must be whole numbers, not '%s'", d)
		}
	}
	p.enum("emoteOutcomeType", emoteOutcomeTypes)
	f.nothing = p.flag("isOnSale") || p.flag("isOnRent") || tenant != "" || p.has("rentalStatus") || p.flag("adjacentToRoad") ||
		p.has("minDistanceToPlaza") || p.has("maxDistanceToPlaza") || p.ether("minPrice") != nil || p.ether("maxPrice") != nil ||
		p.str("emoteOutcomeType") != ""
	sortBy := p.enum("sortBy", []string{"name", "newest", "recently_listed", "recently_sold", "cheapest", "rental_listing_date",
		"rented_date", "max_rental_price", "min_rental_price"})
	pg := readPage(p, 100)
	f.tokenID = p.str("tokenId")
	switch {
	case p.err != nil:
	case f.owner != "" && tenant != "":
		p.fail("Owner or tenant can be set, but not both.")
	case f.tokenID != "" && !isDecimal(f.tokenID):
		p.fail("Invalid token id, token ids must be numbers")
	case f.tokenID != "" && len(f.contracts) == 0:
		p.fail("NFTs can't be queried by token id if no contract address is provided")
	}
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	list, err := s.nftList(r, &f)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	slices.SortStableFunc(list, func(a, b nftView) int {
		if sortBy == "name" {
			return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
		}
		return cmp.Or(cmp.Compare(b.CreatedAt, a.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	onPage := pageOf(list, pg)
	out := make([]nftResult, len(onPage))
	for i, n := range onPage {
		out[i] = nftResult{NFT: n}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"data": out, "total": len(list)})
}

// nftList reads the tokens f asks and keeps those it matches.
func (s *Service) nftList(r *http.Request, f *nftFilter) ([]nftView, error) {
	c := s.cfg.Chain
	if c == nil || f.nothing {
		return nil, nil
	}
	ctx := r.Context()
	var toks []Token
	switch {
	case f.owner != "":
		all, err := c.Tokens(ctx, f.owner, "")
		if err != nil {
			return nil, err
		}
		toks = all
	default:
		contracts := f.contracts
		if len(contracts) == 0 {
			contracts = s.categoryContracts(r, f)
		}
		for _, k := range contracts { // maxScan tokens a request, whatever the contracts
			if len(toks) >= maxScan {
				break
			}
			list, _, err := c.ContractTokens(ctx, k, maxScan-len(toks))
			if err != nil {
				return nil, err
			}
			toks = append(toks, list...)
		}
	}
	base := httpx.BaseURL(r, s.cfg.PublicURL)
	snap := s.snap.get()
	var out []nftView
	for _, t := range toks {
		v, keep, err := s.nftOf(r, t, f, base, snap)
		if err != nil {
			return nil, err
		}
		if keep {
			out = append(out, v)
		}
	}
	return out, nil
}

// categoryContracts are the contracts a list without owner or contract
// reads: the category's registry, or the collections of the node's items.
func (s *Service) categoryContracts(r *http.Request, f *nftFilter) []string {
	k := s.cfg.Chain.Contracts()
	switch {
	case f.category == "parcel":
		return []string{k.LAND}
	case f.category == "estate":
		return []string{k.Estate}
	case f.category == "ens":
		return []string{k.Registrar}
	case f.isLand:
		return []string{k.LAND, k.Estate}
	}
	all, _ := s.idx.all(r.Context())
	var out []string
	for _, it := range all {
		if !slices.Contains(out, it.contract) && isAddress(it.contract) {
			out = append(out, it.contract)
		}
	}
	if f.category == "" {
		out = append(out, k.LAND, k.Estate, k.Registrar)
	}
	return out
}

func networkOf(chain, network string) (string, int) {
	if chain == "ethereum" {
		if network == "sepolia" {
			return "ETHEREUM", 11155111
		}
		return "ETHEREUM", 1
	}
	if network == "sepolia" {
		return "MATIC", 80002
	}
	return "MATIC", 137
}

// nftOf is a token as an NFT, and whether f keeps it.
func (s *Service) nftOf(r *http.Request, t Token, f *nftFilter, base string, snap *snapshot) (nftView, bool, error) {
	network, chainID := networkOf(t.Chain, s.cfg.Chain.Network())
	v := nftView{ID: t.Contract + "-" + t.TokenID, ContractAddress: t.Contract, TokenID: t.TokenID, Owner: t.Owner, Category: t.Category,
		URL: "/contracts/" + t.Contract + "/tokens/" + t.TokenID, Network: network, ChainID: chainID, CreatedAt: t.Since * 1000, UpdatedAt: t.Since * 1000}
	isItem := t.Category == "wearable" || t.Category == "emote"
	switch {
	case f.category != "" && f.category != t.Category,
		f.isLand && t.Category != "parcel" && t.Category != "estate",
		len(f.contracts) > 0 && !slices.Contains(f.contracts, t.Contract),
		f.tokenID != "" && f.tokenID != t.TokenID,
		f.itemID != "" && f.itemID != t.ItemID,
		f.network != "" && f.network != network,
		(f.minEstate >= 0 || f.maxEstate >= 0) && t.Category != "estate",
		(len(f.rarities) > 0 || len(f.creators) > 0 || f.head || f.accessory || f.smart || f.wearableCategory != "" || f.emoteCategory != "" ||
			len(f.wearableGenders) > 0 || len(f.emoteGenders) > 0 || len(f.playModes) > 0 || f.hasSound || f.hasGeometry) && !isItem:
		return v, false, nil
	}
	switch t.Category {
	case "parcel":
		v.Name = "Parcel"
		v.Image = base + "/atlas/v2/parcels/" + strconv.Itoa(t.X) + "/" + strconv.Itoa(t.Y) + "/map.png"
		pd := &parcelData{X: strconv.Itoa(t.X), Y: strconv.Itoa(t.Y)}
		if t.EstateID != "" {
			pd.Estate = &estateRef{TokenID: t.EstateID, Name: "Estate"}
		}
		v.Data.Parcel = pd
	case "estate":
		v.Name = "Estate"
		parcels, err := s.cfg.Chain.EstateParcels(r.Context(), t.TokenID)
		if err != nil {
			return v, false, err
		}
		ed := &estateData{Size: len(parcels), Parcels: make([]xy, len(parcels))}
		for i, p := range parcels {
			ed.Parcels[i] = xy{p[0], p[1]}
		}
		if f.minEstate >= 0 && ed.Size < f.minEstate || f.maxEstate >= 0 && ed.Size > f.maxEstate {
			return v, false, nil
		}
		v.Data.Estate = ed
	case "ens":
		v.Name = t.Name
		v.Data.ENS = &ensData{Subdomain: t.Name}
	default: // wearable, emote
		itemID, issued := t.ItemID, t.IssuedID
		v.ItemID = &itemID
		if issued != "" {
			v.IssuedID = &issued
		}
		it, err := s.idx.get(r.Context(), t.URN)
		if err != nil {
			return v, false, err
		}
		if it == nil {
			// An item this node holds no entity of: what the index says.
			it = &item{urn: t.URN, kind: t.Category, contract: t.Contract, itemID: t.ItemID, rarity: t.Rarity, bodyShapes: []string{},
				category: map[string]string{"emote": "dance"}[t.Category]}
			if it.category == "" {
				it.category = "eyewear"
			}
		}
		cv := snap.chainOf(it)
		ff := itemFilter{rarities: f.rarities, creators: f.creators, head: f.head, accessory: f.accessory, smart: f.smart,
			wearableCategory: f.wearableCategory, emoteCategory: f.emoteCategory, wearableGenders: f.wearableGenders,
			emoteGenders: f.emoteGenders, playModes: f.playModes, hasSound: f.hasSound, hasGeometry: f.hasGeometry}
		if !ff.match(it, cv) {
			return v, false, nil
		}
		rarity := cmp.Or(cv.rarityOr(it), "common")
		v.Name, v.Image = it.name, thumbnail(base, it)
		d := it.data(rarity)
		v.Data.Wearable, v.Data.Emote = d.Wearable, d.Emote
	}
	if v.Name == "" {
		v.Name = strings.ToUpper(t.Category[:1]) + t.Category[1:] // capitalize(category)
	}
	if f.search != "" && !strings.Contains(strings.ToLower(v.Name), f.search) {
		return v, false, nil
	}
	return v, true, nil
}
