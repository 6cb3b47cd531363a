package replicate

import (
	"context"
	"sync"
	"time"
)

// progress counts a catch-up: deployments learnt missing by reconciliation
// and how many of them are done.
type progress struct {
	mu          sync.Mutex
	total, done int
	started     time.Time
}

func (p *progress) add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done >= p.total {
		p.total, p.done, p.started = 0, 0, time.Now()
	}
	p.total += n
}

func (p *progress) entityDone() {
	p.mu.Lock()
	p.done++
	p.mu.Unlock()
}

// progressLoop logs a catch-up while one is under way: entities, bytes,
// rate and ETA, every 5 s.
func (r *Replicator) progressLoop(ctx context.Context) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	var lastBytes float64
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		p := &r.progress
		p.mu.Lock()
		total, done, started := p.total, p.done, p.started
		p.mu.Unlock()
		if total == 0 || done >= total {
			continue
		}
		elapsed := time.Since(started).Seconds()
		rate := float64(done) / max(elapsed, 0.001)
		eta := "unknown"
		if rate > 0 {
			eta = (time.Duration(float64(total-done)/rate) * time.Second).String()
		}
		bytes := readCounter(r.metrics.bytesReceived)
		r.log.Info("catching up from peers", "entities", done, "of", total, "received_mb", int(bytes/1e6),
			"entities_per_s", int(rate), "mb_per_s", (bytes-lastBytes)/5e6, "eta", eta)
		lastBytes = bytes
	}
}
