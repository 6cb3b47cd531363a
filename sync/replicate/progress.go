package replicate

import (
	"context"
	"fmt"
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

// running reports whether a catch-up is under way.
func (p *progress) running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done < p.total
}

func (p *progress) entityDone() {
	p.mu.Lock()
	p.done++
	p.mu.Unlock()
}

// CatchUp is the progress of a catch-up from peers.
type CatchUp struct {
	Running       bool    `json:"running"`
	Done          int     `json:"done"`  // deployments applied of those learnt missing
	Total         int     `json:"total"` // deployments learnt missing
	ReceivedBytes int64   `json:"receivedBytes"`
	PerSecond     float64 `json:"perSecond"`
	ETASeconds    float64 `json:"etaSeconds"` // -1: unknown
}

// Progress reports the catch-up under way (Running false when none is).
func (r *Replicator) Progress() CatchUp {
	p := &r.progress
	p.mu.Lock()
	total, done, started := p.total, p.done, p.started
	p.mu.Unlock()
	c := CatchUp{Done: done, Total: total, ReceivedBytes: int64(readCounter(r.metrics.bytesReceived)), ETASeconds: -1}
	if total == 0 || done >= total {
		return c
	}
	c.Running = true
	c.PerSecond = float64(done) / max(time.Since(started).Seconds(), 0.001)
	if c.PerSecond > 0 {
		c.ETASeconds = float64(total-done) / c.PerSecond
	}
	return c
}

// progressLoop logs a catch-up while one is under way: entities, bytes,
// rate and ETA, every 5 s.
func (r *Replicator) progressLoop(ctx context.Context) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	var lastBytes int64
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		c := r.Progress()
		if !c.Running {
			continue
		}
		eta := "unknown"
		if c.ETASeconds >= 0 {
			eta = (time.Duration(c.ETASeconds) * time.Second).String()
		}
		r.log.Info("catching up from peers", "entities", c.Done, "of", c.Total, "received_mb", c.ReceivedBytes/1e6,
			"entities_per_s", int(c.PerSecond), "mb_per_s", fmt.Sprintf("%.1f", float64(c.ReceivedBytes-lastBytes)/5e6), "eta", eta)
		lastBytes = c.ReceivedBytes
	}
}
