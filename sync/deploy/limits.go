package deploy

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entity"
)

// pointerLocks lets one deployment at a time touch a (type, pointer).
type pointerLocks struct {
	mu   sync.Mutex
	held map[string]chan struct{} // closed when released
}

// lock takes every pointer of e (their keys in the store). A local
// deployment that finds one busy is refused at once, as the content server
// does; a synced one waits.
func (l *pointerLocks) lock(ctx context.Context, e *entity.Entity, pointers []string, failFast bool) (func(), error) {
	keys := make([]string, len(pointers))
	for i, p := range pointers {
		keys[i] = string(e.Type) + "\x00" + p
	}
	for {
		l.mu.Lock()
		var busy []string
		var wait chan struct{}
		for i, k := range keys {
			if ch, ok := l.held[k]; ok {
				busy = append(busy, e.Pointers[i])
				wait = ch
			}
		}
		if busy == nil {
			done := make(chan struct{})
			for _, k := range keys {
				l.held[k] = done
			}
			l.mu.Unlock()
			return func() {
				l.mu.Lock()
				for _, k := range keys {
					delete(l.held, k)
				}
				l.mu.Unlock()
				close(done)
			}, nil
		}
		l.mu.Unlock()
		if failFast {
			return nil, entity.Errorf("The following pointers are currently being deployed: '%s'. Please try again in a few seconds.", strings.Join(busy, ","))
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, fmt.Errorf("deploy: waiting for pointers %v: %w", busy, ctx.Err())
		}
	}
}

// rateLimiter remembers when each (type, pointer) was last deployed
// locally. Entries older than the longest interval are swept, so its size
// is bounded by the deployment rate times that interval.
type rateLimiter struct {
	mu        sync.Mutex
	intervals map[entity.Type]time.Duration
	last      map[string]time.Time
	lastSweep time.Time
}

func newRateLimiter(intervals map[entity.Type]time.Duration) *rateLimiter {
	return &rateLimiter{intervals: intervals, last: map[string]time.Time{}}
}

func (r *rateLimiter) limited(e *entity.Entity, pointers []string, now time.Time) (time.Duration, bool) {
	interval := r.intervals[e.Type]
	if interval <= 0 {
		return 0, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var wait time.Duration
	for _, p := range pointers {
		if t, ok := r.last[string(e.Type)+"\x00"+p]; ok {
			if left := interval - now.Sub(t); left > wait {
				wait = left
			}
		}
	}
	return wait, wait > 0
}

func (r *rateLimiter) record(e *entity.Entity, pointers []string, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range pointers {
		r.last[string(e.Type)+"\x00"+p] = now
	}
	if now.Sub(r.lastSweep) < time.Minute {
		return
	}
	r.lastSweep = now
	var longest time.Duration
	for _, d := range r.intervals {
		longest = max(longest, d)
	}
	for k, t := range r.last {
		if now.Sub(t) > longest {
			delete(r.last, k)
		}
	}
}
