package node

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

// BenchmarkConvergence measures the time from a deployment's answer on one
// node to its application on every other node (p50, p99), for 2 and 10
// nodes on loopback. Run: go test -run X -bench Convergence ./node/
func BenchmarkConvergence(b *testing.B) {
	for _, size := range []int{2, 10} {
		b.Run(fmt.Sprintf("nodes=%d", size), func(b *testing.B) {
			nodes := testnet(b, size, nil)
			waitMesh(b, nodes)
			time.Sleep(1500 * time.Millisecond) // let the gossip mesh form
			// Every node reports when it applies an entity.
			var mu sync.Mutex
			applied := map[string]chan struct{}{}
			counts := map[string]int{}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			for _, n := range nodes[1:] {
				go followDeployments(ctx, n.Store, func(id string) {
					mu.Lock()
					counts[id]++
					if counts[id] == size-1 {
						if done, ok := applied[id]; ok {
							close(done)
						}
					}
					mu.Unlock()
				})
			}
			id := entitytest.NewIdentity()
			var lat []time.Duration
			for i := 0; b.Loop(); i++ {
				d := entitytest.Scene(id, time.Now(), []string{fmt.Sprintf("%d,%d", i%300-150, i/300%300-150)}, nil)
				done := make(chan struct{})
				mu.Lock()
				applied[d.ID] = done
				mu.Unlock()
				res, err := nodes[0].Pipeline.Deploy(context.Background(), request(d, deploy.Local))
				if err != nil || res.Existed {
					b.Fatal(err)
				}
				start := time.Now()
				select {
				case <-done:
					lat = append(lat, time.Since(start))
				case <-time.After(10 * time.Second):
					b.Fatalf("deployment %d did not reach all %d nodes", i, size)
				}
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// followDeployments calls applied with the id of every deployment the
// store applies from now on, reading its event log.
func followDeployments(ctx context.Context, st *store.Store, applied func(id string)) {
	seq := st.LastEventSeq()
	for {
		select {
		case <-ctx.Done():
			return
		case <-st.EventsAfter(seq):
		}
		evs, err := st.ReadEvents(ctx, seq, 1000)
		if err != nil {
			return
		}
		for _, e := range evs {
			if e.Type == store.DeploymentEventType {
				applied(strings.TrimPrefix(e.Key, "deployment-"))
			}
			seq = e.Seq
		}
	}
}

func request(d *entitytest.Deployment, origin deploy.Origin) deploy.Request {
	files := []deploy.File{{Data: d.File, Size: int64(len(d.File))}}
	for _, b := range d.Files {
		files = append(files, deploy.File{Data: b, Size: int64(len(b))})
	}
	return deploy.Request{EntityID: d.ID, AuthChain: d.AuthChain, Files: files, Origin: origin}
}

// BenchmarkCatchUp measures a node with an empty store joining a node that
// holds N deployments, until it holds them all.
// Run: go test -run X -bench CatchUp -benchtime 1x ./node/
func BenchmarkCatchUp(b *testing.B) {
	for _, total := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("deployments=%d", total), func(b *testing.B) {
			src, _ := startNode(b, func(c *Config) { c.Network = fmt.Sprintf("catchup-%d", time.Now().UnixNano()) })
			seedScenes(b, src, total)
			b.Logf("source holds %d deployments", src.Store.LastSeq())
			for b.Loop() {
				start := time.Now()
				dst, _ := startNode(b, func(c *Config) {
					c.Network = src.cfg.Network
					c.Bootstrap = src.Host.Info().Addrs[:1]
				})
				for dst.Store.LastSeq() < uint64(total) {
					if time.Since(start) > 10*time.Minute {
						b.Fatalf("caught up %d of %d", dst.Store.LastSeq(), total)
					}
					time.Sleep(50 * time.Millisecond)
				}
				b.ReportMetric(time.Since(start).Seconds(), "s-to-catch-up")
				b.ReportMetric(float64(total)/time.Since(start).Seconds(), "deploys/s")
			}
		})
	}
}
