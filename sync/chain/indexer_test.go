package chain_test

import (
	"context"
	"encoding/json"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/sync/chain"
	"github.com/p2pcatalyst/catalyst/sync/chain/chaintest"
)

func indexed(t testing.TB, n *chaintest.Network, st *store.Store, bus *events.Bus) (*chain.Service, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	c := n.Contracts
	svc, err := chain.New(chain.Config{Network: "mainnet", Contracts: &c, EthRPC: n.L1.URL, PolygonRPC: n.L2.URL, Store: st, Bus: bus,
		Metrics: reg, Index: true, Confirmations: 1, PollEvery: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Stop(context.Background()) })
	return svc, reg
}

// settle seals two blocks (past the confirmations) and waits for both
// indexers to reach them.
func settle(t testing.TB, n *chaintest.Network, svc *chain.Service) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, c := range []struct {
		name string
		ch   *chaintest.Chain
	}{{"ethereum", n.L1}, {"polygon", n.L2}} {
		c.ch.Commit()
		c.ch.Commit()
		if err := svc.Indexer(c.name).WaitFor(ctx, c.ch.Head().Number.Uint64()-1); err != nil {
			t.Fatal(err)
		}
	}
}

func TestIndexerOwnership(t *testing.T) {
	n := chaintest.NewNetwork(t)
	st := openStore(t)
	bus := events.NewBus(events.Config{Store: st})
	svc, _ := indexed(t, n, st, bus)
	a, aS := addr()
	b, bS := addr()
	op, opS := addr()
	col := n.Collection()
	n.L1.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.SetOwner(o, chaintest.Parcel(10, -20), a)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.LAND.SetUpdateOperator(o, chaintest.Parcel(10, -20), op)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) { return n.LAND.SetUpdateManager(o, a, b, true) },
		func(o *bind.TransactOpts) (*types.Transaction, error) { return n.Registrar.Register(o, "alice", a) },
		func(o *bind.TransactOpts) (*types.Transaction, error) { return n.Registrar.Register(o, "zed", a) },
		func(o *bind.TransactOpts) (*types.Transaction, error) { return n.Estate.SetOwner(o, big.NewInt(7), a) },
	)
	n.L2.Send(
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return n.Factory.Add(o, chaintest.CollectionAddress)
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) { return col.SetCreator(o, a) },
		func(o *bind.TransactOpts) (*types.Transaction, error) {
			return col.AddItem(o, big.NewInt(3), "epic", big.NewInt(5), "1:e:dance:a dance:dance:BaseMale")
		},
		func(o *bind.TransactOpts) (*types.Transaction, error) { return col.SetFlags(o, true, true) },
	)
	n.L2.Send(func(o *bind.TransactOpts) (*types.Transaction, error) {
		return col.Issue(o, b, big.NewInt(3), chaintest.StoreAddress)
	})
	settle(t, n, svc)
	ctx := context.Background()

	names, err := svc.Names(ctx, aS)
	if err != nil || !slices.Equal(names, []string{"alice", "zed"}) {
		t.Fatalf("names of a: %v %v", names, err)
	}
	if owner, _ := svc.NameOwner(ctx, "Alice"); owner != aS {
		t.Errorf("owner of alice: %q", owner)
	}
	lands, _ := svc.Lands(ctx, aS)
	if len(lands) != 2 {
		t.Fatalf("lands of a: %+v", lands)
	}
	var parcel, estate bool
	for _, l := range lands {
		parcel = parcel || (l.Category == "parcel" && l.X == 10 && l.Y == -20)
		estate = estate || (l.Category == "estate" && l.TokenID.Int64() == 7)
	}
	if !parcel || !estate {
		t.Errorf("lands of a: %+v", lands)
	}
	po, _ := svc.Operators(ctx, 10, -20)
	if po.Owner != aS || po.UpdateOperator != opS || !slices.Equal(po.UpdateManagers, []string{bS}) {
		t.Errorf("operators of 10,-20: %+v", po)
	}
	token := new(big.Int).Or(new(big.Int).Lsh(big.NewInt(3), 216), big.NewInt(1))
	urn := "urn:decentraland:matic:collections-v2:" + chaintest.Addr(chaintest.CollectionAddress) + ":3"
	owned, _ := svc.Owned(ctx, bS, []string{urn, urn + ":" + token.String(), urn + ":999"})
	if !owned[urn] || !owned[urn+":"+token.String()] || owned[urn+":999"] {
		t.Errorf("owned by b: %v", owned)
	}

	// A transfer moves the name; the index follows.
	n.L1.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return n.Registrar.Transfer(o, "alice", b) })
	settle(t, n, svc)
	if names, _ := svc.Names(ctx, aS); !slices.Equal(names, []string{"zed"}) {
		t.Errorf("names of a after the transfer: %v", names)
	}
	if names, _ := svc.Names(ctx, bS); !slices.Equal(names, []string{"alice"}) {
		t.Errorf("names of b after the transfer: %v", names)
	}

	// The chain's platform events are on the bus, with what badges read.
	evs, err := st.ReadEvents(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]any{}
	for _, e := range evs {
		if e.Type == "blockchain" {
			var m map[string]any
			json.Unmarshal(e.Metadata, &m)
			got[e.SubType] = m
		}
	}
	if m := got["collection-created"]; m == nil || m["creator"] != aS {
		t.Errorf("collection-created: %v", m)
	}
	if m := got["item-published"]; m == nil || m["creator"] != aS || m["category"] != "emote" || m["itemId"] != "3" {
		t.Errorf("item-published: %v", m)
	}
	if m := got["item-sold"]; m == nil || m["buyer"] != bS || m["category"] != "emote" {
		t.Errorf("item-sold: %v", m)
	}
}

// TestIndexerReorg: blocks already indexed that a reorganisation drops
// are undone; the new branch is indexed.
func TestIndexerReorg(t *testing.T) {
	n := chaintest.NewNetwork(t)
	st := openStore(t)
	svc, reg := indexed(t, n, st, nil)
	a, aS := addr()
	b, bS := addr()
	c, cS := addr()
	id := chaintest.Parcel(4, 4)
	n.L1.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return n.LAND.SetOwner(o, id, a) })
	settle(t, n, svc)
	fork := n.L1.Head().Hash()
	n.L1.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return n.LAND.SetOwner(o, id, b) })
	settle(t, n, svc)
	ctx := context.Background()
	land := chaintest.Addr(n.Contracts.LAND.Address)
	if owner, _ := svc.OwnerOf(ctx, "ethereum", land, id); owner != bS {
		t.Fatalf("before the reorg: %q", owner)
	}
	// Another branch from before b's transfer, where c gets the parcel.
	if err := n.L1.Backend.Fork(fork); err != nil {
		t.Fatal(err)
	}
	n.L1.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return n.LAND.SetOwner(o, id, c) })
	for i := 0; i < 4; i++ {
		n.L1.Commit()
	}
	settle(t, n, svc)
	if owner, _ := svc.OwnerOf(ctx, "ethereum", land, id); owner != cS {
		t.Fatalf("after the reorg the owner is %q, want %s", owner, cS)
	}
	if toks, _ := svc.Tokens(ctx, "ethereum", bS, land); len(toks) != 0 {
		t.Errorf("b still holds %v after the reorg", toks)
	}
	if toks, _ := svc.Tokens(ctx, "ethereum", aS, land); len(toks) != 0 {
		t.Errorf("a still holds %v", toks)
	}
	if got := testutil.ToFloat64(collector{reg, "catalyst_chain_reorgs_total"}); got < 1 {
		t.Errorf("reorgs counted: %v", got)
	}
	_ = b
}

// TestIndexerResumes: a restarted indexer goes on from its checkpoint.
func TestIndexerResumes(t *testing.T) {
	n := chaintest.NewNetwork(t)
	dir := t.TempDir()
	st, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	a, aS := addr()
	n.L1.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return n.Registrar.Register(o, "first", a) })
	svc, _ := indexed(t, n, st, nil)
	settle(t, n, svc)
	svc.Stop(context.Background())
	st.Close()

	n.L1.Send(func(o *bind.TransactOpts) (*types.Transaction, error) { return n.Registrar.Register(o, "second", a) })
	st, err = store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() }) // after the service stops
	svc, reg := indexed(t, n, st, nil)
	settle(t, n, svc)
	if names, _ := svc.Names(context.Background(), aS); !slices.Equal(names, []string{"first", "second"}) {
		t.Fatalf("names after the restart: %v", names)
	}
	// Only the new registration was read again.
	if got := testutil.ToFloat64(collector{reg, "catalyst_chain_indexed_logs_total"}); got != 2 {
		t.Errorf("logs read after the restart: %v, want 2 (NameRegistered and Transfer of the second name)", got)
	}
}
