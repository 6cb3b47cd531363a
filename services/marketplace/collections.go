package marketplace

import (
	"cmp"
	"math/big"
	"net/http"
	"slices"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
)

// collectionView is ports/collections Collection.
type collectionView struct {
	URN             string `json:"urn"`
	Creator         string `json:"creator"`
	Name            string `json:"name"`
	ContractAddress string `json:"contractAddress"`
	CreatedAt       int64  `json:"createdAt"`
	UpdatedAt       int64  `json:"updatedAt"`
	ReviewedAt      int64  `json:"reviewedAt"`
	IsOnSale        bool   `json:"isOnSale"`
	Size            int    `json:"size"`
	Network         string `json:"network"`
	ChainID         int    `json:"chainId"`
	FirstListedAt   *int64 `json:"firstListedAt"`
	approved        *bool
}

// nodeCollections are the collections of the node's items, with what the
// index and the contracts say of each.
func (s *Service) nodeCollections(r *http.Request) ([]collectionView, error) {
	all, err := s.idx.all(r.Context())
	if err != nil {
		return nil, err
	}
	snap := s.snap.get()
	byAddr := map[string]*collectionView{}
	var order []string
	for _, it := range all {
		c := byAddr[it.contract]
		if c == nil {
			parts := strings.Split(it.urn, ":")
			c = &collectionView{URN: strings.Join(parts[:5], ":"), ContractAddress: it.contract, Network: it.network, ChainID: it.chainID,
				Creator: it.deployer, CreatedAt: it.createdAt, UpdatedAt: it.updatedAt}
			if it.v1 {
				c.Name = parts[4]
			}
			if ic, ok := snap.cols[it.contract]; ok {
				c.Size = len(ic.Items)
				if ic.Creator != "" {
					c.Creator = ic.Creator
				}
			}
			if lc, ok := snap.liveCols[it.contract]; ok && lc.Known {
				approved := lc.Approved
				c.approved = &approved
				c.IsOnSale = lc.Approved && lc.StoreMinter
				if lc.Name != "" {
					c.Name = lc.Name
				}
				if lc.Creator != "" && lc.Creator != zeroAddress {
					c.Creator = lc.Creator
				}
			}
			byAddr[it.contract] = c
			order = append(order, it.contract)
		}
		c.CreatedAt, c.UpdatedAt = min(c.CreatedAt, it.createdAt), max(c.UpdatedAt, it.updatedAt)
		if _, indexed := snap.cols[it.contract]; !indexed {
			c.Size++
		}
	}
	out := make([]collectionView, 0, len(order))
	for _, a := range order {
		out = append(out, *byAddr[a])
	}
	return out, nil
}

// GET /v1/collections: the collections of the node's items (approved
// ones only where the contract says).
func (s *Service) collections(w http.ResponseWriter, r *http.Request) {
	p := readParams(r, "first", "skip", "sortBy", "name", "search", "creator", "urn", "contractAddress", "isOnSale", "network")
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	pg := readPage(p, maxPage)
	sortBy := p.enum("sortBy", []string{"newest", "recently_reviewed", "name", "size", "recently_listed"})
	name, search := p.str("name"), strings.ToLower(strings.TrimSpace(p.str("search")))
	creator, contract, urn := p.address("creator"), p.address("contractAddress"), strings.ToLower(p.str("urn"))
	onSale, network := p.flag("isOnSale"), p.enum("network", networks)
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	all, err := s.nodeCollections(r)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	var list []collectionView
	for _, c := range all {
		switch {
		case c.approved != nil && !*c.approved,
			contract != "" && c.ContractAddress != contract,
			creator != "" && c.Creator != creator,
			urn != "" && c.URN != urn,
			onSale && !c.IsOnSale,
			name != "" && c.Name != name,
			search != "" && !strings.Contains(strings.ToLower(c.Name), search),
			network != "" && c.Network != network,
			sortBy == "recently_listed" && c.FirstListedAt == nil:
			continue
		}
		list = append(list, c)
	}
	slices.SortStableFunc(list, func(a, b collectionView) int {
		var c int
		switch sortBy {
		case "newest":
			c = cmp.Compare(b.CreatedAt, a.CreatedAt)
		case "recently_reviewed":
			c = cmp.Compare(b.ReviewedAt, a.ReviewedAt)
		case "size":
			c = cmp.Compare(b.Size, a.Size)
		default:
			c = strings.Compare(a.Name, b.Name)
		}
		return cmp.Or(c, strings.Compare(a.ContractAddress, b.ContractAddress))
	})
	httpx.JSON(w, http.StatusOK, map[string]any{"data": pageOf(list, pg), "total": len(list)})
}

// accountView is ports/accounts Account.
type accountView struct {
	ID          string `json:"id"`
	Address     string `json:"address"`
	Sales       int    `json:"sales"`
	Purchases   int    `json:"purchases"`
	Spent       string `json:"spent"`
	Earned      string `json:"earned"`
	Royalties   string `json:"royalties"`
	Collections int    `json:"collections"`
	spent       *big.Int
	earned      *big.Int
}

// GET /v1/accounts: who sold, bought or created, from the sales the node
// saw and the index's collections.
func (s *Service) accounts(w http.ResponseWriter, r *http.Request) {
	p := readParams(r, "first", "skip", "sortBy", "id", "address", "network")
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	pg := readPage(p, maxPage)
	sortBy := p.enum("sortBy", []string{"most_sales", "most_purchases", "most_royalties", "most_collections", "most_earned", "most_spent"})
	id := strings.ToLower(p.str("id"))
	addrs := p.addressList("address")
	network := p.enum("network", networks)
	if id != "" {
		// Squid account ids are address-NETWORK.
		a, _, _ := strings.Cut(id, "-")
		if !isAddress(a) {
			p.fail("'id' must be an account id (an address, or address-ETHEREUM|POLYGON), not '%s'", p.str("id"))
		}
		id = a
	}
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	byAddr := map[string]*accountView{}
	get := func(a string) *accountView {
		acc := byAddr[a]
		if acc == nil {
			acc = &accountView{ID: a, Address: a, spent: new(big.Int), earned: new(big.Int), Royalties: "0"}
			byAddr[a] = acc
		}
		return acc
	}
	sales, err := s.loadedSales(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	snap := s.snap.get()
	for _, sale := range sales {
		if network != "" && sale.Network != network {
			continue
		}
		_, price := priced(sale, snap)
		seller, buyer := get(sale.Seller), get(sale.Buyer)
		seller.Sales++
		seller.earned.Add(seller.earned, price)
		buyer.Purchases++
		buyer.spent.Add(buyer.spent, price)
	}
	if network == "" || network == "MATIC" {
		for _, c := range snap.cols {
			if c.Creator != "" {
				get(c.Creator).Collections++
			}
		}
	}
	var list []accountView
	for a, acc := range byAddr {
		if id != "" && a != id || len(addrs) > 0 && !slices.Contains(addrs, a) || a == zeroAddress {
			continue
		}
		acc.Spent, acc.Earned = acc.spent.String(), acc.earned.String()
		list = append(list, *acc)
	}
	slices.SortFunc(list, func(a, b accountView) int {
		var c int
		switch sortBy {
		case "most_purchases":
			c = cmp.Compare(b.Purchases, a.Purchases)
		case "most_collections":
			c = cmp.Compare(b.Collections, a.Collections)
		case "most_earned":
			c = b.earned.Cmp(a.earned)
		case "most_spent":
			c = b.spent.Cmp(a.spent)
		case "most_royalties":
		default:
			c = cmp.Compare(b.Sales, a.Sales)
		}
		return cmp.Or(c, strings.Compare(a.Address, b.Address))
	})
	httpx.JSON(w, http.StatusOK, map[string]any{"data": pageOf(list, pg), "total": len(list)})
}

type ownerView struct {
	IssuedID string `json:"issuedId"`
	OwnerID  string `json:"ownerId"`
	TokenID  string `json:"tokenId"`
}

// GET /v1/owners?contractAddress&itemId: the holders of an item's
// tokens, by issue number (the newest first by default).
func (s *Service) owners(w http.ResponseWriter, r *http.Request) {
	p := readParams(r, "contractAddress", "itemId", "sortBy", "orderDirection", "first", "skip")
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	contract, itemID := p.address("contractAddress"), p.str("itemId")
	p.enum("sortBy", []string{"issuedId"})
	dir := cmp.Or(p.enum("orderDirection", []string{"asc", "desc"}), "desc")
	first, skip := min(p.num("first", 20), maxPage), p.num("skip", 0)
	if p.err == nil && (contract == "" || itemID == "") {
		p.fail("itemId and contractAddress are necessary params.")
	}
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	var list []ownerView
	if s.cfg.Chain != nil {
		toks, err := s.cfg.Chain.ItemOwners(r.Context(), contract, itemID)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		for _, t := range toks {
			list = append(list, ownerView{IssuedID: cmp.Or(t.IssuedID, t.TokenID), OwnerID: t.Owner, TokenID: t.TokenID})
		}
	}
	slices.SortFunc(list, func(a, b ownerView) int {
		c := decimalCompare(a.IssuedID, b.IssuedID)
		if dir == "desc" {
			c = -c
		}
		return c
	})
	httpx.JSON(w, http.StatusOK, map[string]any{"data": pageOf(list, page{first: first, skip: skip}), "total": len(list)})
}
