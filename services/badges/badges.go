// Package badges is Decentraland's badges service (api and processor) in
// the node: the 24 badge definitions, the users' progress kept in the
// service's own keyspace, and a processor that consumes the event bus
// with a handler per badge, as the real processor's observers do. A
// badge or tier reached publishes badge/badge-granted.
//
// The processor reads the bus from its own cursor, a batch at a time, and
// writes the progress a batch changed in one transaction. Progress
// remembers the last event it counted, so a batch read again after a
// crash counts nothing twice; a grant's event is published (idempotent by
// key) before the progress that records it is written, so none is lost.
package badges

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// Config wires the service to the node.
type Config struct {
	Store *store.Store
	Bus   *events.Bus
	// AssetsURL is where the badges' images are (the real service's
	// CDN_HOST); "" serves the paths under /badges/assets of this node's
	// public URL.
	AssetsURL string
	// AdminToken is the token of the admin routes (Authorization:
	// Bearer …); nil or "" disables them.
	AdminToken func() string
	Logger     *slog.Logger
	Metrics    prometheus.Registerer
}

// Service is the badges API and processor.
type Service struct {
	cfg     Config
	log     *slog.Logger
	ks      *store.Keyspace
	badges  []Badge
	byID    map[string]*Badge
	titles  *lru.Cache[string, string] // scene id → title (traveler)
	mu      sync.Mutex                 // one batch at a time (and admin writes)
	granted *prometheus.CounterVec
}

// New builds the service and registers its processor on the bus.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.AssetsURL == "" {
		cfg.AssetsURL = "/badges/assets"
	}
	titles, _ := lru.New[string, string](50000)
	s := &Service{
		cfg: cfg, log: cfg.Logger.With("component", "badges"), ks: cfg.Store.Keyspace("badges"),
		badges: withAssets(definitions(), cfg.AssetsURL), byID: map[string]*Badge{}, titles: titles,
		granted: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_badges_granted_total",
			Help: "Badges and tiers granted, by badge."}, []string{"badge"}),
	}
	for i := range s.badges {
		s.byID[s.badges[i].ID] = &s.badges[i]
	}
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(s.granted)
	}
	if cfg.Bus != nil {
		cfg.Bus.ConsumeBatch("badges", s.process)
	}
	return s
}

// AchievedTier is a tier a user reached.
type AchievedTier struct {
	TierID      string `json:"tierId"`
	CompletedAt int64  `json:"completedAt"`
}

// Progress is one user's progress on one badge (the real user_progress
// row), with what its handler needs to remember.
type Progress struct {
	User          string         `json:"user"`
	Badge         string         `json:"badge"`
	Steps         int            `json:"steps"`
	AchievedTiers []AchievedTier `json:"achievedTiers,omitempty"`
	CompletedAt   int64          `json:"completedAt,omitempty"`
	UpdatedAt     int64          `json:"updatedAt"`
	LastSeq       uint64         `json:"lastSeq"`

	Seen      []string         `json:"seen,omitempty"`      // social_butterfly receivers, traveler scenes, open_for_business parts
	Spent     map[string]int64 `json:"spent,omitempty"`     // traveler: ms spent by scene title
	LastTitle string           `json:"lastTitle,omitempty"` // traveler: the scene of the last move
	LastAt    int64            `json:"lastAt,omitempty"`    // traveler: when; moves_master: the last emote counted
}

func progressKey(user, badge string) string { return "p/" + user + "/" + badge }

func (s *Service) load(ctx context.Context, user, badge string) (*Progress, error) {
	raw, err := s.ks.Get(ctx, progressKey(user, badge))
	if errors.Is(err, store.ErrNotFound) {
		return &Progress{User: user, Badge: badge}, nil
	}
	if err != nil {
		return nil, err
	}
	var p Progress
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("badges: progress %s/%s: %w", user, badge, err)
	}
	return &p, nil
}

// userProgress is every progress of a user, by badge.
func (s *Service) userProgress(ctx context.Context, user string) (map[string]*Progress, error) {
	out := map[string]*Progress{}
	err := s.ks.Scan(ctx, "p/"+user+"/", func(_ string, v []byte) error {
		var p Progress
		if err := json.Unmarshal(v, &p); err != nil {
			return err
		}
		out[p.Badge] = &p
		return nil
	})
	return out, err
}

// grant is a badge or tier reached, to announce.
type grant struct {
	user  string
	badge *Badge
	tier  *Tier
	at    int64
}

// advance records steps reached at time at: tiers crossed, the badge
// completed. It returns what was granted.
func advance(b *Badge, p *Progress, at int64) []grant {
	var out []grant
	for i := range b.Tiers {
		t := &b.Tiers[i]
		if p.Steps < t.Criteria.Steps || hasTier(p, t.TierID) {
			continue
		}
		p.AchievedTiers = append(p.AchievedTiers, AchievedTier{TierID: t.TierID, CompletedAt: at})
		out = append(out, grant{user: p.User, badge: b, tier: t, at: at})
	}
	if p.CompletedAt == 0 && p.Steps >= b.steps {
		p.CompletedAt = at
		if len(b.Tiers) == 0 {
			out = append(out, grant{user: p.User, badge: b, at: at})
		}
	}
	return out
}

func hasTier(p *Progress, id string) bool {
	for _, t := range p.AchievedTiers {
		if t.TierID == id {
			return true
		}
	}
	return false
}

// batch is the progress one batch of events touches.
type batch struct {
	s       *Service
	ctx     context.Context
	loaded  map[string]*Progress
	changed map[string]bool
	grants  []grant
}

// progress is p of (user, badge) for an event at seq; nil when the event
// was counted already.
func (bt *batch) progress(user, badge string, seq uint64) (*Progress, error) {
	k := progressKey(user, badge)
	p, ok := bt.loaded[k]
	if !ok {
		var err error
		if p, err = bt.s.load(bt.ctx, user, badge); err != nil {
			return nil, err
		}
		bt.loaded[k] = p
	}
	if p.LastSeq >= seq {
		return nil, nil
	}
	return p, nil
}

// done marks p changed by the event at seq, at time at, and advances it.
func (bt *batch) done(p *Progress, seq uint64, at int64) {
	p.LastSeq, p.UpdatedAt = seq, at
	bt.changed[progressKey(p.User, p.Badge)] = true
	bt.grants = append(bt.grants, advance(bt.s.byID[p.Badge], p, at)...)
}

// process is the processor: every event of the batch through the
// handlers, then the grants published, then the progress written.
func (s *Service) process(ctx context.Context, evs []events.StoredEvent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	bt := &batch{s: s, ctx: ctx, loaded: map[string]*Progress{}, changed: map[string]bool{}}
	for _, e := range evs {
		if err := s.handle(bt, e); err != nil {
			return err
		}
	}
	for _, g := range bt.grants {
		if err := s.announce(ctx, g); err != nil {
			return err
		}
	}
	if len(bt.changed) == 0 {
		return nil
	}
	changes := make(map[string][]byte, len(bt.changed))
	for k := range bt.changed {
		raw, err := json.Marshal(bt.loaded[k])
		if err != nil {
			return err
		}
		changes[k] = raw
	}
	return s.ks.Write(ctx, changes)
}

// announce publishes badge-granted for g (once: its key is the grant's).
func (s *Service) announce(ctx context.Context, g grant) error {
	meta := map[string]any{"badgeId": g.badge.ID, "badgeName": g.badge.Name, "badgeImageUrl": g.badge.Assets.TwoD["normal"], "address": g.user}
	key := "badge-granted-" + g.user + "-" + g.badge.ID
	if g.tier != nil {
		meta["badgeTierName"] = g.tier.TierName
		meta["badgeImageUrl"] = g.tier.Assets.TwoD["normal"]
		key += "-" + g.tier.TierID
	}
	e, err := events.New("badge", "badge-granted", key, g.at, meta)
	if err != nil {
		return err
	}
	if err := s.cfg.Bus.Publish(ctx, e); err != nil {
		return err
	}
	s.granted.WithLabelValues(g.badge.ID).Inc()
	return nil
}

// sceneAt is the title of the scene active on a parcel ("" for none):
// the node's own entities, never what a client says the scene was.
func (s *Service) sceneAt(ctx context.Context, parcel string) string {
	if parcel == "" {
		return ""
	}
	ds, err := s.cfg.Store.ActiveByPointers(ctx, []string{parcel})
	if err != nil {
		return ""
	}
	for _, d := range ds {
		if d.Type != entity.Scene {
			continue
		}
		if t, ok := s.titles.Get(d.ID); ok {
			return t
		}
		t := d.Summary().Title
		if len(t) > maxTitleBytes {
			t = t[:maxTitleBytes]
		}
		s.titles.Add(d.ID, t)
		return t
	}
	return ""
}

// rarities are the rarity badges, by rarity.
var rarities = map[string]string{
	"rare": "regally_rare", "epic": "epic_ensemble", "legendary": "legendary_look",
	"exotic": "exotic_elegance", "mythic": "mythic_model", "unique": "unique_unicorn",
}

// wornRarities counts the rarities of the worn wearables the node holds
// (a worn urn with a token id is looked up without it).
func (s *Service) wornRarities(ctx context.Context, wearables []string) map[string]int {
	var pointers []string
	for _, w := range wearables {
		if strings.Contains(w, "base-avatars") {
			continue
		}
		parts := strings.Split(w, ":")
		if len(parts) == 7 && strings.HasPrefix(w, "urn:decentraland:") && !strings.Contains(w, "collections-thirdparty") {
			parts = parts[:6] // the token id
		}
		pointers = append(pointers, strings.Join(parts, ":"))
	}
	counts := map[string]int{}
	if len(pointers) == 0 {
		return counts
	}
	ds, err := s.cfg.Store.ActiveByPointers(ctx, pointers)
	if err != nil {
		return counts
	}
	for _, d := range ds {
		if d.Type != entity.Wearable {
			continue
		}
		var m struct {
			Rarity string `json:"rarity"`
		}
		json.Unmarshal(d.Metadata, &m)
		counts[strings.ToLower(m.Rarity)]++
	}
	return counts
}

// sortedTiers are p's achieved tiers in the order of the badge's tiers.
func sortedTiers(b *Badge, p *Progress) []AchievedTier {
	out := append([]AchievedTier(nil), p.AchievedTiers...)
	sort.Slice(out, func(i, j int) bool { return b.tierIndex[out[i].TierID] < b.tierIndex[out[j].TierID] })
	return out
}
