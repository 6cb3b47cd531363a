package atlas_test

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/sync/chain"
)

// parcelHex is a LAND's token id as the index keys it.
func parcelHex(x, y int) string {
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	bx := new(big.Int).And(big.NewInt(int64(x)), mask)
	by := new(big.Int).And(big.NewInt(int64(y)), mask)
	return fmt.Sprintf("%064x", bx.Lsh(bx, 128).Or(bx, by))
}

// TestChainLandOwners reads owners and estates from the chain index's
// keyspace (the layout of sync/chain's applyLog).
func TestChainLandOwners(t *testing.T) {
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := chain.Networks["mainnet"]
	svc, err := chain.New(chain.Config{Network: "mainnet", EthRPC: "http://127.0.0.1:1", Store: st})
	if err != nil {
		t.Fatal(err)
	}
	land := strings.ToLower(c.LAND.Address.Hex())
	estate := strings.ToLower(c.Estate.Address.Hex())
	estateHex := fmt.Sprintf("%064x", 42)
	keys := map[string][]byte{
		"ethereum/o/" + land + "/" + parcelHex(-3, 7):    []byte("0x00000000000000000000000000000000000000aa"),
		"ethereum/o/" + land + "/" + parcelHex(100, -20): []byte(estate),
		"ethereum/el/" + parcelHex(100, -20):             []byte(estateHex),
		"ethereum/o/" + estate + "/" + estateHex:         []byte("0x00000000000000000000000000000000000000bb"),
	}
	if err := st.Keyspace("chain").Write(context.Background(), keys); err != nil {
		t.Fatal(err)
	}
	list, err := svc.LandOwners(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]chain.LandOwner{}
	for _, l := range list {
		got[fmt.Sprint(l.X, ",", l.Y)] = l
	}
	if l := got["-3,7"]; len(list) != 2 || l.Owner != "0x00000000000000000000000000000000000000aa" || l.Estate != nil {
		t.Errorf("a LAND: %+v (%d)", l, len(list))
	}
	if l := got["100,-20"]; l.Owner != "0x00000000000000000000000000000000000000bb" || l.Estate == nil || l.Estate.Int64() != 42 {
		t.Errorf("a LAND of an estate: %+v", l)
	}
}
