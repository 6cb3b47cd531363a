package chain

import (
	"context"
	"math/big"
	"strings"
)

// LandOwner is one LAND of the index, as the atlas shows it.
type LandOwner struct {
	X, Y int
	// Owner holds the LAND, or the estate that holds it (lower-case hex).
	Owner string
	// Estate is the estate holding the LAND (nil: none).
	Estate *big.Int
}

// LandOwners lists every LAND the index knows a holder of, with the
// estate holding it: <chain>/o/<LAND>/<id> gives the holder, and for a
// LAND held by the Estate contract, <chain>/el/<id> its estate and
// <chain>/o/<Estate>/<estate id> the estate's holder. Without a store it
// knows none.
func (s *Service) LandOwners(ctx context.Context) ([]LandOwner, error) {
	if s.ks == nil {
		return nil, nil
	}
	land := lower(s.contracts.LAND.Address)
	estateContract := lower(s.contracts.Estate.Address)
	hasEstates := s.contracts.Estate.set()

	// The estates of lands, and the estates' holders.
	estateOf := map[string]string{} // land id hex → estate id hex
	estateOwner := map[string]string{}
	if hasEstates {
		p := "ethereum/el/"
		if err := s.ks.Scan(ctx, p, func(name string, v []byte) error {
			estateOf[strings.TrimPrefix(name, p)] = string(v)
			return nil
		}); err != nil {
			return nil, err
		}
		p = "ethereum/o/" + estateContract + "/"
		if err := s.ks.Scan(ctx, p, func(name string, v []byte) error {
			estateOwner[strings.TrimPrefix(name, p)] = string(v)
			return nil
		}); err != nil {
			return nil, err
		}
	}

	var out []LandOwner
	p := "ethereum/o/" + land + "/"
	err := s.ks.Scan(ctx, p, func(name string, v []byte) error {
		idHex := strings.TrimPrefix(name, p)
		id, ok := new(big.Int).SetString(idHex, 16)
		if !ok {
			return nil
		}
		lo := LandOwner{Owner: string(v)}
		lo.X, lo.Y = parcelXY(id)
		if hasEstates && lo.Owner == estateContract {
			if e, ok := estateOf[idHex]; ok {
				lo.Estate, _ = new(big.Int).SetString(e, 16)
				if o, ok := estateOwner[e]; ok {
					lo.Owner = o
				}
			}
		}
		out = append(out, lo)
		return nil
	})
	return out, err
}
