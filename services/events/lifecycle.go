package events

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"time"

	bus "github.com/p2pcatalyst/catalyst/store/events"
)

// publish puts an event's platform event on the bus, keyed so that it
// is told once (whatever the loop or a restart does again): for address
// (who is told), with suffix telling one occurrence from another.
func (s *Service) publish(ctx context.Context, subType string, e *Event, address, suffix string) {
	s.publishAt(ctx, subType, e, e.next(s.cfg.Now().UnixMilli()), address, suffix)
}

// publishAt is publish for the occurrence that starts at start.
func (s *Service) publishAt(ctx context.Context, subType string, e *Event, start int64, address, suffix string) {
	if s.cfg.Bus == nil {
		return
	}
	meta, _ := json.Marshal(map[string]any{
		"address": address, "eventId": e.ID, "name": e.Name, "image": e.Image, "startsAt": iso(start),
		"endsAt": iso(start + e.Duration), "link": fmt.Sprintf("https://decentraland.org/jump/events?id=%s", e.ID),
		"x": e.X, "y": e.Y,
	})
	key := fmt.Sprintf("%s-%s-%d%s", subType, e.ID, start, suffix)
	if err := s.cfg.Bus.Publish(ctx, bus.Event{Type: "events", SubType: subType, Key: key, Timestamp: s.cfg.Now().UnixMilli(), Metadata: meta}); err != nil {
		s.log.Warn("an event's platform event was not published", "type", subType, "event", e.ID, "err", err)
	}
}

// Start runs the loop that tells, every Every, the events that start
// within the hour (to each attendee), started or ended.
func (s *Service) Start(context.Context) error {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go func() {
		defer close(s.done)
		for {
			s.safeTick(ctx)
			select {
			case <-ctx.Done():
				return
			case <-time.After(s.cfg.Every):
			}
		}
	}()
	return nil
}

// Stop stops the loop.
func (s *Service) Stop(context.Context) error {
	if s.cancel != nil {
		s.cancel()
		<-s.done
	}
	return nil
}

func (s *Service) safeTick(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("the events loop panicked", "panic", r, "stack", string(debug.Stack()))
		}
	}()
	s.Tick(ctx)
}

// Tick tells what is due now: each approved event's starts-soon (an
// hour before) and started, to each attendee, and ended, to its
// creator; once each.
func (s *Service) Tick(ctx context.Context) {
	list, err := s.all(ctx)
	if err != nil {
		return
	}
	now := s.cfg.Now().UnixMilli()
	hour := int64(time.Hour / time.Millisecond)
	for _, e := range list {
		if !e.Approved || e.Rejected {
			continue
		}
		// Each occurrence of a recurrent event is told on its own.
		for _, start := range e.dates(e.StartAt) {
			if start > now+hour || start+e.Duration+hour < now {
				continue
			}
			finish := start + e.Duration
			tell := func(subType string) {
				s.ks.Scan(ctx, "a/"+e.ID+"/", func(name string, _ []byte) error {
					user := name[len("a/"+e.ID+"/"):]
					s.publishAt(ctx, subType, e, start, user, "-"+user)
					return nil
				})
			}
			if now >= start-hour && now < start {
				tell("event-starts-soon")
			}
			if now >= start && now < finish {
				tell("event-started")
			}
			if now >= finish && now < finish+hour {
				s.publishAt(ctx, "event-ended", e, start, e.User, "")
			}
		}
	}
}
