package node

import (
	"context"
	"errors"
	"fmt"
)

// Lifecycle is what every part of the node is (go-ethereum's
// node.Lifecycle): Start may bind, open and spawn; Stop undoes it all and
// waits for what Start spawned. Constructors do neither.
type Lifecycle interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// part is a Lifecycle with a name for errors and logs.
type part struct {
	name string
	Lifecycle
}

// parts starts in order and stops in reverse.
type parts struct {
	list    []part
	started int
}

func (ps *parts) add(name string, l Lifecycle) { ps.list = append(ps.list, part{name, l}) }

// start starts every part in order; when one fails, those already
// started stop, in reverse, and the error names the part.
func (ps *parts) start(ctx context.Context) error {
	for _, p := range ps.list {
		if err := p.Start(ctx); err != nil {
			stopErr := ps.stop(ctx)
			return errors.Join(fmt.Errorf("node: start %s: %w", p.name, err), stopErr)
		}
		ps.started++
	}
	return nil
}

// stop stops the started parts in reverse order and joins their errors.
func (ps *parts) stop(ctx context.Context) error {
	var errs []error
	for ; ps.started > 0; ps.started-- {
		p := ps.list[ps.started-1]
		if err := p.Stop(ctx); err != nil {
			errs = append(errs, fmt.Errorf("node: stop %s: %w", p.name, err))
		}
	}
	return errors.Join(errs...)
}

// loop adapts a background loop (a Run(ctx) that returns when ctx ends) to
// a Lifecycle: Start runs it with a context of its own, Stop cancels that
// context and waits for the loop.
type loop struct {
	run    func(ctx context.Context)
	cancel context.CancelFunc
	done   chan struct{}
}

func newLoop(run func(ctx context.Context)) *loop { return &loop{run: run} }

func (l *loop) Start(context.Context) error {
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel, l.done = cancel, make(chan struct{})
	go func() {
		defer close(l.done)
		l.run(ctx)
	}()
	return nil
}

// Stop waits for the loop to return, at most until ctx ends.
func (l *loop) Stop(ctx context.Context) error {
	l.cancel()
	select {
	case <-l.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("still running: %w", ctx.Err())
	}
}

// funcs adapts a pair of functions to a Lifecycle.
type funcs struct {
	start, stop func(ctx context.Context) error
}

func (f funcs) Start(ctx context.Context) error { return f.start(ctx) }
func (f funcs) Stop(ctx context.Context) error  { return f.stop(ctx) }
