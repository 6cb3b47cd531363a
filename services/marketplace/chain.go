package marketplace

import (
	"context"
	"math/big"
	"strings"

	"github.com/p2pcatalyst/catalyst/sync/chain"
)

// Chain is what the marketplace reads of the chain: the node's index
// (tokens, their holders, collections v2 and their items) and, for what
// the index does not keep, the collections' own views at the head. Every
// answer is as of the index's last block.
type Chain interface {
	// Network is "mainnet" or "sepolia".
	Network() string
	// Contracts are the addresses NFT categories come from.
	Contracts() Contracts
	// Tokens are the tokens owner holds (parcels, estates, NAMEs,
	// wearables, emotes), in one contract when contract is set.
	Tokens(ctx context.Context, owner, contract string) ([]Token, error)
	// ContractTokens are the tokens of one contract with their holders,
	// at most max of them; more: the list was cut.
	ContractTokens(ctx context.Context, contract string, max int) (list []Token, more bool, err error)
	// ItemOwners are the holders of the tokens of one item.
	ItemOwners(ctx context.Context, contract, itemID string) ([]Token, error)
	// EstateParcels are an estate's parcels.
	EstateParcels(ctx context.Context, estateID string) ([][2]int, error)
	// Collections are the collections v2 of the index with their items.
	Collections(ctx context.Context) ([]Collection, error)
	// Live reads collections and items from their contracts now (empty
	// without a Polygon RPC).
	Live(ctx context.Context, collections []string, items []ItemRef) (map[string]LiveCollection, map[ItemRef]LiveItem, error)
}

// Contracts are the registries of the L1 categories.
type Contracts struct {
	LAND, Estate, Registrar string // lower-case hex
	// CollectionsV1 maps a collections-v1 name to its address.
	CollectionsV1 map[string]string
}

// Token is one NFT and what it is.
type Token struct {
	Chain    string // "ethereum" | "polygon"
	Contract string
	TokenID  string // decimal
	Owner    string
	Since    int64  // unix s (0: unknown)
	Category string // parcel | estate | ens | wearable | emote
	X, Y     int
	EstateID string // a parcel's estate ("": none)
	Name     string // an ens token's label
	URN      string // items: without the token id
	ItemID   string // v2: decimal; v1: the item's name
	IssuedID string
	Rarity   string
}

// Collection is a collection v2 of the index.
type Collection struct {
	Address string
	Creator string
	Items   []ChainItem
}

// ChainItem is an item as the index keeps it.
type ChainItem struct {
	ItemID, Rarity, Kind, Beneficiary string
}

// ItemRef names an item of a collection v2.
type ItemRef struct{ Collection, ItemID string }

// LiveCollection is what a collection's contract says of it.
type LiveCollection struct {
	Known, Approved, Completed, StoreMinter bool
	Name, Creator                           string
}

// LiveItem is what a collection's contract says of an item.
type LiveItem struct {
	Known, StoreMinter            bool
	Rarity, Beneficiary           string
	Price, MaxSupply, TotalSupply *big.Int
	Metadata, ContentHash         string
}

// ChainOf shows the node's chain service to the marketplace; nil (dev
// mode) gives nil.
func ChainOf(c *chain.Service) Chain {
	if c == nil {
		return nil
	}
	return chainAdapter{c}
}

type chainAdapter struct{ c *chain.Service }

func (a chainAdapter) Network() string { return a.c.Status().Network }

func (a chainAdapter) Contracts() Contracts {
	c := a.c.Contracts()
	out := Contracts{LAND: hexOf(c.LAND), Estate: hexOf(c.Estate), Registrar: hexOf(c.Registrar), CollectionsV1: map[string]string{}}
	for name, k := range c.CollectionsV1 {
		out.CollectionsV1[name] = hexOf(k)
	}
	return out
}

func hexOf(c chain.Contract) string { return strings.ToLower(c.Address.Hex()) }

func tokenOf(t chain.MarketToken) Token {
	out := Token{Chain: t.Chain, Contract: t.Contract, Owner: t.Owner, Since: t.Since, Category: t.Category, X: t.X, Y: t.Y,
		Name: t.Subdomain, URN: t.URN, ItemID: t.ItemID, IssuedID: t.IssuedID, Rarity: t.Rarity}
	if t.TokenID != nil {
		out.TokenID = t.TokenID.String()
	}
	if t.Estate != nil {
		out.EstateID = t.Estate.String()
	}
	return out
}

func tokensOf(list []chain.MarketToken) []Token {
	out := make([]Token, len(list))
	for i, t := range list {
		out[i] = tokenOf(t)
	}
	return out
}

func (a chainAdapter) Tokens(ctx context.Context, owner, contract string) ([]Token, error) {
	list, err := a.c.MarketTokens(ctx, owner, contract)
	return tokensOf(list), err
}

func (a chainAdapter) ContractTokens(ctx context.Context, contract string, max int) ([]Token, bool, error) {
	list, more, err := a.c.ContractTokens(ctx, contract, max)
	return tokensOf(list), more, err
}

func (a chainAdapter) ItemOwners(ctx context.Context, contract, itemID string) ([]Token, error) {
	list, err := a.c.ItemOwners(ctx, contract, itemID)
	return tokensOf(list), err
}

func (a chainAdapter) EstateParcels(ctx context.Context, estateID string) ([][2]int, error) {
	id, ok := new(big.Int).SetString(estateID, 10)
	if !ok {
		return nil, nil
	}
	return a.c.EstateParcels(ctx, id)
}

func (a chainAdapter) Collections(ctx context.Context) ([]Collection, error) {
	list, err := a.c.MarketCollections(ctx)
	out := make([]Collection, len(list))
	for i, c := range list {
		out[i] = Collection{Address: c.Address, Creator: c.Creator, Items: make([]ChainItem, len(c.Items))}
		for j, it := range c.Items {
			out[i].Items[j] = ChainItem{ItemID: it.ItemID, Rarity: it.Rarity, Kind: it.Kind, Beneficiary: it.Beneficiary}
		}
	}
	return out, err
}

func (a chainAdapter) Live(ctx context.Context, collections []string, items []ItemRef) (map[string]LiveCollection, map[ItemRef]LiveItem, error) {
	refs := make([]chain.LiveItemRef, len(items))
	for i, it := range items {
		refs[i] = chain.LiveItemRef{Collection: it.Collection, ItemID: it.ItemID}
	}
	cols, its, err := a.c.MarketLive(ctx, collections, refs)
	if err != nil {
		return nil, nil, err
	}
	outC := make(map[string]LiveCollection, len(cols))
	for k, c := range cols {
		outC[k] = LiveCollection{Known: c.Known, Approved: c.Approved, Completed: c.Completed, StoreMinter: c.StoreMinter, Name: c.Name, Creator: c.Creator}
	}
	outI := make(map[ItemRef]LiveItem, len(its))
	for k, it := range its {
		outI[ItemRef{Collection: k.Collection, ItemID: k.ItemID}] = LiveItem{Known: it.Known, StoreMinter: it.StoreMinter, Rarity: it.Rarity,
			Beneficiary: it.Beneficiary, Price: it.Price, MaxSupply: it.MaxSupply, TotalSupply: it.TotalSupply, Metadata: it.Metadata, ContentHash: it.ContentHash}
	}
	return outC, outI, nil
}
