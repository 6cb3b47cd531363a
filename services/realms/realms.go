// Package realms is the realm provider of the whole network: every node
// publishes a small record of its comms — users and the parcels they are
// on — signed with its libp2p key on the gossipsub topic
// /catalyst/<network>/realms/1 every few seconds, and any node answers
// /realm-provider/realms, /realm-provider/hot-scenes and
// /realm-provider/main/about for every node it has heard from. Records
// expire when their node stops publishing. Decentraland's realm provider
// polls the catalysts' HTTP stats instead; here the network tells.
package realms

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/p2p"
	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/guard"
)

// Bounds of a record: what an honest node sends is far below them.
const (
	MaxRecordBytes = 64 << 10
	MaxUsers       = 10000 // users one node may claim
	MaxUserParcels = 2000  // parcels listed, one a user
	maxNameChars   = 64
	maxURLChars    = 256
	maxRealms      = 1000 // nodes remembered
)

// Stats is what a node tells of its comms.
type Stats struct {
	Users   int
	Parcels [][2]int // where each user is (at most MaxUserParcels)
}

// Config wires the provider to the node.
type Config struct {
	Host *p2p.Host
	// Store names the scenes of hot scenes.
	Store *store.Store
	// RealmName and URL are this node's, as it announces itself.
	RealmName string
	URL       func() string
	// Local reports this node's comms.
	Local func() Stats
	// About is this node's /about body (for /main/about).
	About func(r *http.Request) map[string]any
	// Every is the publishing period (0: 5 s); a record older than four
	// periods is dropped.
	Every   time.Duration
	Logger  *slog.Logger
	Metrics prometheus.Registerer
}

// Record is one node's stats as it publishes them.
type Record struct {
	PeerID      string   `json:"peerId"`
	ServerName  string   `json:"serverName"`
	URL         string   `json:"url"`
	UsersCount  int      `json:"usersCount"`
	UserParcels [][2]int `json:"userParcels"`
	Timestamp   int64    `json:"timestamp"` // ms
}

// signed is the wire form: the record's bytes and their signature by the
// peer's key.
type signed struct {
	Record    json.RawMessage `json:"record"`
	Signature []byte          `json:"signature"`
}

// Service publishes this node's record and answers for the network.
type Service struct {
	cfg      Config
	log      *slog.Logger
	guard    *guard.Guard
	received *prometheus.CounterVec
	known    prometheus.GaugeFunc

	topic  *pubsub.Topic
	sub    *pubsub.Subscription
	joined *p2p.Joined
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	records map[string]Record // by peer id
}

// New builds the provider; Start joins the topic.
func New(cfg Config) *Service {
	if cfg.Every <= 0 {
		cfg.Every = 5 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Service{
		cfg: cfg, log: cfg.Logger.With("component", "realms"), guard: guard.New("realms", cfg.Logger, cfg.Metrics),
		records: map[string]Record{},
		received: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "catalyst_realm_records_total", Help: "Realm records received, by result (accept, reject, ignore).",
		}, []string{"result"}),
	}
	s.known = prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "catalyst_realms_known", Help: "Nodes whose realm record is current."}, func() float64 {
		return float64(len(s.Realms()))
	})
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(s.received, s.known)
	}
	return s
}

// Start joins the topic with its validator and starts publishing and
// reading records.
func (s *Service) Start(context.Context) error {
	j, err := s.cfg.Host.Join("realms/1", s.validate, time.Second)
	if err != nil {
		return fmt.Errorf("realms: %w", err)
	}
	s.topic, s.sub, s.joined = j.Topic, j.Sub, j
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.wg.Add(2)
	go func() { defer s.wg.Done(); s.publishLoop(ctx) }()
	go func() { defer s.wg.Done(); s.readLoop(ctx) }()
	return nil
}

// Stop ends publishing and reading and leaves the topic.
func (s *Service) Stop(context.Context) error {
	if s.cancel == nil {
		return nil
	}
	s.cancel()
	s.wg.Wait()
	return s.joined.Leave()
}

// publishLoop publishes this node's record every period.
func (s *Service) publishLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.Every)
	defer t.Stop()
	for {
		if err := s.publish(ctx); err != nil && ctx.Err() == nil {
			s.log.Debug("realm record not published", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// local is this node's record now.
func (s *Service) local() Record {
	st := Stats{}
	if s.cfg.Local != nil {
		st = s.cfg.Local()
	}
	u := ""
	if s.cfg.URL != nil {
		u = s.cfg.URL()
	}
	parcels := st.Parcels
	if len(parcels) > MaxUserParcels {
		parcels = parcels[:MaxUserParcels]
	}
	if parcels == nil {
		parcels = [][2]int{}
	}
	return Record{
		PeerID: s.cfg.Host.ID().String(), ServerName: s.cfg.RealmName, URL: u,
		UsersCount: min(st.Users, MaxUsers), UserParcels: parcels, Timestamp: time.Now().UnixMilli(),
	}
}

func (s *Service) publish(ctx context.Context) error {
	rec := s.local()
	s.keep(rec)
	raw, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	key := s.cfg.Host.Peerstore().PrivKey(s.cfg.Host.ID())
	if key == nil {
		return errors.New("realms: no private key for the host")
	}
	sig, err := key.Sign(raw)
	if err != nil {
		return err
	}
	msg, err := json.Marshal(signed{Record: raw, Signature: sig})
	if err != nil {
		return err
	}
	return s.topic.Publish(ctx, msg)
}

// validate is the topic validator: a record is accepted when it is
// within the bounds, signed by the peer it names, fresh, and newer than
// that peer's last; a forged or malformed one is rejected (its forwarder
// scored down).
func (s *Service) validate(_ context.Context, from peer.ID, msg *pubsub.Message) (res pubsub.ValidationResult) {
	defer func() {
		s.received.WithLabelValues(map[pubsub.ValidationResult]string{pubsub.ValidationAccept: "accept", pubsub.ValidationReject: "reject", pubsub.ValidationIgnore: "ignore"}[res]).Inc()
	}()
	defer func() {
		if v := recover(); v != nil {
			s.guard.Report("realm record", v, "peer", from)
			res = pubsub.ValidationReject
		}
	}()
	rec, err := Verify(msg.Data, time.Now())
	switch {
	case errors.Is(err, errStale):
		return pubsub.ValidationIgnore
	case err != nil:
		s.log.Debug("realm record rejected", "from", from, "err", err)
		return pubsub.ValidationReject
	}
	msg.ValidatorData = rec
	if from == s.cfg.Host.ID() {
		return pubsub.ValidationAccept // our own, already kept
	}
	s.mu.Lock()
	prev, ok := s.records[rec.PeerID]
	s.mu.Unlock()
	if ok && prev.Timestamp >= rec.Timestamp {
		return pubsub.ValidationIgnore // a replay, or gossip's echo
	}
	return pubsub.ValidationAccept
}

var errStale = errors.New("realms: record too old or from the future")

// Verify decodes and checks a signed record against the time now.
func Verify(data []byte, now time.Time) (Record, error) {
	var rec Record
	if len(data) > MaxRecordBytes {
		return rec, fmt.Errorf("realms: record of %d bytes", len(data))
	}
	var sm signed
	if err := json.Unmarshal(data, &sm); err != nil {
		return rec, fmt.Errorf("realms: %w", err)
	}
	if err := json.Unmarshal(sm.Record, &rec); err != nil {
		return rec, fmt.Errorf("realms: record: %w", err)
	}
	id, err := peer.Decode(rec.PeerID)
	if err != nil {
		return rec, fmt.Errorf("realms: peer id: %w", err)
	}
	pub, err := id.ExtractPublicKey()
	if err != nil {
		return rec, fmt.Errorf("realms: the peer id carries no key: %w", err)
	}
	if ok, err := pub.Verify(sm.Record, sm.Signature); err != nil || !ok {
		return rec, errors.New("realms: the signature is not the peer's")
	}
	if len(rec.ServerName) > maxNameChars || len(rec.URL) > maxURLChars || rec.UsersCount < 0 || rec.UsersCount > MaxUsers || len(rec.UserParcels) > MaxUserParcels {
		return rec, errors.New("realms: record out of bounds")
	}
	if rec.URL != "" {
		if u, err := url.Parse(rec.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return rec, fmt.Errorf("realms: url %q", rec.URL)
		}
	}
	for _, p := range rec.UserParcels {
		if p[0] < -200 || p[0] > 200 || p[1] < -200 || p[1] > 200 {
			return rec, fmt.Errorf("realms: parcel %v", p)
		}
	}
	at := time.UnixMilli(rec.Timestamp)
	if at.Before(now.Add(-30*time.Second)) || at.After(now.Add(10*time.Second)) {
		return rec, errStale
	}
	return rec, nil
}

// readLoop keeps the records that passed the validator.
func (s *Service) readLoop(ctx context.Context) {
	for {
		msg, err := s.sub.Next(ctx)
		if err != nil {
			return
		}
		if rec, ok := msg.ValidatorData.(Record); ok {
			s.keep(rec)
		}
	}
}

func (s *Service) keep(rec Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.records[rec.PeerID]; ok && prev.Timestamp >= rec.Timestamp {
		return
	}
	if _, ok := s.records[rec.PeerID]; !ok && len(s.records) >= maxRealms {
		s.expireLocked()
		if len(s.records) >= maxRealms {
			return
		}
	}
	s.records[rec.PeerID] = rec
}

func (s *Service) expireLocked() {
	cut := time.Now().Add(-4 * s.cfg.Every).UnixMilli()
	for id, r := range s.records {
		if r.Timestamp < cut {
			delete(s.records, id)
		}
	}
}

// Realms are the current records, busiest first.
func (s *Service) Realms() []Record {
	s.mu.Lock()
	s.expireLocked()
	out := make([]Record, 0, len(s.records))
	for _, r := range s.records {
		out = append(out, r)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Record) int {
		return cmp.Or(cmp.Compare(b.UsersCount, a.UsersCount), strings.Compare(a.ServerName, b.ServerName), strings.Compare(a.PeerID, b.PeerID))
	})
	return out
}

// Routes registers the realm provider's routes.
func (s *Service) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /realm-provider/realms", s.realms)
	mux.HandleFunc("GET /realm-provider/hot-scenes", s.hotScenes)
	mux.HandleFunc("GET /realm-provider/main/about", s.mainAbout)
}

func (s *Service) realms(w http.ResponseWriter, r *http.Request) {
	type realm struct {
		ServerName  string   `json:"serverName"`
		URL         string   `json:"url"`
		UsersCount  int      `json:"usersCount"`
		UserParcels [][2]int `json:"userParcels"`
	}
	out := []realm{}
	for _, rec := range s.Realms() {
		out = append(out, realm{rec.ServerName, rec.URL, rec.UsersCount, rec.UserParcels})
	}
	httpx.JSON(w, http.StatusOK, out)
}

// hotScenes answers the scenes with people in them on any node, busiest
// first (at most 100), as Decentraland's realm provider does.
func (s *Service) hotScenes(w http.ResponseWriter, r *http.Request) {
	type realmCount struct {
		ServerName string `json:"serverName"`
		UsersCount int    `json:"usersCount"`
	}
	type hotScene struct {
		ID              string       `json:"id"`
		Name            string       `json:"name"`
		BaseCoords      [2]int       `json:"baseCoords"`
		Parcels         [][2]int     `json:"parcels"`
		UsersTotalCount int          `json:"usersTotalCount"`
		Realms          []realmCount `json:"realms"`
		Thumbnail       string       `json:"thumbnail,omitempty"`
	}
	// parcel → realm → users
	byParcel := map[string]map[string]int{}
	for _, rec := range s.Realms() {
		for _, p := range rec.UserParcels {
			k := fmt.Sprintf("%d,%d", p[0], p[1])
			if byParcel[k] == nil {
				byParcel[k] = map[string]int{}
			}
			byParcel[k][rec.ServerName]++
		}
	}
	scenes := map[string]*hotScene{}
	perRealm := map[string]map[string]int{} // scene → realm → users
	for parcel, realms := range byParcel {
		ds, err := s.cfg.Store.ActiveByPointers(r.Context(), []string{parcel})
		if err != nil {
			httpx.Internal(w, s.log, r, err)
			return
		}
		for _, d := range ds {
			if d.Type != entity.Scene {
				continue
			}
			hs := scenes[d.ID]
			if hs == nil {
				sum := d.Summary()
				hs = &hotScene{ID: d.ID, Name: sum.Title, BaseCoords: sum.Base, Parcels: sum.Parcels, Realms: []realmCount{}}
				if sum.ThumbnailHash != "" {
					hs.Thumbnail = httpx.BaseURL(r, "") + "/content/contents/" + sum.ThumbnailHash
				}
				scenes[d.ID], perRealm[d.ID] = hs, map[string]int{}
			}
			for realm, n := range realms {
				perRealm[d.ID][realm] += n
				hs.UsersTotalCount += n
			}
		}
	}
	out := []hotScene{}
	for id, hs := range scenes {
		for realm, n := range perRealm[id] {
			hs.Realms = append(hs.Realms, realmCount{realm, n})
		}
		slices.SortFunc(hs.Realms, func(a, b realmCount) int {
			return cmp.Or(cmp.Compare(b.UsersCount, a.UsersCount), strings.Compare(a.ServerName, b.ServerName))
		})
		out = append(out, *hs)
	}
	slices.SortFunc(out, func(a, b hotScene) int {
		return cmp.Or(cmp.Compare(b.UsersTotalCount, a.UsersTotalCount), strings.Compare(a.ID, b.ID))
	})
	httpx.JSON(w, http.StatusOK, out[:min(len(out), 100)])
}

// mainAbout is this node's /about for the realm "main": the whole
// network's users.
func (s *Service) mainAbout(w http.ResponseWriter, r *http.Request) {
	body := map[string]any{}
	if s.cfg.About != nil {
		body = s.cfg.About(r)
	}
	users := 0
	for _, rec := range s.Realms() {
		users += rec.UsersCount
	}
	if conf, ok := body["configurations"].(map[string]any); ok {
		conf["realmName"] = "main"
	}
	if comms, ok := body["comms"].(map[string]any); ok {
		comms["usersCount"] = users
	}
	httpx.JSON(w, http.StatusOK, body)
}
