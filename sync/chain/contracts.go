package chain

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// Contracts are the addresses the node reads on one network, with the
// block each contract was deployed at (the indexer starts there).
type Contracts struct {
	// ChainID and PolygonChainID are what the two RPCs must answer to
	// eth_chainId; an RPC of another chain is refused at start.
	ChainID        uint64 `json:"chainId"`
	PolygonChainID uint64 `json:"polygonChainId"`
	// L1
	LAND      Contract `json:"land"`
	Estate    Contract `json:"estate"`
	Registrar Contract `json:"registrar"`
	Catalysts Contract `json:"catalysts"`
	// CollectionsV1 are the L1 wearable collections by the name their
	// URNs use (urn:decentraland:ethereum:collections-v1:<name>:…).
	CollectionsV1 map[string]Contract `json:"collectionsV1,omitempty"`
	// Polygon
	CollectionFactories []Contract `json:"collectionFactories,omitempty"`
	CollectionStore     Contract   `json:"collectionStore"`
	Committees          []Contract `json:"committees,omitempty"`
	ThirdPartyRegistry  Contract   `json:"thirdPartyRegistry"`
	// Decentraland are the addresses that deploy the off-chain base
	// avatars (lower-case hex).
	Decentraland []string `json:"decentralandAddresses,omitempty"`
}

// Contract is an address and the block the indexer starts reading it at.
type Contract struct {
	Address    common.Address `json:"address"`
	StartBlock uint64         `json:"startBlock"`
}

// set reports whether the contract is configured.
func (c Contract) set() bool { return c.Address != (common.Address{}) }

func at(addr string, block uint64) Contract {
	return Contract{Address: common.HexToAddress(addr), StartBlock: block}
}

// Networks are the Decentraland contracts of the networks a node may run
// on (PROTOCOL.md §9; start blocks are the contracts' deployment blocks).
var Networks = map[string]Contracts{
	"mainnet": {
		ChainID: 1, PolygonChainID: 137,
		LAND:          at("0xf87e31492faf9a91b02ee0deaad50d51d56d5d4d", 4944642),
		Estate:        at("0x959e104e1a4db6317fa58f8295f586e1a978c297", 6236547),
		Registrar:     at("0x2a187453064356c898cae034eaed119e1663acb8", 9412979),
		Catalysts:     at("0x4a2f10076101650f40342885b99b6b101d83c486", 10949806),
		CollectionsV1: collectionsV1Mainnet,
		CollectionFactories: []Contract{
			at("0xb549b2442b2bd0a53795bc5cdcbfe0caf7aca9f8", 15202563),
			at("0x3195e88ae10704b359764cb38e429d24f1c2f781", 28121692),
		},
		CollectionStore: at("0x214ffc0f0103735728dc66b61a22e4f163e275ae", 15202567),
		Committees: []Contract{
			at("0x71d9350ef44e1e451f00e447c0dff2d1fb75510a", 15202559),
			at("0xaeec95a8aa671a6d3fec56594827d7804964fa70", 19585299),
		},
		ThirdPartyRegistry: at("0x1c436c1efb4608dffdc8bace99d2b03c314f3348", 0),
		Decentraland:       []string{"0x1337e0507eb4ab47e08a179573ed4533d9e22a7b"},
	},
	"sepolia": {
		ChainID: 11155111, PolygonChainID: 80002,
		LAND:                at("0x42f4ba48791e2de32f5fbf553441c2672864bb33", 0),
		Estate:              at("0x369a7fbe718c870c79f99fb423882e8dd8b20486", 0),
		Registrar:           at("0x7518456ae93eb98f3e64571b689c626616bb7f30", 0),
		Catalysts:           at("0x9b5091588a4bae0a5ea54a35af3c31f57a68ed37", 0),
		CollectionFactories: []Contract{at("0x802de0c509add2ee29de24de7225daaff4741c43", 5763249)},
		Committees:          []Contract{at("0x53c9c388000b6fc91b91fb466742d0e869785c3b", 5706678)},
		Decentraland:        []string{"0x1337e0507eb4ab47e08a179573ed4533d9e22a7b"},
	},
}

// LoadContracts reads a contracts file (the JSON of Contracts), for test
// chains and private networks. Fields it leaves out keep the network's.
func LoadContracts(path, network string) (Contracts, error) {
	c, ok := Networks[network]
	if !ok {
		return Contracts{}, fmt.Errorf("chain: unknown network %q (mainnet or sepolia)", network)
	}
	// A copy the file may change without changing Networks.
	c.CollectionsV1 = maps.Clone(c.CollectionsV1)
	c.CollectionFactories = slices.Clone(c.CollectionFactories)
	c.Committees = slices.Clone(c.Committees)
	c.Decentraland = slices.Clone(c.Decentraland)
	if path == "" {
		return c, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return Contracts{}, fmt.Errorf("chain: contracts file: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Contracts{}, fmt.Errorf("chain: contracts file %s: %w", path, err)
	}
	if c.ChainID == 0 {
		return Contracts{}, fmt.Errorf("chain: contracts file %s: chainId is required", path)
	}
	for i, a := range c.Decentraland {
		c.Decentraland[i] = strings.ToLower(a)
	}
	return c, nil
}
