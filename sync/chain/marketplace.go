package chain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// What the marketplace reads of the index and of the collections: the
// collections v2 the factories made and their items, every token of a
// contract or of an owner with what it is (a parcel, an estate, a NAME, a
// wearable or an emote), and, from the contracts themselves, what the
// index does not keep (an item's price and supply, a collection's
// approval and whether the collection store may mint it). Orders, bids
// and rentals are not indexed: nothing here prices a token for resale.

// MarketItem is a collection v2 item as the index knows it (AddItem).
type MarketItem struct {
	ItemID      string // decimal
	Rarity      string
	Kind        string // "wearable" or "emote"
	Beneficiary string
}

// MarketCollection is a factory-made collection and its items.
type MarketCollection struct {
	Address string // lower-case hex
	Creator string // "" when not known
	Items   []MarketItem
}

// MarketCollections lists the collections v2 of the index with their
// items, by address (none without a store or a Polygon index).
func (s *Service) MarketCollections(ctx context.Context) ([]MarketCollection, error) {
	if s.ks == nil {
		return nil, nil
	}
	byAddr := map[string]*MarketCollection{}
	get := func(a string) *MarketCollection {
		c := byAddr[a]
		if c == nil {
			c = &MarketCollection{Address: a}
			byAddr[a] = c
		}
		return c
	}
	if err := s.ks.Scan(ctx, "polygon/col/", func(name string, _ []byte) error {
		get(strings.TrimPrefix(name, "polygon/col/"))
		return nil
	}); err != nil {
		return nil, err
	}
	if err := s.ks.Scan(ctx, "polygon/cr/", func(name string, v []byte) error {
		get(strings.TrimPrefix(name, "polygon/cr/")).Creator = string(v)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := s.ks.Scan(ctx, "polygon/it/", func(name string, v []byte) error {
		c, id, ok := strings.Cut(strings.TrimPrefix(name, "polygon/it/"), "/")
		if !ok {
			return nil
		}
		var rec itemRecord
		json.Unmarshal(v, &rec)
		col := get(c)
		col.Items = append(col.Items, MarketItem{ItemID: id, Rarity: rec.Rarity, Kind: rec.Category, Beneficiary: rec.Beneficiary})
		return nil
	}); err != nil {
		return nil, err
	}
	out := make([]MarketCollection, 0, len(byAddr))
	for _, c := range byAddr {
		sort.Slice(c.Items, func(i, j int) bool { return decimalLess(c.Items[i].ItemID, c.Items[j].ItemID) })
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Address < out[j].Address })
	return out, nil
}

func decimalLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// MarketToken is one NFT of the index with what it is.
type MarketToken struct {
	Chain    string // "ethereum" or "polygon"
	Contract string // lower-case hex
	TokenID  *big.Int
	Owner    string
	Since    int64 // when it came to its owner (unix s; 0: unknown)
	// Category is "parcel", "estate", "ens", "wearable" or "emote" ("":
	// a token of a contract the marketplace does not list).
	Category string
	// Parcels: the coordinates and the estate holding it (nil: none).
	X, Y   int
	Estate *big.Int
	// NAMEs: the label.
	Subdomain string
	// Items: the item's URN (without the token id), its id in the
	// collection (v2: decimal; v1: the item's name), the issue number
	// (v2) and the rarity the index keeps (v2).
	URN, ItemID, IssuedID, Rarity string
}

// MarketTokens are the tokens owner holds on both chains ("" owner:
// none), in one contract when contract is set.
func (s *Service) MarketTokens(ctx context.Context, owner, contract string) ([]MarketToken, error) {
	if s.ks == nil || owner == "" {
		return nil, nil
	}
	owner = strings.ToLower(owner)
	var out []MarketToken
	for _, ch := range s.indexedChains() {
		if contract != "" && s.chainOfContract(contract) != ch {
			continue
		}
		toks, err := s.Tokens(ctx, ch, owner, contract)
		if err != nil {
			return nil, err
		}
		for _, t := range toks {
			mt, err := s.describe(ctx, ch, t.Contract, t.ID)
			if err != nil {
				return nil, err
			}
			if mt.Category == "" {
				continue
			}
			mt.Owner, mt.Since = owner, t.Since
			out = append(out, mt)
		}
	}
	return out, nil
}

// ContractTokens are the tokens of one contract the index knows a holder
// of, at most max of them (0: no bound), by token id; more reports
// whether the scan stopped at max.
func (s *Service) ContractTokens(ctx context.Context, contract string, max int) (list []MarketToken, more bool, err error) {
	if s.ks == nil {
		return nil, false, nil
	}
	contract = strings.ToLower(contract)
	ch := s.chainOfContract(contract)
	if !s.indexes(ch) {
		return nil, false, nil
	}
	p := ch + "/o/" + contract + "/"
	type held struct {
		id    *big.Int
		owner string
	}
	var found []held
	err = s.ks.Scan(ctx, p, func(name string, v []byte) error {
		if max > 0 && len(found) >= max {
			more = true
			return errStop
		}
		id, ok := new(big.Int).SetString(strings.TrimPrefix(name, p), 16)
		if ok {
			found = append(found, held{id, string(v)})
		}
		return nil
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	if err != nil {
		return nil, false, err
	}
	for _, h := range found {
		mt, err := s.describe(ctx, ch, contract, h.id)
		if err != nil {
			return nil, false, err
		}
		if mt.Category == "" {
			continue
		}
		mt.Owner = h.owner
		if since, ok, err := s.get(ctx, ch+"/a/"+h.owner+"/"+contract+"/"+hexID(h.id)); err != nil {
			return nil, false, err
		} else if ok {
			mt.Since, _ = strconv.ParseInt(since, 10, 64)
		}
		list = append(list, mt)
	}
	return list, more, nil
}

var errStop = errors.New("chain: scan stopped")

// ItemOwners are the holders of an item's tokens: a collection v2 item
// by its id, a collection v1 item by its name.
func (s *Service) ItemOwners(ctx context.Context, contract, itemID string) ([]MarketToken, error) {
	if s.ks == nil {
		return nil, nil
	}
	contract = strings.ToLower(contract)
	ch := s.chainOfContract(contract)
	if !s.indexes(ch) {
		return nil, nil
	}
	var want *big.Int
	if ch == "polygon" {
		var ok bool
		if want, ok = new(big.Int).SetString(itemID, 10); !ok {
			return nil, nil
		}
	}
	p := ch + "/o/" + contract + "/"
	var out []MarketToken
	err := s.ks.Scan(ctx, p, func(name string, v []byte) error {
		id, ok := new(big.Int).SetString(strings.TrimPrefix(name, p), 16)
		if !ok {
			return nil
		}
		if want != nil && new(big.Int).Rsh(id, 216).Cmp(want) != 0 {
			return nil
		}
		out = append(out, MarketToken{Chain: ch, Contract: contract, TokenID: id, Owner: string(v)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if ch == "polygon" {
		for i := range out {
			out[i].ItemID = itemID
			out[i].IssuedID = new(big.Int).And(out[i].TokenID, issuedMask).String()
		}
		return out, nil
	}
	// v1: the item each token was issued as.
	kept := out[:0]
	for _, t := range out {
		name, _, err := s.get(ctx, "ethereum/tk/"+contract+"/"+hexID(t.TokenID))
		if err != nil {
			return nil, err
		}
		if name == itemID {
			t.ItemID = name
			kept = append(kept, t)
		}
	}
	return kept, nil
}

var issuedMask = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 216), big.NewInt(1))

// EstateParcels are the parcels of an estate, from the index: every
// estate's parcels are read in one scan, kept for estateParcelsTTL (a
// listing of estates asks each of them).
func (s *Service) EstateParcels(ctx context.Context, estate *big.Int) ([][2]int, error) {
	if s.ks == nil || estate == nil {
		return nil, nil
	}
	s.estates.mu.Lock()
	defer s.estates.mu.Unlock()
	if s.estates.byID == nil || time.Since(s.estates.read) > estateParcelsTTL {
		byID := map[string][][2]int{}
		err := s.ks.Scan(ctx, "ethereum/el/", func(name string, v []byte) error {
			if id, ok := new(big.Int).SetString(strings.TrimPrefix(name, "ethereum/el/"), 16); ok {
				x, y := parcelXY(id)
				byID[string(v)] = append(byID[string(v)], [2]int{x, y})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		s.estates.byID, s.estates.read = byID, time.Now()
	}
	return slices.Clone(s.estates.byID[hexID(estate)]), nil
}

// estateParcelsTTL is how long EstateParcels' scan is kept.
const estateParcelsTTL = 30 * time.Second

// estateIndex is EstateParcels' scan.
type estateIndex struct {
	mu   sync.Mutex
	read time.Time
	byID map[string][][2]int // by the estate's hex id
}

func (s *Service) indexedChains() []string {
	var out []string
	for _, ix := range s.indexers {
		out = append(out, ix.c.name)
	}
	return out
}

func (s *Service) indexes(chain string) bool { return s.Indexer(chain) != nil }

// chainOfContract is where a contract's tokens live: the L1 registries
// and collections v1 on Ethereum, anything else (collections v2) on
// Polygon.
func (s *Service) chainOfContract(contract string) string {
	contract = strings.ToLower(contract)
	for _, c := range []Contract{s.contracts.LAND, s.contracts.Estate, s.contracts.Registrar} {
		if c.set() && lower(c.Address) == contract {
			return "ethereum"
		}
	}
	if _, ok := s.v1Name(contract); ok {
		return "ethereum"
	}
	return "polygon"
}

func (s *Service) v1Name(contract string) (string, bool) {
	for name, c := range s.contracts.CollectionsV1 {
		if lower(c.Address) == contract {
			return name, true
		}
	}
	return "", false
}

// describe says what a token is, from its contract and the index.
func (s *Service) describe(ctx context.Context, ch, contract string, id *big.Int) (MarketToken, error) {
	mt := MarketToken{Chain: ch, Contract: contract, TokenID: id}
	c := s.contracts
	l1, l2 := "ethereum", "matic"
	if s.network == "sepolia" {
		l1, l2 = "sepolia", "amoy"
	}
	switch {
	case ch == "ethereum" && c.LAND.set() && contract == lower(c.LAND.Address):
		mt.Category = "parcel"
		mt.X, mt.Y = parcelXY(id)
		if c.Estate.set() {
			e, ok, err := s.get(ctx, "ethereum/el/"+hexID(id))
			if err != nil {
				return mt, err
			}
			if ok {
				mt.Estate, _ = new(big.Int).SetString(e, 16)
			}
		}
	case ch == "ethereum" && c.Estate.set() && contract == lower(c.Estate.Address):
		mt.Category = "estate"
	case ch == "ethereum" && c.Registrar.set() && contract == lower(c.Registrar.Address):
		name, ok, err := s.get(ctx, "ethereum/nm/"+hexID(id))
		if err != nil {
			return mt, err
		}
		if ok {
			mt.Category, mt.Subdomain = "ens", name
		}
	case ch == "ethereum":
		coll, ok := s.v1Name(contract)
		if !ok {
			return mt, nil
		}
		item, found, err := s.get(ctx, "ethereum/tk/"+contract+"/"+hexID(id))
		if err != nil {
			return mt, err
		}
		if found {
			mt.Category, mt.ItemID = "wearable", item
			mt.URN = "urn:decentraland:" + l1 + ":collections-v1:" + coll + ":" + item
		}
	case ch == "polygon":
		itemID := new(big.Int).Rsh(id, 216).String()
		v, ok, err := s.get(ctx, "polygon/it/"+contract+"/"+itemID)
		if err != nil {
			return mt, err
		}
		var rec itemRecord
		if ok {
			json.Unmarshal([]byte(v), &rec)
		}
		mt.Category = rec.Category
		if mt.Category == "" {
			mt.Category = "wearable" // an item the index has no AddItem of
		}
		mt.ItemID, mt.IssuedID, mt.Rarity = itemID, new(big.Int).And(id, issuedMask).String(), rec.Rarity
		mt.URN = "urn:decentraland:" + l2 + ":collections-v2:" + contract + ":" + itemID
	}
	return mt, nil
}

// marketViews are the views of a collection v2 the marketplace reads
// besides those of the access checks (ERC721BaseCollectionV2).
var marketViews = mustABI(`[
 {"name":"globalMinters","type":"function","stateMutability":"view","inputs":[{"name":"a","type":"address"}],"outputs":[{"name":"","type":"bool"}]},
 {"name":"itemMinters","type":"function","stateMutability":"view","inputs":[{"name":"id","type":"uint256"},{"name":"a","type":"address"}],"outputs":[{"name":"","type":"uint256"}]},
 {"name":"name","type":"function","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"string"}]}
]`)

func packMarket(method string, args ...any) []byte {
	b, err := marketViews.Pack(method, args...)
	if err != nil {
		panic(fmt.Sprintf("chain: pack %s: %v", method, err))
	}
	return b
}

// LiveItem is what a collection v2 says of one of its items now.
type LiveItem struct {
	Known                         bool // the contract answered items(id)
	Rarity                        string
	Price, MaxSupply, TotalSupply *big.Int
	Beneficiary                   string
	Metadata, ContentHash         string
	// StoreMinter: the collection store may mint it (a primary sale).
	StoreMinter bool
}

// LiveCollection is what a collection v2 says of itself now.
type LiveCollection struct {
	Known               bool // the contract answered
	Name                string
	Approved, Completed bool
	Creator             string
	// StoreMinter: the collection store may mint every item.
	StoreMinter bool
}

// LiveItemRef names an item of a collection v2.
type LiveItemRef struct {
	Collection string // lower-case hex
	ItemID     string // decimal
}

// MaxLiveCalls bounds the view calls of one MarketLive.
const MaxLiveCalls = 20000

// MarketLive reads, at Polygon's head, the collections and items asked:
// each collection's name, approval, creator and minters, each item's
// price, supply and minters. Without a Polygon RPC it answers nothing.
// Asking more than MaxLiveCalls calls is an error.
func (s *Service) MarketLive(ctx context.Context, collections []string, items []LiveItemRef) (map[string]LiveCollection, map[LiveItemRef]LiveItem, error) {
	cols, its := map[string]LiveCollection{}, map[LiveItemRef]LiveItem{}
	if s.polygon == nil {
		return cols, its, nil
	}
	if n := 5*len(collections) + 2*len(items); n > MaxLiveCalls {
		return nil, nil, fmt.Errorf("chain: %d view calls asked at once (at most %d)", n, MaxLiveCalls)
	}
	store := s.contracts.CollectionStore.Address
	var calls []Call
	for _, c := range collections {
		to := common.HexToAddress(c)
		calls = append(calls,
			Call{To: to, Data: packMarket("name"), Block: Latest},
			Call{To: to, Data: pack("isApproved"), Block: Latest},
			Call{To: to, Data: pack("isCompleted"), Block: Latest},
			Call{To: to, Data: pack("creator"), Block: Latest},
			Call{To: to, Data: packMarket("globalMinters", store), Block: Latest})
	}
	for _, it := range items {
		id, ok := new(big.Int).SetString(it.ItemID, 10)
		if !ok || id.Sign() < 0 || id.BitLen() > 256 {
			id = new(big.Int)
		}
		to := common.HexToAddress(it.Collection)
		calls = append(calls,
			Call{To: to, Data: pack("items", id), Block: Latest},
			Call{To: to, Data: packMarket("itemMinters", id, store), Block: Latest})
	}
	if len(calls) == 0 {
		return cols, its, nil
	}
	res, err := s.polygon.Calls(ctx, calls)
	if err != nil {
		return nil, nil, err
	}
	for i, c := range collections {
		r := res[5*i : 5*i+5]
		lc := LiveCollection{}
		if vals, err := marketViews.Unpack("name", r[0]); err == nil && len(vals) == 1 {
			lc.Name, _ = vals[0].(string)
		}
		lc.Known = r[1] != nil || r[3] != nil
		lc.Approved, lc.Completed = boolean(r[1]), boolean(r[2])
		if r[3] != nil {
			lc.Creator = lower(address(r[3]))
		}
		lc.StoreMinter = store != (common.Address{}) && boolean(r[4])
		cols[strings.ToLower(c)] = lc
	}
	base := 5 * len(collections)
	for i, it := range items {
		r := res[base+2*i : base+2*i+2]
		li := LiveItem{}
		if vals, err := views.Unpack("items", r[0]); err == nil && len(vals) == 7 {
			li.Known = true
			li.Rarity, _ = vals[0].(string)
			li.MaxSupply, _ = vals[1].(*big.Int)
			li.TotalSupply, _ = vals[2].(*big.Int)
			li.Price, _ = vals[3].(*big.Int)
			if b, ok := vals[4].(common.Address); ok {
				li.Beneficiary = lower(b)
			}
			li.Metadata, _ = vals[5].(string)
			li.ContentHash, _ = vals[6].(string)
		}
		li.StoreMinter = store != (common.Address{}) && word(r[1]).Sign() > 0
		its[LiveItemRef{Collection: strings.ToLower(it.Collection), ItemID: it.ItemID}] = li
	}
	return cols, its, nil
}
