// Package eventsnotifier takes the client events explorers report (the
// @dcl/schemas client events: used-emote, passport-opened, walked-distance,
// …) onto the event bus, and spreads them over the network. In
// Decentraland they arrive through Segment's webhook, which needs a
// Segment key; here a client posts one event with signed fetch (ADR-44)
// by the user it is about — a signature by anyone else is refused.
//
// Signed fetch signs the method, path, time and metadata, not the body:
// so the signed metadata carries the body's hash (eventHash, hex SHA-256),
// and a signature vouches for exactly one event. The event's key on the
// bus is derived from the signature (one event a signature, for good), and
// its time is the signature's.
//
// A user-signed event is gossiped on /catalyst/<network>/client-events/1
// with its signed-fetch headers, and every node verifies it again before
// it enters its bus, so progress that rests on these events (badges) is
// the same on every node. What the node observes itself (moves, walks,
// climbs from comms) is not taken from clients: it would count twice.
package eventsnotifier

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/p2pcatalyst/catalyst/p2p"
	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/events"
	"github.com/p2pcatalyst/catalyst/store/guard"
)

// ForwardPath is where clients post events; the signature must be for it.
const ForwardPath = "/events-notifier/forward"

// MaxEventBytes bounds a posted event.
const MaxEventBytes = 16 << 10

// ClientEvents are the client events accepted (of @dcl/schemas
// Events.SubType.Client, those comms do not derive).
var ClientEvents = []string{"logged-in", "logged-in-cached", "used-emote", "passport-opened"}

// Rates: one user's events, and all the events gossip brings.
const (
	perUserPerSecond  = 2
	perUserBurst      = 20
	gossipPerSecond   = 500
	gossipBurst       = 1000
	rememberedSigners = 100_000
)

// Config wires the notifier to the node.
type Config struct {
	Bus      *events.Bus
	Host     *p2p.Host // nil: events stay on this node
	Verifier authchain.Verifier
	Logger   *slog.Logger
	Metrics  prometheus.Registerer
	Now      func() time.Time
}

// Service is the events notifier.
type Service struct {
	cfg      Config
	log      *slog.Logger
	guard    *guard.Guard
	users    *lru.Cache[string, *rate.Limiter] // signer → their rate
	gossip   *rate.Limiter
	started  time.Time
	accepted *prometheus.CounterVec
	refused  *prometheus.CounterVec

	topic  *pubsub.Topic
	sub    *pubsub.Subscription
	joined *p2p.Joined
	cancel context.CancelFunc
	done   chan struct{}
}

// New builds the notifier; Start joins the gossip topic.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	users, _ := lru.New[string, *rate.Limiter](rememberedSigners)
	s := &Service{
		cfg: cfg, log: cfg.Logger.With("component", "events-notifier"), guard: guard.New("events-notifier", cfg.Logger, cfg.Metrics),
		users: users, gossip: rate.NewLimiter(gossipPerSecond, gossipBurst), started: time.Now(),
		accepted: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_client_events_total",
			Help: "Client events accepted, by subtype and source (http: posted here, gossip: from a peer)."}, []string{"subtype", "source"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_client_events_refused_total",
			Help: "Client events refused, by source."}, []string{"source"}),
	}
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(s.accepted, s.refused)
	}
	return s
}

// Routes registers the notifier's routes.
func (s *Service) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+ForwardPath, s.forward)
	mux.HandleFunc("GET /events-notifier/status", func(w http.ResponseWriter, r *http.Request) {
		httpx.JSON(w, http.StatusOK, map[string]any{"healthy": true, "acceptedEvents": ClientEvents, "gossip": s.topic != nil, "startedAt": s.started.UnixMilli()})
	})
}

// signedEvent is an event with the signed-fetch headers that vouch for
// it: what is gossiped.
type signedEvent struct {
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// errRefused marks an event that is not its signer's to report.
var errRefused = errors.New("refused")

// check verifies a signed event and returns the bus event it makes.
func (s *Service) check(ctx context.Context, se signedEvent) (events.Event, error) {
	h := http.Header{}
	for k, v := range se.Headers {
		h.Set(k, v)
	}
	req, err := s.cfg.Verifier.VerifyRequest(ctx, http.MethodPost, ForwardPath, h, s.cfg.Now())
	if err != nil {
		return events.Event{}, fmt.Errorf("%w: %w", errRefused, err)
	}
	var meta struct {
		Signer    string `json:"signer"`
		EventHash string `json:"eventHash"`
	}
	json.Unmarshal(req.Metadata, &meta)
	if meta.Signer == httpx.SceneSigner {
		return events.Event{}, fmt.Errorf("%w: a scene may not report events in its user's name", errRefused)
	}
	sum := sha256.Sum256(se.Body)
	if !strings.EqualFold(meta.EventHash, hex.EncodeToString(sum[:])) {
		return events.Event{}, fmt.Errorf("%w: the signed metadata must carry eventHash, the hex SHA-256 of the body", errRefused)
	}
	var ev struct {
		Type      string         `json:"type"`
		SubType   string         `json:"subType"`
		Key       string         `json:"key"`
		Timestamp int64          `json:"timestamp"`
		Metadata  map[string]any `json:"metadata"`
	}
	if err := json.Unmarshal(se.Body, &ev); err != nil {
		return events.Event{}, fmt.Errorf("%w: the body is not an event: %w", errRefused, err)
	}
	if ev.Type != "client" || !slices.Contains(ClientEvents, ev.SubType) {
		return events.Event{}, fmt.Errorf("%w: unknown event %s/%s (client events: %s)", errRefused, ev.Type, ev.SubType, strings.Join(ClientEvents, ", "))
	}
	if ev.Key == "" || len(ev.Key) > 128 || ev.Metadata == nil {
		return events.Event{}, fmt.Errorf("%w: an event needs a key (at most 128 characters) and metadata", errRefused)
	}
	user, _ := ev.Metadata["userAddress"].(string)
	if !strings.EqualFold(user, req.Signer) {
		return events.Event{}, fmt.Errorf("%w: the event is about %q, the request is signed by %s", errRefused, user, req.Signer)
	}
	if err := checkMetadata(ev.SubType, ev.Metadata); err != nil {
		return events.Event{}, fmt.Errorf("%w: %w", errRefused, err)
	}
	sig := sha256.Sum256([]byte(req.Chain[len(req.Chain)-1].Signature))
	ev.Metadata["clientKey"] = ev.Key
	ev.Key = "client-" + hex.EncodeToString(sig[:16]) // one event a signature
	ev.Metadata["userAddress"] = req.Signer
	ev.Metadata["authChain"] = req.Chain
	// The event happened when it was signed: a client's own timestamp
	// could make a minute's rule (moves_master) pass in a millisecond.
	signedAt, _ := strconv.ParseInt(h.Get(authchain.HeaderTimestamp), 10, 64)
	ev.Metadata["timestamps"] = map[string]any{"reportedAt": ev.Timestamp, "receivedAt": s.cfg.Now().UnixMilli()}
	ev.Metadata["timestamp"] = signedAt
	return events.New(ev.Type, ev.SubType, ev.Key, signedAt, ev.Metadata)
}

// checkMetadata checks what each client event must carry, with bounds.
func checkMetadata(sub string, m map[string]any) error {
	switch sub {
	case "used-emote":
		emote, _ := m["emote"].(map[string]any)
		if emote == nil {
			return errors.New("used-emote needs metadata.emote")
		}
	case "passport-opened":
		p, _ := m["passport"].(map[string]any)
		receiver, _ := p["receiver"].(string)
		if !authchain.IsAddress(strings.ToLower(receiver)) {
			return errors.New("passport-opened needs metadata.passport.receiver, an address")
		}
	}
	return nil
}

// forward takes one signed client event.
func (s *Service) forward(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxEventBytes))
	if err != nil {
		s.refused.WithLabelValues("http").Inc()
		httpx.Error(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("an event is at most %d bytes", MaxEventBytes))
		return
	}
	se := signedEvent{Headers: map[string]string{}, Body: body}
	for k, v := range r.Header {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-identity-") && len(v) > 0 {
			se.Headers[lk] = v[0]
		}
	}
	ev, err := s.check(r.Context(), se)
	if err == nil && !s.allow(ev) {
		s.refused.WithLabelValues("http").Inc()
		w.Header().Set("Retry-After", "10")
		httpx.Error(w, http.StatusTooManyRequests, "too many events; at most 2 a second")
		return
	}
	if err != nil {
		s.refused.WithLabelValues("http").Inc()
		status := http.StatusBadRequest
		if strings.Contains(err.Error(), "signed fetch") || strings.Contains(err.Error(), "signed by") {
			status = http.StatusUnauthorized
		}
		httpx.Error(w, status, strings.TrimPrefix(err.Error(), "refused: "))
		return
	}
	if err := s.cfg.Bus.Publish(r.Context(), ev); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	s.accepted.WithLabelValues(ev.SubType, "http").Inc()
	if s.topic != nil {
		if raw, err := json.Marshal(se); err == nil {
			if err := s.topic.Publish(r.Context(), raw); err != nil {
				s.log.Warn("client event not gossiped", "err", err)
			}
		}
	}
	httpx.JSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// Start joins the gossip topic (nothing without a host).
func (s *Service) Start(context.Context) error {
	if s.cfg.Host == nil {
		return nil
	}
	j, err := s.cfg.Host.Join("client-events/1", s.validate, 5*time.Second)
	if err != nil {
		return fmt.Errorf("events-notifier: %w", err)
	}
	s.topic, s.sub, s.joined = j.Topic, j.Sub, j
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go s.read(ctx)
	return nil
}

// Stop leaves the topic.
func (s *Service) Stop(context.Context) error {
	if s.cancel == nil {
		return nil
	}
	s.cancel()
	<-s.done
	return s.joined.Leave()
}

// validate checks a gossiped event as a posted one is checked; a forged
// one is rejected, which scores its forwarder down.
func (s *Service) validate(ctx context.Context, from peer.ID, msg *pubsub.Message) (res pubsub.ValidationResult) {
	defer func() {
		if v := recover(); v != nil {
			s.guard.Report("gossiped client event", v, "peer", from)
			res = pubsub.ValidationReject
		}
	}()
	if from == s.cfg.Host.ID() {
		return pubsub.ValidationAccept // checked when it was posted here
	}
	if len(msg.Data) > 2*MaxEventBytes+16<<10 {
		s.refused.WithLabelValues("gossip").Inc()
		return pubsub.ValidationReject
	}
	var se signedEvent
	if err := json.Unmarshal(msg.Data, &se); err != nil || len(se.Headers) > 16 {
		s.refused.WithLabelValues("gossip").Inc()
		return pubsub.ValidationReject
	}
	ev, err := s.check(ctx, se)
	if err != nil {
		s.refused.WithLabelValues("gossip").Inc()
		if strings.Contains(err.Error(), "expired") {
			return pubsub.ValidationIgnore // late, not forged
		}
		return pubsub.ValidationReject
	}
	if !s.gossip.Allow() || !s.allow(ev) {
		return pubsub.ValidationIgnore // over the rates: not forged, not taken
	}
	msg.ValidatorData = ev
	return pubsub.ValidationAccept
}

// allow spends one of the event's user's tokens.
func (s *Service) allow(ev events.Event) bool {
	var m struct {
		UserAddress string `json:"userAddress"`
	}
	json.Unmarshal(ev.Metadata, &m)
	l, ok := s.users.Get(m.UserAddress)
	if !ok {
		l = rate.NewLimiter(perUserPerSecond, perUserBurst)
		s.users.Add(m.UserAddress, l)
	}
	return l.Allow()
}

func (s *Service) read(ctx context.Context) {
	defer close(s.done)
	for {
		msg, err := s.sub.Next(ctx)
		if err != nil {
			return
		}
		ev, ok := msg.ValidatorData.(events.Event)
		if !ok {
			continue // our own
		}
		if err := s.cfg.Bus.Publish(ctx, ev); err != nil {
			if ctx.Err() == nil {
				s.log.Error("gossiped client event not stored", "err", err)
			}
			continue
		}
		s.accepted.WithLabelValues(ev.SubType, "gossip").Inc()
	}
}
