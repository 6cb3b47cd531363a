package chain

import (
	"context"
	"errors"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/p2pcatalyst/catalyst/store"
)

// What the indexer knows, read the way lambdas and the services ask it.
// Every answer is as of the indexer's last block (Indexed).

// Token is one NFT an address holds.
type Token struct {
	Contract string // lower-case hex
	ID       *big.Int
	Since    int64 // when it came to the holder (unix s; 0: unknown)
}

// Tokens are the tokens owner holds on a chain ("ethereum", "polygon")
// in one contract ("": every contract).
func (s *Service) Tokens(ctx context.Context, chain, owner, contract string) ([]Token, error) {
	prefix := chain + "/a/" + strings.ToLower(owner) + "/"
	if contract != "" {
		prefix += strings.ToLower(contract) + "/"
	}
	var out []Token
	err := s.ks.Scan(ctx, prefix, func(name string, v []byte) error {
		rest := strings.TrimPrefix(name, chain+"/a/"+strings.ToLower(owner)+"/")
		c, id, ok := strings.Cut(rest, "/")
		if !ok {
			return nil
		}
		n, ok := new(big.Int).SetString(id, 16)
		if ok {
			since, _ := strconv.ParseInt(string(v), 10, 64)
			out = append(out, Token{Contract: c, ID: n, Since: since})
		}
		return nil
	})
	return out, err
}

func (s *Service) get(ctx context.Context, key string) (string, bool, error) {
	v, err := s.ks.Get(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return "", false, nil
	}
	return string(v), err == nil, err
}

// OwnerOf is a token's holder ("" when none is known).
func (s *Service) OwnerOf(ctx context.Context, chain, contract string, id *big.Int) (string, error) {
	v, _, err := s.get(ctx, chain+"/o/"+strings.ToLower(contract)+"/"+hexID(id))
	return v, err
}

// Name is a NAME and its token.
type Name struct {
	Name    string
	TokenID *big.Int
}

// Names are the NAMEs address holds (lambdas.Chain).
func (s *Service) Names(ctx context.Context, address string) ([]string, error) {
	list, err := s.NameTokens(ctx, address)
	var out []string
	for _, n := range list {
		out = append(out, n.Name)
	}
	return out, err
}

// NameTokens are the NAMEs address holds, with their token ids, by name.
func (s *Service) NameTokens(ctx context.Context, address string) ([]Name, error) {
	toks, err := s.Tokens(ctx, "ethereum", address, lower(s.contracts.Registrar.Address))
	if err != nil {
		return nil, err
	}
	var out []Name
	for _, t := range toks {
		name, ok, err := s.get(ctx, "ethereum/nm/"+hexID(t.ID))
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, Name{Name: name, TokenID: t.ID})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// NameOwner is who holds a NAME ("" when no one).
func (s *Service) NameOwner(ctx context.Context, name string) (string, error) {
	id := new(big.Int).SetBytes(labelHash(name))
	return s.OwnerOf(ctx, "ethereum", lower(s.contracts.Registrar.Address), id)
}

func labelHash(name string) []byte {
	return keccak([]byte(strings.ToLower(name)))
}

// Owned reports which of the item URNs address holds (lambdas.Chain): a
// URN with a token id, that token; a collections-v2 item without one,
// any token of the item; other URNs (v1 items by name without a token
// id, third parties) count as held, as PROTOCOL.md §9 has it.
func (s *Service) Owned(ctx context.Context, address string, urns []string) (map[string]bool, error) {
	out := map[string]bool{}
	address = strings.ToLower(address)
	for _, u := range urns {
		it, ok := parseItem(u)
		if !ok {
			continue
		}
		chain := layer(it.network)
		addr, known := s.collectionAddress(it)
		switch {
		case it.kind == "off-chain" || it.kind == "third-party" || chain == "":
			out[u] = true
		case !known:
			out[u] = false
		case it.tokenID != nil:
			owner, err := s.OwnerOf(ctx, chain, lower(addr), it.tokenID)
			if err != nil {
				return nil, err
			}
			out[u] = owner == address
		case it.kind == "v2":
			toks, err := s.Tokens(ctx, chain, address, lower(addr))
			if err != nil {
				return nil, err
			}
			want, _ := new(big.Int).SetString(it.item, 10)
			for _, t := range toks {
				if want != nil && new(big.Int).Rsh(t.ID, 216).Cmp(want) == 0 {
					out[u] = true
				}
			}
		default:
			out[u] = true
		}
	}
	return out, nil
}

// Parcel is a LAND or an estate an address holds.
type Parcel struct {
	Category string // "parcel" or "estate"
	Contract string
	TokenID  *big.Int
	X, Y     int // parcels only
}

// Lands are the parcels and estates owner holds.
func (s *Service) Lands(ctx context.Context, owner string) ([]Parcel, error) {
	var out []Parcel
	for _, c := range []struct {
		cat  string
		addr common.Address
	}{{"parcel", s.contracts.LAND.Address}, {"estate", s.contracts.Estate.Address}} {
		toks, err := s.Tokens(ctx, "ethereum", owner, lower(c.addr))
		if err != nil {
			return nil, err
		}
		for _, t := range toks {
			p := Parcel{Category: c.cat, Contract: lower(c.addr), TokenID: t.ID}
			if c.cat == "parcel" {
				p.X, p.Y = parcelXY(t.ID)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// ParcelOperators is who may act on a parcel, from the index.
type ParcelOperators struct {
	Owner, Operator, UpdateOperator string
	UpdateManagers, ApprovedForAll  []string
	// Estate is the estate holding the parcel (nil: none).
	Estate *big.Int
}

// Operators of parcel (x,y): its owner (through its estate, if an estate
// holds it), the approved address, the update operator, and the
// owner's update managers and operators for all.
func (s *Service) Operators(ctx context.Context, x, y int) (ParcelOperators, error) {
	land := lower(s.contracts.LAND.Address)
	id := parcelID(x, y)
	var po ParcelOperators
	var err error
	if po.Owner, err = s.OwnerOf(ctx, "ethereum", land, id); err != nil {
		return po, err
	}
	contract, tokenID := land, id
	if po.Owner == lower(s.contracts.Estate.Address) && s.contracts.Estate.set() {
		if e, ok, err := s.get(ctx, "ethereum/el/"+hexID(id)); err != nil {
			return po, err
		} else if ok {
			po.Estate, _ = new(big.Int).SetString(e, 16)
			contract, tokenID = lower(s.contracts.Estate.Address), po.Estate
			if po.Owner, err = s.OwnerOf(ctx, "ethereum", contract, tokenID); err != nil {
				return po, err
			}
		}
	}
	if po.Operator, _, err = s.get(ctx, "ethereum/ap/"+contract+"/"+hexID(tokenID)); err != nil {
		return po, err
	}
	if po.UpdateOperator, _, err = s.get(ctx, "ethereum/uo/"+contract+"/"+hexID(tokenID)); err != nil {
		return po, err
	}
	if po.Owner == "" {
		return po, nil
	}
	for _, l := range []struct {
		prefix string
		into   *[]string
	}{{"um", &po.UpdateManagers}, {"af", &po.ApprovedForAll}} {
		p := "ethereum/" + l.prefix + "/" + contract + "/" + po.Owner + "/"
		if err := s.ks.Scan(ctx, p, func(name string, _ []byte) error {
			*l.into = append(*l.into, strings.TrimPrefix(name, p))
			return nil
		}); err != nil {
			return po, err
		}
	}
	return po, nil
}

// ItemToken is a wearable or emote token an address holds.
type ItemToken struct {
	URN     string // the item's URN, without the token id
	TokenID *big.Int
	Since   int64 // unix s
}

// Items are the collection tokens address holds: collections v1 on
// Ethereum (the item named by the token's Issue), collections v2 on
// Polygon.
func (s *Service) Items(ctx context.Context, address string) ([]ItemToken, error) {
	v1names := map[string]string{}
	for name, c := range s.contracts.CollectionsV1 {
		v1names[lower(c.Address)] = name
	}
	var out []ItemToken
	toks, err := s.Tokens(ctx, "ethereum", address, "")
	if err != nil {
		return nil, err
	}
	l1 := "ethereum"
	if s.network == "sepolia" {
		l1 = "sepolia"
	}
	for _, t := range toks {
		coll, ok := v1names[t.Contract]
		if !ok {
			continue
		}
		item, found, err := s.get(ctx, "ethereum/tk/"+t.Contract+"/"+hexID(t.ID))
		if err != nil {
			return nil, err
		}
		if found {
			out = append(out, ItemToken{URN: "urn:decentraland:" + l1 + ":collections-v1:" + coll + ":" + item, TokenID: t.ID, Since: t.Since})
		}
	}
	if s.polygon == nil {
		return out, nil
	}
	l2 := "matic"
	if s.network == "sepolia" {
		l2 = "amoy"
	}
	if toks, err = s.Tokens(ctx, "polygon", address, ""); err != nil {
		return nil, err
	}
	for _, t := range toks {
		itemID := new(big.Int).Rsh(t.ID, 216)
		out = append(out, ItemToken{URN: "urn:decentraland:" + l2 + ":collections-v2:" + t.Contract + ":" + itemID.String(), TokenID: t.ID, Since: t.Since})
	}
	return out, nil
}
