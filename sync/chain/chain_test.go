package chain_test

import (
	"context"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/sync/chain"
	"github.com/p2pcatalyst/catalyst/sync/chain/chaintest"
)

type fixture struct {
	net *chaintest.Network
	svc *chain.Service
	reg *prometheus.Registry
	st  *store.Store
}

func openStore(t testing.TB) *store.Store {
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// setup starts both test chains and a chain service reading them.
func setup(t testing.TB, edit func(*chain.Contracts)) *fixture {
	t.Helper()
	n := chaintest.NewNetwork(t)
	return serviceOf(t, n, openStore(t), edit, false)
}

func serviceOf(t testing.TB, n *chaintest.Network, st *store.Store, edit func(*chain.Contracts), index bool) *fixture {
	t.Helper()
	c := n.Contracts
	if edit != nil {
		edit(&c)
	}
	reg := prometheus.NewRegistry()
	svc, err := chain.New(chain.Config{Network: "mainnet", Contracts: &c, EthRPC: n.L1.URL, PolygonRPC: n.L2.URL, Store: st, Metrics: reg, Index: index, Confirmations: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Stop(context.Background()) })
	return &fixture{net: n, svc: svc, reg: reg, st: st}
}

func addr() (common.Address, string) {
	k, _ := crypto.GenerateKey()
	a := crypto.PubkeyToAddress(k.PublicKey)
	return a, chaintest.Addr(a)
}

func scene(ts uint64, parcels ...string) *entity.Entity {
	return &entity.Entity{Type: entity.Scene, Pointers: parcels, Timestamp: int64(ts) * 1000}
}

func refused(t *testing.T, err error, want string) {
	t.Helper()
	var ve *entity.Error
	if !errors.As(err, &ve) {
		t.Fatalf("want a refusal containing %q, got %v", want, err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("refusal %q does not say %q", err, want)
	}
}

func TestSceneRights(t *testing.T) {
	f := setup(t, nil)
	n := f.net
	owner, ownerS := addr()
	_, approvedS := addr()
	approved := common.HexToAddress(approvedS)
	_, opS := addr()
	_, allS := addr()
	_, mgrS := addr()
	_, estOwnerS := addr()
	_, estOpS := addr()
	_, strangerS := addr()
	estate := n.Contracts.Estate.Address
	n.L1.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.SetOwner(o, chaintest.Parcel(10, 20), owner)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.SetOwner(o, chaintest.Parcel(10, 21), owner)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.SetApproved(o, chaintest.Parcel(10, 20), approved)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.SetUpdateOperator(o, chaintest.Parcel(10, 20), common.HexToAddress(opS))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.SetApprovalForAll(o, owner, common.HexToAddress(allS), true)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.SetUpdateManager(o, owner, common.HexToAddress(mgrS), true)
		},
		// (-5,-7) is in estate 3, held by estOwner, operated by estOp.
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.SetOwner(o, chaintest.Parcel(-5, -7), estate)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.Estate.SetLandEstate(o, chaintest.Parcel(-5, -7), big.NewInt(3))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.Estate.SetOwner(o, big.NewInt(3), common.HexToAddress(estOwnerS))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.Estate.SetUpdateOperator(o, big.NewInt(3), common.HexToAddress(estOpS))
		},
	)
	ts := n.L1.Head().Time
	ctx := context.Background()
	for _, signer := range []string{ownerS, approvedS, opS, allS, mgrS} {
		if err := f.svc.CheckAccess(ctx, scene(ts, "10,20"), signer); err != nil {
			t.Errorf("%s on 10,20: %v", signer, err)
		}
	}
	// The approved address and the operator hold one parcel, not both.
	refused(t, f.svc.CheckAccess(ctx, scene(ts, "10,20", "10,21"), approvedS), "parcel 10,21")
	if err := f.svc.CheckAccess(ctx, scene(ts, "10,20", "10,21"), allS); err != nil {
		t.Errorf("operator for all on both: %v", err)
	}
	for _, signer := range []string{estOwnerS, estOpS} {
		if err := f.svc.CheckAccess(ctx, scene(ts, "-5,-7"), signer); err != nil {
			t.Errorf("%s on the estate's parcel: %v", signer, err)
		}
	}
	refused(t, f.svc.CheckAccess(ctx, scene(ts, "-5,-7"), ownerS), "does not own or operate parcel -5,-7")
	refused(t, f.svc.CheckAccess(ctx, scene(ts, "10,20"), strangerS), strangerS+" does not own or operate parcel 10,20 at block")
	refused(t, f.svc.CheckAccess(ctx, scene(ts, "0,0"), ownerS), "parcel 0,0")
}

// TestOwnershipBetweenBlocks: a right held five minutes before the
// entity's time still counts; ten minutes after the transfer it does not.
func TestOwnershipBetweenBlocks(t *testing.T) {
	f := setup(t, nil)
	n := f.net
	a, aS := addr()
	b, bS := addr()
	id := chaintest.Parcel(1, 1)
	n.L1.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return n.LAND.SetOwner(o, id, a) })
	n.L1.AdjustTime(10 * time.Minute)
	n.L1.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return n.LAND.SetOwner(o, id, b) })
	transfer := n.L1.Head().Time
	ctx := context.Background()
	if err := f.svc.CheckAccess(ctx, scene(transfer+60, "1,1"), aS); err != nil {
		t.Errorf("the owner of a minute before the deployment: %v", err)
	}
	if err := f.svc.CheckAccess(ctx, scene(transfer, "1,1"), bS); err != nil {
		t.Errorf("the new owner: %v", err)
	}
	n.L1.AdjustTime(10 * time.Minute)
	n.L1.Commit()
	later := n.L1.Head().Time
	refused(t, f.svc.CheckAccess(ctx, scene(later, "1,1"), aS), "parcel 1,1")
	refused(t, f.svc.CheckAccess(ctx, scene(transfer-120, "1,1"), bS), "parcel 1,1")
}

// TestSceneRoundTrips: a 20-parcel scene with a cold call cache costs
// two round trips — the block search, then one batch of both blocks'
// parcel calls.
func TestSceneRoundTrips(t *testing.T) {
	f := setup(t, nil)
	n := f.net
	owner, ownerS := addr()
	var parcels []string
	var txs []func(*bind.TransactOpts) (*types.Transaction, error)
	for i := 0; i < 20; i++ {
		x := int64(i%5) - 2
		y := int64(i / 5)
		parcels = append(parcels, big.NewInt(x).String()+","+big.NewInt(y).String())
		id := chaintest.Parcel(x, y)
		txs = append(txs, func(o *bind.TransactOpts) (*types.Transaction, error) { return n.LAND.SetOwner(o, id, owner) })
	}
	n.L1.Send(txs...)
	for i := 0; i < 60; i++ { // a chain of 12 s blocks, as mainnet's (AdjustTime seals one)
		n.L1.AdjustTime(12 * time.Second)
	}
	ts := n.L1.Head().Time - 100 // the head the service knows is the one before these blocks
	before := testutil.ToFloat64(roundTrips(f.reg))
	if err := f.svc.CheckAccess(context.Background(), scene(ts, parcels...), ownerS); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(roundTrips(f.reg)) - before; got > 2 {
		t.Errorf("a 20-parcel scene took %v round trips, want at most 2", got)
	}
}

func roundTrips(reg *prometheus.Registry) prometheus.Collector {
	return collector{reg, "catalyst_chain_rpc_round_trips_total"}
}

// collector sums a metric family of a registry.
type collector struct {
	reg  *prometheus.Registry
	name string
}

func (c collector) Describe(ch chan<- *prometheus.Desc) {}
func (c collector) Collect(ch chan<- prometheus.Metric) {
	mfs, _ := c.reg.Gather()
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() == c.name {
			for _, m := range mf.Metric {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	ch <- prometheus.MustNewConstMetric(prometheus.NewDesc(c.name, "sum", nil, nil), prometheus.GaugeValue, sum)
}

func profile(ts uint64, signer string, name string, wearables ...string) *entity.Entity {
	meta := `{"avatars":[{"name":"` + name + `","hasClaimedName":` + map[bool]string{true: "true", false: "false"}[name != ""] +
		`,"avatar":{"wearables":["urn:decentraland:off-chain:base-avatars:eyebrows_00"` + quoteAll(wearables) + `],"emotes":[]}}]}`
	return &entity.Entity{Type: entity.Profile, Pointers: []string{signer}, Timestamp: int64(ts) * 1000, Metadata: []byte(meta)}
}

func quoteAll(s []string) string {
	out := ""
	for _, w := range s {
		out += `,"` + w + `"`
	}
	return out
}

func TestProfileNamesAndItems(t *testing.T) {
	f := setup(t, nil)
	n := f.net
	a, aS := addr()
	_, bS := addr()
	col := n.Collection()
	n.L1.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return n.Registrar.Register(o, "alice", a) })
	n.L2.Send(func(o *bind.TransactOpts) (*types.Transaction, error) {
		return col.AddItem(o, big.NewInt(0), "common", big.NewInt(0), "")
	})
	n.L2.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return col.Issue(o, a, big.NewInt(0), a) })
	token := new(big.Int).Lsh(big.NewInt(0), 216)
	token.Or(token, big.NewInt(1))
	urn := "urn:decentraland:matic:collections-v2:" + chaintest.Addr(chaintest.CollectionAddress) + ":0:" + token.String()
	ts := max(n.L1.Head().Time, n.L2.Head().Time)
	ctx := context.Background()
	if err := f.svc.CheckAccess(ctx, profile(ts, aS, "alice", urn), aS); err != nil {
		t.Fatalf("the owner of the name and the item: %v", err)
	}
	refused(t, f.svc.CheckAccess(ctx, profile(ts, bS, "alice"), bS), "does not own the NAME alice")
	refused(t, f.svc.CheckAccess(ctx, profile(ts, bS, "", urn), bS), "does not own the item "+urn)
	// Without hasClaimedName, the name is only a display name.
	if err := f.svc.CheckAccess(ctx, profile(ts, bS, ""), bS); err != nil {
		t.Fatal(err)
	}
	// An unknown v1 collection name is refused, a known one checked.
	refused(t, f.svc.CheckAccess(ctx, profile(ts, aS, "", "urn:decentraland:ethereum:collections-v1:nope:hat:1"), aS), "unknown collection nope")
	refused(t, f.svc.CheckAccess(ctx, profile(ts, aS, "", "urn:decentraland:ethereum:collections-v1:halloween_2019:hat:7"), aS), "halloween_2019:hat:7")
}

func TestCollectionItemRules(t *testing.T) {
	deployer, deployerS := addr()
	f := setup(t, nil)
	n := f.net
	col := n.Collection()
	_, mgrS := addr()
	committee, committeeS := addr()
	n.L2.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.Factory.Add(o, chaintest.CollectionAddress)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) { return col.SetCreator(o, deployer) },
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.SetItemManager(o, big.NewInt(2), common.HexToAddress(mgrS), true)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.AddItem(o, big.NewInt(2), "rare", big.NewInt(0), "")
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.Committee.SetMember(o, committee, true)
		},
	)
	urn := "urn:decentraland:matic:collections-v2:" + chaintest.Addr(chaintest.CollectionAddress) + ":2"
	item := func() *entity.Entity {
		return &entity.Entity{Type: entity.Wearable, Pointers: []string{urn}, Timestamp: int64(n.L2.Head().Time) * 1000,
			Content:  []entity.ContentItem{{File: "model.glb", Hash: "bafkreigdvlihufkl2lubsmzxcuxxgm7eiqzqcdmsy6sjnayrzsruz6ya2e"}},
			Metadata: []byte(`{"id":"` + urn + `","name":"hat"}`)}
	}
	ctx := context.Background()
	// Not completed yet: no one.
	refused(t, f.svc.CheckAccess(ctx, item(), deployerS), "does not have access to the item")
	n.L2.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return col.SetFlags(o, false, true) })
	n.L2.AdjustTime(6 * time.Minute)
	n.L2.Commit()
	for _, s := range []string{deployerS, mgrS} {
		if err := f.svc.CheckAccess(ctx, item(), s); err != nil {
			t.Errorf("%s while completed and not approved: %v", s, err)
		}
	}
	refused(t, f.svc.CheckAccess(ctx, item(), committeeS), "does not have access")
	// Approved with a content hash: only the committee, only that content.
	e := item()
	hashes := chain.ItemHashes(e)
	n.L2.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) { return col.SetFlags(o, true, true) },
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.SetContentHash(o, big.NewInt(2), hashes[1])
		},
	)
	n.L2.AdjustTime(6 * time.Minute)
	n.L2.Commit()
	e = item()
	if err := f.svc.CheckAccess(ctx, e, committeeS); err != nil {
		t.Errorf("a committee member with the approved content: %v", err)
	}
	refused(t, f.svc.CheckAccess(ctx, e, deployerS), "does not have access")
	other := item()
	other.Metadata = []byte(`{"id":"` + urn + `","name":"another hat"}`)
	refused(t, f.svc.CheckAccess(ctx, other, committeeS), "does not have access")
}

func TestOffChainAndV1OnlyFromDecentraland(t *testing.T) {
	_, dclS := addr()
	f := setup(t, func(c *chain.Contracts) { c.Decentraland = []string{dclS} })
	_, strangerS := addr()
	ts := int64(f.net.L1.Head().Time) * 1000
	for _, urn := range []string{"urn:decentraland:off-chain:base-avatars:f_hat", "urn:decentraland:ethereum:collections-v1:halloween_2019:hat"} {
		e := &entity.Entity{Type: entity.Wearable, Pointers: []string{urn}, Timestamp: ts, Metadata: []byte(`{}`)}
		if err := f.svc.CheckAccess(context.Background(), e, dclS); err != nil {
			t.Errorf("Decentraland deploying %s: %v", urn, err)
		}
		refused(t, f.svc.CheckAccess(context.Background(), e, strangerS), "is not a Decentraland address")
	}
}

func TestThirdPartyMerkleProof(t *testing.T) {
	f := setup(t, nil)
	n := f.net
	tp := "urn:decentraland:matic:collections-thirdparty:acme"
	urn := tp + ":summer:hat"
	meta := `{"id":"` + urn + `","name":"hat","content":{"male":"model.glb"},"data":{"category":"hat"}`
	keys := []string{"id", "content", "data"}
	entityHash := chain.EntityHash([]byte(meta+`}`), keys)
	// A tree of two leaves: ours at index 0 and another.
	leaf := crypto.Keccak256(append(common.LeftPadBytes(nil, 32), []byte(entityHash)...))
	otherLeaf := crypto.Keccak256(append(common.LeftPadBytes([]byte{1}, 32), []byte("ff")...))
	a, b := leaf, otherLeaf
	if string(b) < string(a) {
		a, b = b, a
	}
	root := crypto.Keccak256Hash(a, b)
	proof := `,"merkleProof":{"proof":["0x` + common.Bytes2Hex(otherLeaf) + `"],"index":0,"hashingKeys":["id","content","data"],"entityHash":"` + entityHash + `"}}`
	e := &entity.Entity{Type: entity.Wearable, Pointers: []string{urn}, Timestamp: int64(n.L2.Head().Time+1) * 1000, Metadata: []byte(meta + proof)}
	_, anyone := addr()
	ctx := context.Background()
	refused(t, f.svc.CheckAccess(ctx, e, anyone), "does not lead to the root")
	n.L2.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return n.TPR.Set(o, tp, true, root) })
	e.Timestamp = int64(n.L2.Head().Time) * 1000
	if err := f.svc.CheckAccess(ctx, e, anyone); err != nil {
		t.Fatalf("a valid proof: %v", err)
	}
	tampered := *e
	tampered.Metadata = []byte(strings.Replace(string(e.Metadata), `"category":"hat"`, `"category":"shoes"`, 1))
	refused(t, f.svc.CheckAccess(ctx, &tampered, anyone), "is not the hash of the item's metadata")
}

func TestContractWallet(t *testing.T) {
	f := setup(t, nil)
	n := f.net
	msg := "a message"
	sig := []byte{1, 2, 3}
	var digest [32]byte
	copy(digest[:], crypto.Keccak256([]byte(msg)))
	ctx := context.Background()
	ok, err := f.svc.IsValidSignature(ctx, n.WalletAddr, msg, sig)
	if err != nil || ok {
		t.Fatalf("before allowing: %v %v", ok, err)
	}
	n.L1.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return n.Wallet.Allow(o, digest, sig) })
	ok, err = f.svc.IsValidSignature(ctx, n.WalletAddr, msg, sig)
	if err != nil || !ok {
		t.Fatalf("after allowing: %v %v", ok, err)
	}
}

func TestWrongChainRefused(t *testing.T) {
	n := chaintest.NewNetwork(t)
	c := n.Contracts
	c.ChainID = 11155111
	svc, err := chain.New(chain.Config{Network: "mainnet", Contracts: &c, EthRPC: n.L1.URL, Store: openStore(t)})
	if err != nil {
		t.Fatal(err)
	}
	err = svc.Start(context.Background())
	var wrong *chain.WrongChainError
	if !errors.As(err, &wrong) || wrong.Got != 1 || wrong.Want != 11155111 {
		t.Fatalf("want a wrong-chain error, got %v", err)
	}
	if !strings.Contains(err.Error(), "serves chain id 1, not 11155111") {
		t.Fatal(err)
	}
}

// TestSilentRPCNeverAccepts: an RPC that does not answer in time makes
// the check an error (not a refusal, not an acceptance).
func TestSilentRPCNeverAccepts(t *testing.T) {
	release := make(chan struct{})
	var answered bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, 4096)
		k, _ := r.Body.Read(body)
		if strings.Contains(string(body[:k]), "eth_chainId") && !answered {
			answered = true
			w.Write([]byte(`{"jsonrpc":"2.0","id":1,"result":"0x1"}`))
			return
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	svc, err := chain.New(chain.Config{Network: "mainnet", EthRPC: srv.URL, Store: openStore(t)})
	if err != nil {
		t.Fatal(err)
	}
	svc.Ethereum().Timeout, svc.Ethereum().Attempts = 200*time.Millisecond, 2
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer svc.Stop(context.Background())
	_, s := addr()
	err = svc.CheckAccess(context.Background(), scene(uint64(time.Now().Unix()), "1,1"), s)
	var ve *entity.Error
	if err == nil || errors.As(err, &ve) {
		t.Fatalf("want an RPC error, got %v", err)
	}
	if !strings.Contains(err.Error(), "did not answer") {
		t.Fatalf("the error should say the RPC did not answer: %v", err)
	}
}

// TestLargeSceneInParts: a scene of more parcels than one call carries
// is checked in parts of one batch; the parcel missing is named.
func TestLargeSceneInParts(t *testing.T) {
	f := setup(t, nil)
	n := f.net
	owner, ownerS := addr()
	// Parcels (0,1)…(0,250) have token ids 1…250.
	n.L1.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.MintMany(o, owner, big.NewInt(1), big.NewInt(125))
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.MintMany(o, owner, big.NewInt(126), big.NewInt(125))
		},
	)
	var parcels []string
	for y := 1; y <= 250; y++ {
		parcels = append(parcels, "0,"+big.NewInt(int64(y)).String())
	}
	ts := n.L1.Head().Time
	if err := f.svc.CheckAccess(context.Background(), scene(ts, parcels...), ownerS); err != nil {
		t.Fatal(err)
	}
	refused(t, f.svc.CheckAccess(context.Background(), scene(ts, append(parcels, "0,251")...), ownerS), "parcel 0,251 at block")
}

func TestCatalystList(t *testing.T) {
	f := setup(t, nil)
	n := f.net
	o1, o1S := addr()
	o2, _ := addr()
	n.L1.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.Catalysts.Add(o, o1, "peer.example.org")
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.Catalysts.Add(o, o2, "http://insecure.example.org")
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.Catalysts.Add(o, o2, "https://other.example.org/")
		},
	)
	list, err := f.svc.Catalysts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].BaseURL != "https://peer.example.org" || list[0].Owner != o1S || list[1].BaseURL != "https://other.example.org" || !strings.HasPrefix(list[0].ID, "0x") {
		t.Fatalf("the DAO list: %+v", list)
	}
}
