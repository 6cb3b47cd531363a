// Package notifications is Decentraland's notifications inbox in the node:
// a user's notifications, read with signed fetch, made from the events of
// the bus (a badge_granted notification for every badge/badge-granted),
// plus broadcast notifications an admin posts, subscription settings, and
// a live stream (Server-Sent Events) for clients that want push.
//
// A notification's id is made from the event it came from, so an event
// read again makes no second notification.
package notifications

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// Prefix is where the inbox is mounted; signatures are for the full path.
const Prefix = "/notifications"

// Config wires the inbox to the node.
type Config struct {
	Store      *store.Store
	Bus        *events.Bus
	Verifier   authchain.Verifier
	AdminToken func() string // broadcasts (nil or "": none)
	Logger     *slog.Logger
	Metrics    prometheus.Registerer
	Now        func() time.Time
}

// Notification is one notification as the inbox answers it.
type Notification struct {
	ID        string         `json:"id"`
	Type      string         `json:"type"`
	Address   string         `json:"address"` // "" for a broadcast
	Metadata  map[string]any `json:"metadata"`
	Timestamp int64          `json:"timestamp"`
	Read      bool           `json:"read"`
}

// Service is the inbox.
type Service struct {
	cfg     Config
	log     *slog.Logger
	ks      *store.Keyspace
	mu      sync.Mutex // writes
	made    *prometheus.CounterVec
	streams sync.Map // address → *streamSet
	live    streams
}

// New builds the inbox and registers its consumer on the bus.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{cfg: cfg, log: cfg.Logger.With("component", "notifications"), ks: cfg.Store.Keyspace("notifications"), live: streams{closing: make(chan struct{})},
		made: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "catalyst_notifications_total", Help: "Notifications made, by type."}, []string{"type"})}
	if cfg.Metrics != nil {
		cfg.Metrics.MustRegister(s.made)
	}
	if cfg.Bus != nil {
		cfg.Bus.ConsumeBatch("notifications", s.consume)
	}
	return s
}

// Keys: n/<address>/<timestamp>/<id> → the notification (broadcasts
// under the address "*"); i/<id> → its n/ key; r/<address>/<id> → a
// broadcast the address read; s/<address> → the subscription.
func noteKey(address string, ts int64, id string) string {
	return fmt.Sprintf("n/%s/%013d/%s", address, ts, id)
}

const broadcast = "*"

// idOf makes a notification's id from the key of what made it.
func idOf(key string) string {
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// consume makes notifications from the bus.
func (s *Service) consume(ctx context.Context, evs []events.StoredEvent) error {
	var notes []Notification
	for _, e := range evs {
		if e.Type == "events" {
			if n, ok := eventNotification(e); ok {
				notes = append(notes, n)
			}
			continue
		}
		if e.Type != "badge" || e.SubType != "badge-granted" {
			continue
		}
		var m struct {
			BadgeID       string `json:"badgeId"`
			BadgeName     string `json:"badgeName"`
			BadgeTierName string `json:"badgeTierName"`
			BadgeImageURL string `json:"badgeImageUrl"`
			Address       string `json:"address"`
		}
		if err := json.Unmarshal(e.Metadata, &m); err != nil || m.Address == "" {
			continue
		}
		description := m.BadgeName
		if m.BadgeTierName != "" {
			description += " " + m.BadgeTierName
		}
		notes = append(notes, Notification{
			ID: idOf(e.Key), Type: "badge_granted", Address: strings.ToLower(m.Address), Timestamp: e.Timestamp,
			Metadata: map[string]any{"id": m.BadgeID, "title": "New Badge Unlocked!", "description": description, "image": m.BadgeImageURL},
		})
	}
	return s.save(ctx, notes)
}

// eventNotification is the notification of an event's starting soon or
// starting, for an attendee (notifications-workers' events_starts_soon
// and events_started).
func eventNotification(e events.StoredEvent) (Notification, bool) {
	types := map[string]string{"event-starts-soon": "events_starts_soon", "event-started": "events_started"}
	typ, ok := types[e.SubType]
	if !ok {
		return Notification{}, false
	}
	var m map[string]any
	if json.Unmarshal(e.Metadata, &m) != nil {
		return Notification{}, false
	}
	address, _ := m["address"].(string)
	if address == "" {
		return Notification{}, false
	}
	title := "Event starts in an hour"
	if typ == "events_started" {
		title = "Event started"
	}
	name, _ := m["name"].(string)
	return Notification{
		ID: idOf(e.Key), Type: typ, Address: strings.ToLower(address), Timestamp: e.Timestamp,
		Metadata: map[string]any{"title": title, "description": name, "name": name, "image": m["image"], "link": m["link"],
			"startsAt": m["startsAt"], "endsAt": m["endsAt"]},
	}, true
}

// save stores notifications not stored yet, and pushes them to streams.
func (s *Service) save(ctx context.Context, notes []Notification) error {
	if len(notes) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	changes := map[string][]byte{}
	var fresh []Notification
	for _, n := range notes {
		if _, err := s.ks.Get(ctx, "i/"+n.ID); err == nil {
			continue // made already
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if _, dup := changes["i/"+n.ID]; dup {
			continue
		}
		addr := n.Address
		if addr == "" {
			addr = broadcast
		}
		k := noteKey(addr, n.Timestamp, n.ID)
		raw, err := json.Marshal(n)
		if err != nil {
			return err
		}
		changes[k], changes["i/"+n.ID] = raw, []byte(k)
		fresh = append(fresh, n)
	}
	if err := s.ks.Write(ctx, changes); err != nil {
		return err
	}
	for _, n := range fresh {
		s.made.WithLabelValues(n.Type).Inc()
		s.push(n)
	}
	return nil
}

// Routes registers the inbox under Prefix.
func (s *Service) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/notifications", s.list)
	mux.HandleFunc("PUT "+Prefix+"/notifications/read", s.markRead)
	mux.HandleFunc("POST "+Prefix+"/notifications", httpx.Bearer(s.cfg.AdminToken, s.post))
	mux.HandleFunc("GET "+Prefix+"/subscription", s.getSubscription)
	mux.HandleFunc("PUT "+Prefix+"/subscription", s.putSubscription)
	mux.HandleFunc("GET "+Prefix+"/stream", s.stream)
}

// signed verifies the request's signed fetch as the inbox does: for the
// full path requested, at most 5 minutes old, either payload form, and
// never a scene's signature. It answers the refusal itself.
func (s *Service) signed(w http.ResponseWriter, r *http.Request) (string, bool) {
	req, ok := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), 5*time.Minute)
	return req.Signer, ok
}

// notes are address's notifications and the broadcasts, newest first,
// from timestamp from on, at most limit.
func (s *Service) notes(ctx context.Context, address string, from int64, limit int, onlyUnread bool) ([]Notification, error) {
	var out []Notification
	readBroadcasts := map[string]bool{}
	if err := s.ks.Scan(ctx, "r/"+address+"/", func(name string, _ []byte) error {
		readBroadcasts[name[strings.LastIndexByte(name, '/')+1:]] = true
		return nil
	}); err != nil {
		return nil, err
	}
	for _, owner := range []string{address, broadcast} {
		if err := s.ks.Scan(ctx, "n/"+owner+"/", func(_ string, v []byte) error {
			var n Notification
			if err := json.Unmarshal(v, &n); err != nil {
				return err
			}
			if owner == broadcast {
				n.Read = readBroadcasts[n.ID]
			}
			if n.Timestamp >= from && (!onlyUnread || !n.Read) {
				out = append(out, n)
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Timestamp != out[j].Timestamp {
			return out[i].Timestamp > out[j].Timestamp
		}
		return out[i].ID < out[j].ID
	})
	return out[:min(limit, len(out))], nil
}

// GET /notifications?from&limit&onlyUnread
func (s *Service) list(w http.ResponseWriter, r *http.Request) {
	address, ok := s.signed(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit := 20
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			httpx.Error(w, http.StatusBadRequest, "limit must be a positive number")
			return
		}
		limit = min(n, 50)
	}
	var from int64
	if v := q.Get("from"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			httpx.Error(w, http.StatusBadRequest, "from must be milliseconds")
			return
		}
		from = n
	}
	notes, err := s.notes(r.Context(), address, from, limit, q.Has("onlyUnread"))
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if notes == nil {
		notes = []Notification{}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"notifications": notes})
}

// PUT /notifications/read {notificationIds} → {updated}: the signer's
// unread ones among them.
func (s *Service) markRead(w http.ResponseWriter, r *http.Request) {
	address, ok := s.signed(w, r)
	if !ok {
		return
	}
	var body struct {
		IDs []string `json:"notificationIds"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 256<<10)).Decode(&body); err != nil || len(body.IDs) == 0 || len(body.IDs) > 1000 {
		httpx.Error(w, http.StatusBadRequest, "body must be {notificationIds: [...]} with 1 to 1000 ids")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx := r.Context()
	changes := map[string][]byte{}
	for _, id := range body.IDs {
		k, err := s.ks.Get(ctx, "i/"+id)
		if err != nil {
			continue // unknown: not the signer's
		}
		owner := strings.Split(string(k), "/")[1]
		switch owner {
		case address:
			raw, err := s.ks.Get(ctx, string(k))
			if err != nil {
				continue
			}
			var n Notification
			if json.Unmarshal(raw, &n) != nil || n.Read {
				continue
			}
			n.Read = true
			raw, _ = json.Marshal(n)
			changes[string(k)] = raw
		case broadcast:
			rk := "r/" + address + "/" + id
			if _, err := s.ks.Get(ctx, rk); errors.Is(err, store.ErrNotFound) {
				changes[rk] = []byte{1}
			}
		}
	}
	if err := s.ks.Write(ctx, changes); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]int{"updated": len(changes)})
}

// POST /notifications (admin bearer): NotificationRecord[] {eventKey,
// type, address ("" or absent: everyone), metadata, timestamp}.
func (s *Service) post(w http.ResponseWriter, r *http.Request) {
	var records []struct {
		EventKey  string         `json:"eventKey"`
		Type      string         `json:"type"`
		Address   string         `json:"address"`
		Metadata  map[string]any `json:"metadata"`
		Timestamp int64          `json:"timestamp"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 2<<20)).Decode(&records); err != nil || len(records) == 0 || len(records) > 1000 {
		httpx.Error(w, http.StatusBadRequest, "body must be [{eventKey, type, address?, metadata, timestamp}] (1 to 1,000)")
		return
	}
	notes := make([]Notification, 0, len(records))
	for _, rec := range records {
		addr := strings.ToLower(rec.Address)
		if rec.EventKey == "" || rec.Type == "" || (addr != "" && !authchain.IsAddress(addr)) {
			httpx.Error(w, http.StatusBadRequest, "each record needs an eventKey, a type and, if any, an address")
			return
		}
		if rec.Timestamp == 0 {
			rec.Timestamp = s.cfg.Now().UnixMilli()
		}
		if rec.Metadata == nil {
			rec.Metadata = map[string]any{}
		}
		notes = append(notes, Notification{ID: idOf(rec.Type + "/" + rec.EventKey + "/" + addr), Type: rec.Type, Address: addr, Metadata: rec.Metadata, Timestamp: rec.Timestamp})
	}
	if err := s.save(r.Context(), notes); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]int{"saved": len(notes)})
}

// Subscription is a user's notification settings (@dcl/schemas).
type Subscription struct {
	Address string              `json:"address"`
	Email   string              `json:"email,omitempty"`
	Details SubscriptionDetails `json:"details"`
}

// SubscriptionDetails are the settings themselves.
type SubscriptionDetails struct {
	IgnoreAllEmail bool                       `json:"ignore_all_email"`
	IgnoreAllInApp bool                       `json:"ignore_all_in_app"`
	MessageType    map[string]map[string]bool `json:"message_type"`
}

func (s *Service) getSubscription(w http.ResponseWriter, r *http.Request) {
	address, ok := s.signed(w, r)
	if !ok {
		return
	}
	sub := Subscription{Address: address, Details: SubscriptionDetails{MessageType: map[string]map[string]bool{}}}
	if raw, err := s.ks.Get(r.Context(), "s/"+address); err == nil {
		json.Unmarshal(raw, &sub.Details)
	} else if !errors.Is(err, store.ErrNotFound) {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, sub)
}

func (s *Service) putSubscription(w http.ResponseWriter, r *http.Request) {
	address, ok := s.signed(w, r)
	if !ok {
		return
	}
	var d SubscriptionDetails
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&d); err != nil {
		httpx.Error(w, http.StatusBadRequest, "body must be the subscription details")
		return
	}
	if d.MessageType == nil {
		d.MessageType = map[string]map[string]bool{}
	}
	if len(d.MessageType) > 200 {
		httpx.Error(w, http.StatusBadRequest, "at most 200 message types")
		return
	}
	for typ, ways := range d.MessageType {
		if len(typ) > 64 || len(ways) > 2 {
			httpx.Error(w, http.StatusBadRequest, "message_type: {<type>: {email, in_app}}")
			return
		}
		for k := range ways {
			if k != "email" && k != "in_app" {
				httpx.Error(w, http.StatusBadRequest, "message_type: {<type>: {email, in_app}}")
				return
			}
		}
	}
	raw, _ := json.Marshal(d)
	if err := s.ks.Write(r.Context(), map[string][]byte{"s/" + address: raw}); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, Subscription{Address: address, Details: d})
}
