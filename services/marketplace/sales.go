package marketplace

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// Sales: the index publishes an item-sold event for every Issue the
// collection store makes (a primary sale); the marketplace records each
// one in its keyspace (sale/<timestamp>/<id>) as a @dcl/schemas Sale of
// type mint, priced at the item's price as its contract said at the last
// read. Orders and bids are not indexed: no sale of type order or bid is
// ever known.

// saleView is @dcl/schemas' Sale (adapters/sales fromDBSaleToSale).
type saleView struct {
	ID              string `json:"id"`
	Type            string `json:"type"`
	Buyer           string `json:"buyer"`
	Seller          string `json:"seller"`
	ItemID          string `json:"itemId"`
	TokenID         string `json:"tokenId"`
	ContractAddress string `json:"contractAddress"`
	Price           string `json:"price"`
	Timestamp       int64  `json:"timestamp"`
	TxHash          string `json:"txHash"`
	Network         string `json:"network"`
	ChainID         int    `json:"chainId"`
}

// storedSale is a sale as the keyspace keeps it (with its category).
type storedSale struct {
	saleView
	Category string `json:"category"`
}

// salesLog keeps the newest sales in memory (the keyspace holds them all).
type salesLog struct {
	mu         sync.RWMutex
	loaded     bool
	list       []storedSale // by timestamp
	lastByItem map[string]int64
}

// maxSalesInMemory bounds the sales the lists read.
const maxSalesInMemory = 100_000

func (l *salesLog) load(ctx context.Context, ks *store.Keyspace) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.loaded {
		return nil
	}
	l.list, l.lastByItem = nil, map[string]int64{}
	var all []storedSale
	err := ks.Scan(ctx, "sale/", func(_ string, v []byte) error {
		var s storedSale
		if json.Unmarshal(v, &s) == nil {
			all = append(all, s)
		}
		return nil
	})
	// Sorted once (not inserted one by one), the newest kept.
	slices.SortFunc(all, compareSales)
	all = slices.CompactFunc(all, func(a, b storedSale) bool { return a.ID == b.ID })
	for _, s := range all {
		k := s.ContractAddress + "-" + s.ItemID
		l.lastByItem[k] = max(l.lastByItem[k], s.Timestamp)
	}
	l.list = all[max(0, len(all)-maxSalesInMemory):]
	l.loaded = err == nil
	return err
}

func compareSales(a, b storedSale) int {
	return cmp.Or(cmp.Compare(a.Timestamp, b.Timestamp), strings.Compare(a.ID, b.ID))
}

// add appends s (l.mu held).
func (l *salesLog) add(s storedSale) {
	i, _ := slices.BinarySearchFunc(l.list, s, compareSales)
	if i < len(l.list) && l.list[i].ID == s.ID {
		return // seen (the bus delivers at least once)
	}
	// Lists read the slice they got without the lock: a sale at the end
	// goes past every reader's length (in place); one in the middle goes
	// into a new array.
	if i == len(l.list) {
		l.list = append(l.list, s)
	} else {
		l.list = slices.Insert(slices.Clip(l.list), i, s)
	}
	if len(l.list) > maxSalesInMemory {
		l.list = l.list[len(l.list)-maxSalesInMemory:]
	}
	k := s.ContractAddress + "-" + s.ItemID
	l.lastByItem[k] = max(l.lastByItem[k], s.Timestamp)
}

func (l *salesLog) all() []storedSale {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.list
}

func (l *salesLog) lastSold(contract, itemID string) int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.lastByItem[contract+"-"+itemID]
}

// recordSale keeps an item-sold event as a sale.
func (s *Service) recordSale(ctx context.Context, e events.StoredEvent) error {
	var m struct {
		Buyer   string `json:"buyer"`
		Seller  string `json:"seller"`
		TokenID string `json:"tokenId"`
		Link    string `json:"link"`
		Network string `json:"network"`
		Cat     string `json:"category"`
	}
	if json.Unmarshal(e.Metadata, &m) != nil {
		return nil
	}
	_, rest, _ := strings.Cut(m.Link, "/contracts/")
	contract, _, _ := strings.Cut(rest, "/")
	contract = strings.ToLower(contract)
	token, ok := new(big.Int).SetString(m.TokenID, 10)
	if !ok || token.Sign() < 0 || token.BitLen() > 256 || !isAddress(contract) || !isAddress(m.Buyer) {
		s.log.Warn("an item-sold event the marketplace cannot read", "key", e.Key)
		return nil
	}
	id := strings.TrimPrefix(e.Key, "item-sold-")
	tx, _, _ := strings.Cut(id, "-")
	itemID := new(big.Int).Rsh(token, 216).String()
	price := "" // read at the next answer when the contract has not been read yet
	if li, ok := s.snap.get().liveItems[ItemRef{Collection: contract, ItemID: itemID}]; ok && li.Known && li.Price != nil {
		price = li.Price.String()
	}
	network, chainID := networkOf("polygon", s.network())
	sale := storedSale{saleView: saleView{ID: id, Type: "mint", Buyer: strings.ToLower(m.Buyer), Seller: strings.ToLower(m.Seller),
		ItemID: itemID, TokenID: m.TokenID, ContractAddress: contract, Price: price, Timestamp: e.Timestamp, TxHash: tx,
		Network: network, ChainID: chainID}, Category: cmp.Or(m.Cat, "wearable")}
	b, _ := json.Marshal(sale)
	if err := s.ks.Write(ctx, map[string][]byte{fmt.Sprintf("sale/%016x/%s", e.Timestamp, id): b}); err != nil {
		return err
	}
	s.m.sales.Inc()
	s.sales.mu.Lock()
	if s.sales.loaded {
		s.sales.add(sale)
	}
	s.sales.mu.Unlock()
	return nil
}

// priced is a sale with its price: the one recorded, else the item's
// price as its contract says now.
func priced(sale storedSale, snap *snapshot) (saleView, *big.Int) {
	v := sale.saleView
	if v.Price == "" {
		v.Price = "0"
		if li, ok := snap.liveItems[ItemRef{Collection: v.ContractAddress, ItemID: v.ItemID}]; ok && li.Known && li.Price != nil {
			v.Price = li.Price.String()
		}
	}
	price, ok := new(big.Int).SetString(v.Price, 10)
	if !ok {
		price = new(big.Int)
	}
	return v, price
}

func (s *Service) network() string {
	if s.cfg.Chain != nil {
		return s.cfg.Chain.Network()
	}
	return s.cfg.Network
}

func (s *Service) loadedSales(ctx context.Context) ([]storedSale, error) {
	if err := s.sales.load(ctx, s.ks); err != nil {
		return nil, err
	}
	return s.sales.all(), nil
}

// GET /v1/sales
func (s *Service) salesList(w http.ResponseWriter, r *http.Request) {
	p := readParams(r, "first", "skip", "sortBy", "type", "category", "seller", "buyer", "contractAddress", "tokenId", "itemId",
		"from", "to", "minPrice", "maxPrice", "network")
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	pg := readPage(p, 100)
	sortBy := p.enum("sortBy", []string{"recently_sold", "most_expensive"})
	typ := p.enum("type", []string{"order", "bid", "mint"})
	cats := p.enumList("category", nftCategories)
	seller, buyer, contract := p.address("seller"), p.address("buyer"), p.address("contractAddress")
	tokenID, itemID := p.decimalID("tokenId", "token ids"), p.str("itemId")
	from, hasFrom := p.int64("from")
	to, hasTo := p.int64("to")
	minPrice, maxPrice := p.wei("minPrice"), p.wei("maxPrice")
	network := p.enum("network", networks)
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	all, err := s.loadedSales(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	snap := s.snap.get()
	var list []saleView
	for i := len(all) - 1; i >= 0; i-- {
		sale := all[i]
		v, price := priced(sale, snap)
		switch {
		case typ != "" && sale.Type != typ,
			len(cats) > 0 && !slices.Contains(cats, sale.Category),
			seller != "" && sale.Seller != seller, buyer != "" && sale.Buyer != buyer,
			contract != "" && sale.ContractAddress != contract,
			tokenID != "" && sale.TokenID != tokenID, itemID != "" && sale.ItemID != itemID,
			hasFrom && sale.Timestamp < from, hasTo && sale.Timestamp > to,
			minPrice != nil && price.Cmp(minPrice) < 0, maxPrice != nil && price.Cmp(maxPrice) > 0,
			network != "" && sale.Network != network:
			continue
		}
		list = append(list, v)
	}
	if sortBy == "most_expensive" {
		slices.SortStableFunc(list, func(a, b saleView) int { return decimalCompare(b.Price, a.Price) })
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"data": pageOf(list, pg), "total": len(list)})
}

// priceParams are getPricesParams'.
var priceParams = []string{"category", "assetType", "isWearableHead", "isWearableAccessory", "isWearableSmart", "wearableCategory",
	"wearableGender", "emoteCategory", "emoteGender", "emotePlayMode", "contractAddress", "itemRarity", "network", "adjacentToRoad",
	"minDistanceToPlaza", "maxDistanceToPlaza", "maxEstateSize", "minEstateSize", "emoteHasSound", "emoteHasGeometry", "emoteOutcomeType"}

// GET /v1/prices: how many of what is for sale there is at each price
// (ordered by price). Items are for sale when the collection store mints
// them; NFTs and LAND only through orders, which are not indexed.
func (s *Service) prices(w http.ResponseWriter, r *http.Request) {
	p := readParams(r, priceParams...)
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	category := p.enum("category", append(slices.Clone(nftCategories), "land"))
	assetType := p.enum("assetType", []string{"nft", "item"})
	f := itemFilter{head: p.flag("isWearableHead"), accessory: p.flag("isWearableAccessory"), smart: p.flag("isWearableSmart"),
		wearableCategory: p.enum("wearableCategory", wearableCategories), wearableGenders: p.enumList("wearableGender", genders),
		emoteCategory: p.enum("emoteCategory", emoteCategories), emoteGenders: p.enumList("emoteGender", genders),
		playModes: p.enumList("emotePlayMode", emotePlayModes), contracts: p.addressList("contractAddress"),
		rarities: p.enumList("itemRarity", rarityList), network: p.enum("network", networks), hasSound: p.flag("emoteHasSound"),
		hasGeometry: p.flag("emoteHasGeometry"), outcomeType: p.enum("emoteOutcomeType", emoteOutcomeTypes), onSale: true}
	p.flag("adjacentToRoad")
	for _, k := range []string{"minDistanceToPlaza", "maxDistanceToPlaza", "maxEstateSize", "minEstateSize"} {
		p.optNum(k)
	}
	if p.err == nil && category == "" {
		p.fail("'category' is required: one of %s", strings.Join(append(slices.Clone(nftCategories), "land"), ", "))
	}
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	counts := map[string]int{}
	if (category == "wearable" || category == "emote") && assetType != "nft" {
		f.category = category
		list, err := s.filtered(r, &f)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		for _, e := range list {
			counts[e.cv.price.String()]++
		}
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, decimalCompare)
	// An object in price order (consolidatePrices sorts its keys).
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, "%q:%d", k, counts[k])
	}
	buf.WriteString("}\n")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(buf.Bytes())
}

// GET /v1/trendings?size: the items on sale sold most in the last day:
// 60% by sales, 40% by volume (price × sales), as the original's
// trendings component.
func (s *Service) trendings(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.signer(w, r); !ok {
		return
	}
	p := readParams(r, "size", "includeSocialEmotes")
	size := p.num("size", 20)
	p.flag("includeSocialEmotes")
	if p.err != nil {
		fail(w, http.StatusBadRequest, p.err.Error())
		return
	}
	if size == 0 {
		size = 20
	}
	size = min(size, maxPage)
	all, err := s.loadedSales(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	since := s.cfg.Now().Add(-24 * time.Hour).UnixMilli()
	count := map[string]int{}
	for i := len(all) - 1; i >= 0 && all[i].Timestamp > since; i-- {
		count[all[i].ContractAddress+"-"+all[i].ItemID]++
	}
	items, err := s.idx.all(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	snap := s.snap.get()
	var sold []entry
	for _, it := range items {
		if count[it.id()] == 0 {
			continue
		}
		if cv := snap.chainOf(it); cv.onSale {
			sold = append(sold, entry{it, cv})
		}
	}
	bySales := slices.Clone(sold)
	slices.SortStableFunc(bySales, func(a, b entry) int {
		return cmp.Or(cmp.Compare(count[b.it.id()], count[a.it.id()]), strings.Compare(a.it.id(), b.it.id()))
	})
	bySales = bySales[:min(len(bySales), size*6/10)]
	volume := func(e entry) *big.Int { return new(big.Int).Mul(e.cv.price, big.NewInt(int64(count[e.it.id()]))) }
	byVolume := slices.DeleteFunc(slices.Clone(sold), func(e entry) bool {
		return slices.ContainsFunc(bySales, func(x entry) bool { return x.it == e.it })
	})
	slices.SortStableFunc(byVolume, func(a, b entry) int {
		return cmp.Or(volume(b).Cmp(volume(a)), strings.Compare(a.it.id(), b.it.id()))
	})
	byVolume = byVolume[:min(len(byVolume), size*4/10)]
	picked := append(bySales, byVolume...)
	// A deterministic order of the picks (the original shuffles with a
	// seeded random of the ids).
	hash := func(e entry) uint64 { h := fnv.New64a(); h.Write([]byte(e.it.id())); return h.Sum64() }
	slices.SortFunc(picked, func(a, b entry) int { return cmp.Compare(hash(a), hash(b)) })
	base := httpx.BaseURL(r, s.cfg.PublicURL)
	out := make([]itemView, len(picked))
	for i, e := range picked {
		out[i] = s.view(e.it, e.cv, base, false, false)
	}
	w.Header().Set("Cache-Control", "public,max-age=3600,s-maxage=3600")
	httpx.JSON(w, http.StatusOK, map[string]any{"data": out})
}
