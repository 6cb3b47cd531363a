package chain

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/hashing"
)

// CheckAccess decides whether signer may deploy e (deploy.AccessChecker).
// Ownership is read at two blocks, as the real catalyst does: the block
// of the entity's timestamp (plus 8 s) and the first block of the five
// minutes before; a right held at either counts. A refusal is an
// *entity.Error naming what was missing; a chain that cannot answer is
// an error of another kind (the deployment is not accepted, and may be
// tried again).
func (s *Service) CheckAccess(ctx context.Context, e *entity.Entity, signer string) (err error) {
	defer func() {
		outcome := "allowed"
		if _, refused := err.(*entity.Error); refused {
			outcome = "refused"
		} else if err != nil {
			outcome = "error"
		}
		s.m.checks.WithLabelValues(string(e.Type), outcome).Inc()
	}()
	signer = strings.ToLower(signer)
	if e.Timestamp <= entity.LegacyContentMigration && s.decentraland(signer) {
		return nil // legacy content, migrated by Decentraland
	}
	switch e.Type {
	case entity.Scene:
		return s.checkScene(ctx, e, signer)
	case entity.Profile:
		return s.checkProfile(ctx, e, signer)
	case entity.Wearable, entity.Emote:
		return s.checkItem(ctx, e, signer)
	case entity.Outfits:
		return s.checkOutfits(ctx, e, signer)
	}
	return nil // stores: the pointer is the signer's (entity rules)
}

func (s *Service) decentraland(addr string) bool {
	return slices.Contains(s.contracts.Decentraland, addr)
}

// blocks are the two blocks of an entity timestamp (ms) on a chain.
type blocks struct{ at, before uint64 }

func (s *Service) blocksOf(ctx context.Context, c *Client, ts int64) (blocks, error) {
	upper := uint64((ts+999)/1000) + 8
	lower := uint64(0)
	if upper > 307 {
		lower = upper - 307
	}
	hs, err := c.BlocksAt(ctx, s.ks, []uint64{upper, lower})
	if err != nil {
		return blocks{}, err
	}
	b := blocks{at: hs[0].Number, before: hs[1].Number}
	if hs[1].Time < lower && b.before < b.at {
		b.before++ // the first block of the five minutes
	}
	return b, nil
}

func (s *Service) checkScene(ctx context.Context, e *entity.Entity, signer string) error {
	type parcel struct{ x, y int }
	var parcels []parcel
	var ids []*big.Int
	for _, p := range e.Pointers {
		if strings.HasPrefix(strings.ToLower(p), "default") {
			return entity.Errorf("Scene pointers should only contain two integers separated by a comma, for example (10,10) or (120,-45). Invalid pointer: %s", p)
		}
		x, y, ok := entity.ParseParcel(p)
		if !ok {
			return entity.Errorf("Scene pointers should only contain two integers separated by a comma, for example (10,10) or (120,-45). Invalid pointer: %s", p)
		}
		parcels = append(parcels, parcel{x, y})
		ids = append(ids, parcelID(x, y))
	}
	b, err := s.blocksOf(ctx, s.eth, e.Timestamp)
	if err != nil {
		return err
	}
	masks, err := s.parcelRights(ctx, common.HexToAddress(signer), ids, []uint64{b.at, b.before})
	if err != nil {
		return err
	}
	var missing []string
	for i, p := range parcels {
		if masks[0][i] == 0 && masks[1][i] == 0 {
			missing = append(missing, fmt.Sprintf("%d,%d", p.x, p.y))
		}
	}
	if len(missing) > 0 {
		return entity.Errorf("The provided Eth Address %s does not own or operate parcel %s at block %d nor at block %d (neither directly nor through an estate).",
			signer, strings.Join(missing, "; "), b.at, b.before)
	}
	return nil
}

// Rights are the bits ParcelAccess answers for a parcel.
const (
	RightOwner = 1 << iota
	RightApproved
	RightUpdateOperator
	RightApprovedForAll
	RightUpdateManager
)

// parcelRights asks ParcelAccess, in one round trip, the rights of
// signer on every parcel at every block: masks[block][parcel].
func (s *Service) parcelRights(ctx context.Context, signer common.Address, ids []*big.Int, at []uint64) ([][]uint64, error) {
	// Calls of at most parcelsPerCall parcels (an eth_call's gas is
	// capped), every chunk at every block in one batch.
	type part struct{ block, from, to int }
	var calls []Call
	var parts []part
	for from := 0; from < len(ids); from += parcelsPerCall {
		to := min(from+parcelsPerCall, len(ids))
		args, err := parcelAccessArgs.Pack(s.contracts.LAND.Address, s.contracts.Estate.Address, signer, ids[from:to])
		if err != nil {
			return nil, err
		}
		code := append(slices.Clip(parcelAccessCode), args...)
		for b, n := range at {
			calls = append(calls, Call{Data: code, Block: n})
			parts = append(parts, part{b, from, to})
		}
	}
	res, err := s.eth.Calls(ctx, calls)
	if err != nil {
		return nil, err
	}
	out := make([][]uint64, len(at))
	for b := range out {
		out[b] = make([]uint64, len(ids))
	}
	for i, r := range res {
		p := parts[i]
		vals, err := uintsOut.Unpack(r)
		if err != nil || len(vals) != 1 {
			return nil, fmt.Errorf("chain: the parcel access call at block %d answered %d bytes that do not decode: %v", at[p.block], len(r), err)
		}
		list := vals[0].([]*big.Int)
		if len(list) != p.to-p.from {
			return nil, fmt.Errorf("chain: the parcel access call at block %d answered %d parcels for %d", at[p.block], len(list), p.to-p.from)
		}
		for j, v := range list {
			out[p.block][p.from+j] = v.Uint64()
		}
	}
	return out, nil
}

// parcelsPerCall bounds one ParcelAccess call: about 20,000 gas a
// parcel, well under the 50M an RPC lets an eth_call spend.
const parcelsPerCall = 200

// maxOwnedChecks bounds the NAMEs and items one entity may ask to be
// checked (an avatar wears at most a few dozen).
const maxOwnedChecks = 100

type profileMeta struct {
	Avatars []struct {
		Name           string `json:"name"`
		HasClaimedName bool   `json:"hasClaimedName"`
		Avatar         struct {
			Wearables []string `json:"wearables"`
			Emotes    []struct {
				URN string `json:"urn"`
			} `json:"emotes"`
		} `json:"avatar"`
	} `json:"avatars"`
}

func (s *Service) checkProfile(ctx context.Context, e *entity.Entity, signer string) error {
	var m profileMeta
	if err := json.Unmarshal(e.Metadata, &m); err != nil {
		return entity.Errorf("The profile metadata does not parse: %v", err)
	}
	if e.Timestamp < entity.ADR75 {
		return nil
	}
	var names, urns []string
	for _, a := range m.Avatars {
		if a.HasClaimedName && strings.TrimSpace(a.Name) != "" {
			names = append(names, a.Name)
		}
		for _, w := range a.Avatar.Wearables {
			if !strings.Contains(w, "base-avatars") {
				urns = append(urns, w)
			}
		}
		if e.Timestamp >= entity.ADR74 {
			for _, em := range a.Avatar.Emotes {
				urns = append(urns, em.URN)
			}
		}
	}
	return s.checkOwned(ctx, e.Timestamp, signer, names, urns)
}

func (s *Service) checkOutfits(ctx context.Context, e *entity.Entity, signer string) error {
	var m struct {
		Outfits []struct {
			Slot   int `json:"slot"`
			Outfit struct {
				Wearables []string `json:"wearables"`
			} `json:"outfit"`
		} `json:"outfits"`
		NamesForExtraSlots []string `json:"namesForExtraSlots"`
	}
	if err := json.Unmarshal(e.Metadata, &m); err != nil {
		return entity.Errorf("The outfits metadata does not parse: %v", err)
	}
	var urns, names []string
	extra := false
	for _, o := range m.Outfits {
		extra = extra || o.Slot > 4
		for _, w := range o.Outfit.Wearables {
			if !strings.Contains(w, "base-avatars") {
				urns = append(urns, w)
			}
		}
	}
	if extra {
		if len(m.NamesForExtraSlots) == 0 {
			return entity.Errorf("Outfits in slots 5 to 9 need a NAME: namesForExtraSlots is empty.")
		}
		names = m.NamesForExtraSlots
	}
	return s.checkOwned(ctx, e.Timestamp, signer, names, urns)
}

// checkOwned: every NAME owned by signer on L1, every minted item (an
// URN with a token id) owned on its chain, at either block.
func (s *Service) checkOwned(ctx context.Context, ts int64, signer string, names, urns []string) error {
	type ask struct {
		what  string
		chain *Client
		call  []byte
		to    common.Address
	}
	var asks []ask
	for _, n := range names {
		asks = append(asks, ask{what: "the NAME " + n, chain: s.eth, to: s.contracts.Registrar.Address, call: pack("getOwnerOf", n)})
	}
	for _, u := range urns {
		it, ok := parseItem(u)
		if !ok || it.tokenID == nil || it.kind == "third-party" || it.kind == "off-chain" {
			continue // without a token id the item counts as owned (PROTOCOL.md §9)
		}
		if !itemNetworks[s.network][it.network] {
			return entity.Errorf("The item %s is on network %s, which this node (%s) does not read.", u, it.network, s.network)
		}
		c := s.eth
		if layer(it.network) == "polygon" {
			c = s.polygon
		}
		if c == nil {
			continue // no Polygon RPC: L2 items are not checked (dev mode for them)
		}
		addr, ok := s.collectionAddress(it)
		if !ok {
			return entity.Errorf("The item %s names an unknown collection %s.", u, it.contract)
		}
		asks = append(asks, ask{what: "the item " + u, chain: c, to: addr, call: pack("ownerOf", it.tokenID)})
	}
	if len(asks) == 0 {
		return nil
	}
	if len(asks) > maxOwnedChecks {
		return entity.Errorf("The entity asks %d NAMEs and items to be checked on chain; at most %d are.", len(asks), maxOwnedChecks)
	}
	// One round trip per chain, both blocks in it.
	byChain := map[*Client][]int{}
	for i, a := range asks {
		byChain[a.chain] = append(byChain[a.chain], i)
	}
	owned := make([]bool, len(asks))
	var where []string
	for c, idx := range byChain {
		b, err := s.blocksOf(ctx, c, ts)
		if err != nil {
			return err
		}
		where = append(where, fmt.Sprintf("blocks %d and %d of %s", b.before, b.at, c.name))
		var calls []Call
		for _, i := range idx {
			calls = append(calls, Call{To: asks[i].to, Data: asks[i].call, Block: b.at}, Call{To: asks[i].to, Data: asks[i].call, Block: b.before})
		}
		res, err := c.Calls(ctx, calls)
		if err != nil {
			return err
		}
		for k, i := range idx {
			owned[i] = strings.EqualFold(address(res[2*k]).Hex(), signer) || strings.EqualFold(address(res[2*k+1]).Hex(), signer)
		}
	}
	var missing []string
	for i, ok := range owned {
		if !ok {
			missing = append(missing, asks[i].what)
		}
	}
	if len(missing) > 0 {
		slices.Sort(where)
		return entity.Errorf("The provided Eth Address %s does not own %s (at %s).", signer, strings.Join(missing, ", "), strings.Join(where, "; "))
	}
	return nil
}

// collectionAddress is an item's contract: its address, or for a v1
// collection named in the URN, the address of that name.
func (s *Service) collectionAddress(it item) (common.Address, bool) {
	if common.IsHexAddress(it.contract) {
		return common.HexToAddress(it.contract), true
	}
	c, ok := s.contracts.CollectionsV1[it.contract]
	return c.Address, ok
}

func (s *Service) checkItem(ctx context.Context, e *entity.Entity, signer string) error {
	urn := strings.ToLower(e.Pointers[0])
	it, ok := parseItem(urn)
	if !ok {
		return entity.Errorf("Item pointers should be a urn, for example (urn:decentraland:{protocol}:collections-v2:{contract(0x[a-fA-F0-9]+)}:{name}). Invalid pointer: (%s)", urn)
	}
	switch it.kind {
	case "off-chain", "v1":
		if it.kind == "v1" && e.Type == entity.Emote {
			return entity.Errorf("Emotes cannot be deployed to collections v1 (%s).", urn)
		}
		if !s.decentraland(signer) {
			return entity.Errorf("The provided Eth Address %s is not a Decentraland address: only Decentraland deploys %s.", signer, urn)
		}
		return nil
	}
	if !itemNetworks[s.network][it.network] {
		return entity.Errorf("The item %s is on network %s, which this node (%s) does not read.", urn, it.network, s.network)
	}
	if s.polygon == nil {
		return nil // no Polygon RPC: collections v2 and third parties are not checked
	}
	b, err := s.blocksOf(ctx, s.polygon, e.Timestamp)
	if err != nil {
		return err
	}
	if it.kind == "third-party" {
		return s.checkThirdParty(ctx, e, it, b)
	}
	return s.checkCollectionItem(ctx, e, it, signer, b)
}

// checkCollectionItem is the rule of collections v2: before the
// collection's approval, while it is completed, its creator and managers
// deploy; once the item has a content hash (approved by the curation
// committee), only a committee member deploys, and only the entity with
// that hash.
func (s *Service) checkCollectionItem(ctx context.Context, e *entity.Entity, it item, signer string, b blocks) error {
	coll := common.HexToAddress(it.contract)
	itemID, ok := new(big.Int).SetString(it.item, 10)
	if !ok {
		return entity.Errorf("The item id %q of %s is not a number.", it.item, e.Pointers[0])
	}
	who := common.HexToAddress(signer)
	var calls []Call
	add := func(to common.Address, data []byte) {
		calls = append(calls, Call{To: to, Data: data, Block: b.at}, Call{To: to, Data: data, Block: b.before})
	}
	for _, f := range s.contracts.CollectionFactories {
		add(f.Address, pack("isCollectionFromFactory", coll))
	}
	for _, c := range s.contracts.Committees {
		add(c.Address, pack("members", who))
	}
	base := len(calls)
	add(coll, pack("items", itemID))
	add(coll, pack("isApproved"))
	add(coll, pack("isCompleted"))
	add(coll, pack("creator"))
	add(coll, pack("globalManagers", who))
	add(coll, pack("itemManagers", itemID, who))
	res, err := s.polygon.Calls(ctx, calls)
	if err != nil {
		return err
	}
	hashes := itemHashes(e)
	for blk := 0; blk < 2; blk++ {
		at := func(i int) []byte { return res[2*i+blk] }
		fromFactory := len(s.contracts.CollectionFactories) == 0
		for i := range s.contracts.CollectionFactories {
			fromFactory = fromFactory || boolean(at(i))
		}
		if !fromFactory {
			continue
		}
		committee := false
		for i := range s.contracts.Committees {
			committee = committee || boolean(at(len(s.contracts.CollectionFactories)+i))
		}
		k := base / 2
		contentHash := ""
		if r := at(k); r != nil {
			if vals, err := views.Unpack("items", r); err == nil && len(vals) == 7 {
				contentHash, _ = vals[6].(string)
			}
		}
		if contentHash != "" {
			if committee && slices.Contains(hashes, contentHash) {
				return nil
			}
			continue
		}
		approved, completed := boolean(at(k+1)), boolean(at(k+2))
		manager := strings.EqualFold(address(at(k+3)).Hex(), signer) || boolean(at(k+4)) || boolean(at(k+5))
		if !approved && completed && manager {
			return nil
		}
	}
	return entity.Errorf("The provided Eth Address %s does not have access to the item %s: it is neither its collection's creator nor a manager while the collection is completed and not approved, nor a committee member deploying the approved content (block %d nor %d of Polygon).",
		signer, e.Pointers[0], b.at, b.before)
}

// itemHashes are the two hashes (CIDv0 and CIDv1) of an item's content
// and metadata, as the collection's contentHash holds them: of
// JSON.stringify({content, metadata}), content sorted by hash then file.
func itemHashes(e *entity.Entity) []string {
	type kv struct {
		Key  string `json:"key"`
		Hash string `json:"hash"`
	}
	content := make([]kv, len(e.Content))
	for i, c := range e.Content {
		content[i] = kv{Key: c.File, Hash: c.Hash}
	}
	sort.SliceStable(content, func(i, j int) bool {
		if content[i].Hash != content[j].Hash {
			return content[i].Hash < content[j].Hash
		}
		return content[i].Key < content[j].Key
	})
	cb, _ := marshalJS(content)
	buf := `{"content":` + string(cb) + `,"metadata":` + string(compactJS(e.Metadata)) + `}`
	return []string{hashing.V0Bytes([]byte(buf)), hashing.V1Bytes([]byte(buf))}
}

// checkThirdParty: the item's merkle proof leads to the root the
// third-party registry holds for its third party, approved, at either
// block; and the proof is of this entity's metadata.
func (s *Service) checkThirdParty(ctx context.Context, e *entity.Entity, it item, b blocks) error {
	var m struct {
		ID          string       `json:"id"`
		MerkleProof *merkleProof `json:"merkleProof"`
	}
	if err := json.Unmarshal(e.Metadata, &m); err != nil || m.MerkleProof == nil {
		return entity.Errorf("The third-party item %s has no merkleProof in its metadata.", e.Pointers[0])
	}
	p := m.MerkleProof
	if !strings.EqualFold(m.ID, e.Pointers[0]) {
		return entity.Errorf("The third-party item's metadata id %s is not its pointer %s.", m.ID, e.Pointers[0])
	}
	if got := entityHash(e.Metadata, p.HashingKeys); got != strings.TrimPrefix(strings.ToLower(p.EntityHash), "0x") {
		return entity.Errorf("The merkle proof's entityHash %s is not the hash of the item's metadata (%s).", p.EntityHash, got)
	}
	root, err := p.root()
	if err != nil {
		return entity.Errorf("The merkle proof of %s does not parse: %v", e.Pointers[0], err)
	}
	if !s.contracts.ThirdPartyRegistry.set() {
		return fmt.Errorf("chain: no third-party registry is configured for %s", s.network)
	}
	call := pack("thirdParties", it.thirdParty)
	res, err := s.polygon.Calls(ctx, []Call{
		{To: s.contracts.ThirdPartyRegistry.Address, Data: call, Block: b.at},
		{To: s.contracts.ThirdPartyRegistry.Address, Data: call, Block: b.before},
	})
	if err != nil {
		return err
	}
	for _, r := range res {
		vals, err := views.Unpack("thirdParties", r)
		if err != nil || len(vals) < 2 {
			continue
		}
		approved, _ := vals[0].(bool)
		got, _ := vals[1].([32]byte)
		if approved && got == root {
			return nil
		}
	}
	return entity.Errorf("The merkle proof of %s does not lead to the root the third-party registry holds for %s (block %d nor %d of Polygon), or the third party is not approved.",
		e.Pointers[0], it.thirdParty, b.at, b.before)
}

type merkleProof struct {
	Proof       []string `json:"proof"`
	Index       uint64   `json:"index"`
	HashingKeys []string `json:"hashingKeys"`
	EntityHash  string   `json:"entityHash"`
}

// root walks the proof up from the leaf keccak256(uint256 index ‖
// entityHash), each step hashing the sorted pair.
func (p *merkleProof) root() ([32]byte, error) {
	node := crypto.Keccak256(append(common.LeftPadBytes(new(big.Int).SetUint64(p.Index).Bytes(), 32), []byte(strings.TrimPrefix(strings.ToLower(p.EntityHash), "0x"))...))
	for _, h := range p.Proof {
		sib, err := hex.DecodeString(strings.TrimPrefix(h, "0x"))
		if err != nil || len(sib) != 32 {
			return [32]byte{}, fmt.Errorf("proof element %q is not 32 bytes of hex", h)
		}
		a, b := node, sib
		if string(b) < string(a) {
			a, b = b, a
		}
		node = crypto.Keccak256(a, b)
	}
	var out [32]byte
	copy(out[:], node)
	return out, nil
}

// entityHash is keccak256 of JSON.stringify of the metadata's hashing
// keys, in their order, hex without 0x.
func entityHash(metadata json.RawMessage, keys []string) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(metadata, &fields) != nil {
		return ""
	}
	var sb strings.Builder
	sb.WriteByte('{')
	n := 0
	for _, k := range keys {
		v, ok := fields[k]
		if !ok {
			continue
		}
		if n > 0 {
			sb.WriteByte(',')
		}
		n++
		kb, _ := marshalJS(k)
		sb.Write(kb)
		sb.WriteByte(':')
		sb.Write(compactJS(v))
	}
	sb.WriteByte('}')
	return hex.EncodeToString(crypto.Keccak256([]byte(sb.String())))
}
