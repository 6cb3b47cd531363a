package chain

import (
	"context"
	"encoding/json"
	"log/slog"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
)

// FuzzParseItem: any pointer or worn URN parses or is refused, never
// panics, and what parses is well formed.
func FuzzParseItem(f *testing.F) {
	for _, s := range []string{
		"urn:decentraland:matic:collections-v2:0x00000000000000000000000000000000000c0de3:0:1",
		"urn:decentraland:ethereum:collections-v1:halloween_2019:hat:7",
		"urn:decentraland:off-chain:base-avatars:f_hat",
		"urn:decentraland:amoy:collections-thirdparty:acme:summer:hat",
		"urn:decentraland:matic:collections-v2:0xzz:0", "urn:decentraland:ethereum:collections-v1:a:b:-1", "urn::::",
		"urn:decentraland:matic:collections-v2:0x00000000000000000000000000000000000c0de3:0:" + strings.Repeat("9", 100),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, urn string) {
		it, ok := parseItem(urn)
		if !ok {
			return
		}
		switch it.kind {
		case "off-chain", "v1", "v2", "third-party":
		default:
			t.Fatalf("kind %q", it.kind)
		}
		if it.tokenID != nil && (it.tokenID.Sign() < 0 || it.tokenID.BitLen() > 256) {
			t.Fatalf("token id %v", it.tokenID)
		}
		if it.kind == "v2" && !common.IsHexAddress(it.contract) {
			t.Fatalf("v2 contract %q", it.contract)
		}
	})
}

// FuzzMerkleProof: a third-party item's metadata, whatever it holds,
// hashes and walks its proof without panicking.
func FuzzMerkleProof(f *testing.F) {
	f.Add([]byte(`{"id":"x","content":{"a":"b"},"data":{},"merkleProof":{"proof":["0x` + strings.Repeat("ab", 32) + `"],"index":3,"hashingKeys":["id","content","data"],"entityHash":"00"}}`))
	f.Add([]byte(`{"merkleProof":{"proof":["zz", ""],"index":-1,"hashingKeys":[],"entityHash":""}}`))
	f.Add([]byte(`[1,2]`))
	f.Fuzz(func(t *testing.T, meta []byte) {
		var m struct {
			MerkleProof *merkleProof `json:"merkleProof"`
		}
		if json.Unmarshal(meta, &m) != nil || m.MerkleProof == nil {
			return
		}
		entityHash(meta, m.MerkleProof.HashingKeys)
		m.MerkleProof.root()
		itemHashes(&entity.Entity{Metadata: meta, Content: []entity.ContentItem{{File: "a", Hash: "b"}}})
	})
}

// FuzzAccessMetadata: a profile's or outfits' metadata, whatever it
// holds, is refused or checked, never a panic; with no chain to ask,
// what needs it is an error, never an acceptance.
func FuzzAccessMetadata(f *testing.F) {
	f.Add(byte(0), []byte(`{"avatars":[{"name":"x","hasClaimedName":true,"avatar":{"wearables":["urn:decentraland:matic:collections-v2:0x00000000000000000000000000000000000c0de3:0:1"],"emotes":[{"urn":"wave"}]}}]}`))
	f.Add(byte(1), []byte(`{"outfits":[{"slot":7,"outfit":{"wearables":[]}}],"namesForExtraSlots":[]}`))
	f.Add(byte(2), []byte(`{"id":"urn:decentraland:matic:collections-thirdparty:a:b:c","merkleProof":{"proof":[],"index":0,"hashingKeys":["id"],"entityHash":"x"}}`))
	s, err := New(Config{Network: "mainnet", EthRPC: "http://127.0.0.1:1", PolygonRPC: "http://127.0.0.1:1", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range s.clients() {
		c.Attempts, c.Timeout = 1, 50e6
		c.Start(context.Background())
	}
	f.Fuzz(func(t *testing.T, kind byte, meta []byte) {
		e := &entity.Entity{Timestamp: entity.ADR74 + 1, Metadata: meta}
		switch kind % 3 {
		case 0:
			e.Type, e.Pointers = entity.Profile, []string{"0x0000000000000000000000000000000000000001"}
		case 1:
			e.Type, e.Pointers = entity.Outfits, []string{"0x0000000000000000000000000000000000000001:outfits"}
		default:
			e.Type, e.Pointers = entity.Wearable, []string{"urn:decentraland:matic:collections-thirdparty:a:b:c"}
		}
		s.CheckAccess(context.Background(), e, "0x0000000000000000000000000000000000000001")
	})
}

// FuzzApplyLog: whatever an RPC answers as logs of the indexed
// contracts is applied or ignored, never a panic.
func FuzzApplyLog(f *testing.F) {
	f.Add(byte(0), byte(4), []byte(strings.Repeat("\x01", 128)), []byte{})
	f.Add(byte(9), byte(4), []byte(strings.Repeat("\x02", 128)), []byte(strings.Repeat("\x00", 96)))
	f.Add(byte(12), byte(2), []byte(strings.Repeat("\x03", 64)), []byte(strings.Repeat("\xff", 64)))
	st, err := store.Open(store.Options{Dir: f.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	c := Networks["mainnet"]
	s, err := New(Config{Network: "mainnet", EthRPC: "http://127.0.0.1:1", PolygonRPC: "http://127.0.0.1:1", Store: st, Index: true, Contracts: &c})
	if err != nil {
		f.Fatal(err)
	}
	all := append(append([]common.Hash{}, l1Topics...), l2Topics...)
	addrs := []common.Address{c.LAND.Address, c.Estate.Address, c.Registrar.Address, c.CollectionFactories[0].Address, {}}
	f.Fuzz(func(t *testing.T, which, ntopics byte, topics, data []byte) {
		l := types.Log{Address: addrs[int(which)%len(addrs)], Data: data, BlockNumber: 1}
		l.Topics = append(l.Topics, all[int(which)%len(all)])
		for i := 0; i < int(ntopics%5) && len(topics) >= 32*(i+1); i++ {
			l.Topics = append(l.Topics, common.BytesToHash(topics[32*i:32*(i+1)]))
		}
		for _, ix := range s.indexers {
			if err := ix.apply(context.Background(), []types.Log{l}, checkpoint{Block: 1}, true); err != nil {
				t.Fatal(err)
			}
		}
		new(big.Int).SetBytes(data)
	})
}
