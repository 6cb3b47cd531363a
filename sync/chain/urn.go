package chain

import (
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// item is what an item URN says: its kind, where it lives, and for an
// item of a user (a minted token), the token id.
type item struct {
	kind     string // "off-chain", "v1", "v2", "third-party"
	network  string // "ethereum", "sepolia", "matic", "amoy", …
	contract string // v1: address or collection name; v2: address
	item     string // v1: item name; v2: item id (decimal)
	tokenID  *big.Int
	// third party
	thirdParty string // urn:decentraland:<net>:collections-thirdparty:<name>
}

// parseItem reads the URN forms of @dcl/urn-resolver the checks need.
func parseItem(urn string) (item, bool) {
	p := strings.Split(strings.ToLower(urn), ":")
	if len(p) < 4 || p[0] != "urn" || p[1] != "decentraland" {
		return item{}, false
	}
	if p[2] == "off-chain" {
		return item{kind: "off-chain", network: p[2], contract: p[3]}, true
	}
	it := item{network: p[2]}
	switch p[3] {
	case "collections-v1":
		it.kind = "v1"
	case "collections-v2":
		it.kind = "v2"
		if len(p) < 5 || !common.IsHexAddress(p[4]) {
			return item{}, false
		}
	case "collections-thirdparty":
		if len(p) < 5 || p[4] == "" {
			return item{}, false
		}
		it.kind = "third-party"
		it.thirdParty = strings.Join(p[:5], ":")
		return it, true
	default:
		return item{}, false
	}
	if len(p) < 6 || p[4] == "" || p[5] == "" {
		return item{}, false
	}
	it.contract, it.item = p[4], p[5]
	if len(p) == 7 {
		id, ok := new(big.Int).SetString(p[6], 10)
		if !ok || id.Sign() < 0 || id.BitLen() > 256 {
			return item{}, false
		}
		it.tokenID = id
	} else if len(p) > 7 {
		return item{}, false
	}
	return it, true
}

// layer is the chain an item network is on: "ethereum" (L1) or
// "polygon" (L2), "" when unknown.
func layer(network string) string {
	switch network {
	case "ethereum", "mainnet", "sepolia", "goerli", "kovan", "rinkeby":
		return "ethereum"
	case "matic", "polygon", "amoy", "mumbai":
		return "polygon"
	}
	return ""
}

// itemNetworks are the URN networks of each node network.
var itemNetworks = map[string]map[string]bool{
	"mainnet": {"ethereum": true, "matic": true},
	"sepolia": {"sepolia": true, "amoy": true},
}
