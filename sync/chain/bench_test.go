package chain_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/sync/chain"
	"github.com/p2pcatalyst/catalyst/sync/chain/chaintest"
)

// BenchmarkIndexTransfers indexes 100,000 LAND Transfer logs of a
// simulated chain into an empty store, from eth_getLogs over HTTP to the
// last checkpoint:
//
//	go test -run X -bench IndexTransfers -benchtime 1x ./sync/chain/
func BenchmarkIndexTransfers(b *testing.B) {
	const total, perTx = 100_000, 125
	n := chaintest.NewNetwork(b)
	owner, _ := addr()
	for first := 0; first < total; first += 40 * perTx {
		var txs []func(*bind.TransactOpts) (*types.Transaction, error)
		for k := first; k < min(first+40*perTx, total); k += perTx {
			start := big.NewInt(int64(k + 1))
			txs = append(txs, func(o *bind.TransactOpts) (*types.Transaction, error) {
				return n.LAND.MintMany(o, owner, start, big.NewInt(perTx))
			})
		}
		n.L1.Send(txs...)
	}
	n.L1.Commit()
	n.L1.Commit()
	target := n.L1.Head().Number.Uint64() - 1
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := store.Open(store.Options{Dir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		reg := prometheus.NewRegistry()
		c := n.Contracts
		svc, err := chain.New(chain.Config{Network: "mainnet", Contracts: &c, EthRPC: n.L1.URL, Store: st, Metrics: reg, Index: true, Confirmations: 1, PollEvery: 10 * time.Millisecond})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if err := svc.Start(context.Background()); err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		if err := svc.Indexer("ethereum").WaitFor(ctx, target); err != nil {
			b.Fatal(err)
		}
		cancel()
		elapsed := time.Since(start)
		b.StopTimer()
		logs := testutil.ToFloat64(collector{reg, "catalyst_chain_indexed_logs_total"})
		if logs != total {
			b.Fatalf("indexed %v logs, want %d", logs, total)
		}
		b.ReportMetric(elapsed.Seconds(), "s/100k-logs")
		b.ReportMetric(logs/elapsed.Seconds(), "logs/s")
		svc.Stop(context.Background())
		st.Close()
		b.StartTimer()
	}
}

// BenchmarkSceneCheck is the access check of a 20-parcel scene by a
// service that knows nothing yet (a new one each time, with its own
// store: no call, header or block-by-time cached), timed with its round
// trips:
//
//	go test -run X -bench SceneCheck -benchtime 50x ./sync/chain/
func BenchmarkSceneCheck(b *testing.B) {
	f := setup(b, nil)
	n := f.net
	owner, ownerS := addr()
	var parcels []string
	var txs []func(*bind.TransactOpts) (*types.Transaction, error)
	for i := 0; i < 20; i++ {
		x, y := int64(i%5), int64(i/5)
		parcels = append(parcels, big.NewInt(x).String()+","+big.NewInt(y).String())
		id := chaintest.Parcel(x, y)
		txs = append(txs, func(o *bind.TransactOpts) (*types.Transaction, error) { return n.LAND.SetOwner(o, id, owner) })
	}
	n.L1.Send(txs...)
	for i := 0; i < 100; i++ {
		n.L1.AdjustTime(12 * time.Second)
	}
	head := n.L1.Head().Time
	var trips float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		g := serviceOf(b, n, openStore(b), nil, false)
		before := testutil.ToFloat64(roundTrips(g.reg))
		b.StartTimer()
		if err := g.svc.CheckAccess(context.Background(), scene(head-300, parcels...), ownerS); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		trips += testutil.ToFloat64(roundTrips(g.reg)) - before
		b.StartTimer()
	}
	b.ReportMetric(trips/float64(b.N), "round-trips/op")
}
