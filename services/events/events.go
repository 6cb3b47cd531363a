// Package events is decentraland/events' API under /events/api: events
// created, edited and attended with signed fetch, listed as the original
// lists them (all, active, live, upcoming), and the platform events of
// their lives on the bus (event-created, event-approved, event-starts-soon
// an hour before for each attendee, event-started, event-ended), which
// the notifications inbox turns into notifications.
//
// Without the original's moderators, a new event is not approved: its
// creator sees it with a signature, and the node's admin token (the
// original's EVENTS_ADMIN_AUTH_TOKEN) approves, rejects or highlights it.
package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entity"
	bus "github.com/p2pcatalyst/catalyst/store/events"
)

// Prefix is where the API is mounted.
const Prefix = "/events/api"

// Config wires the service to the node.
type Config struct {
	Store      *store.Store
	Bus        *bus.Bus
	Verifier   authchain.Verifier
	AdminToken func() string
	// PublicURL is the node's base URL of posters ("": each request's).
	PublicURL string
	Logger    *slog.Logger
	Now       func() time.Time
	// Every is the period of the loop that tells events' starts and ends
	// (0: 30 s).
	Every time.Duration
}

// Service is the events API.
type Service struct {
	cfg    Config
	ks     *store.Keyspace
	log    *slog.Logger
	mu     sync.Mutex // one writer of an event at a time
	cancel context.CancelFunc
	done   chan struct{}
}

// New builds the service.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Every == 0 {
		cfg.Every = 30 * time.Second
	}
	return &Service{cfg: cfg, ks: cfg.Store.Keyspace("events"), log: cfg.Logger.With("component", "events")}
}

// Event is an event as kept.
type Event struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Image       *string  `json:"image"`
	Description string   `json:"description"`
	StartAt     int64    `json:"start_at_ms"`
	Duration    int64    `json:"duration"` // ms
	AllDay      bool     `json:"all_day"`
	X           int      `json:"x"`
	Y           int      `json:"y"`
	Server      *string  `json:"server"`
	URL         string   `json:"url"`
	User        string   `json:"user"`
	UserName    *string  `json:"user_name"`
	Approved    bool     `json:"approved"`
	Rejected    bool     `json:"rejected"`
	Highlighted bool     `json:"highlighted"`
	Trending    bool     `json:"trending"`
	Categories  []string `json:"categories"`
	CreatedAt   int64    `json:"created_at_ms"`
	UpdatedAt   int64    `json:"updated_at_ms"`
	Attendees   int      `json:"total_attendees"`
	Latest      []string `json:"latest_attendees"`
	Schedules   []string `json:"schedules"`
	Recurrence
}

// Limits of what a client may write.
const (
	maxName        = 150
	maxDescription = 5000
	maxDuration    = 30 * 24 * int64(time.Hour/time.Millisecond)
	maxLatest      = 10
	maxPerUser     = 500 // events one user may have created and not ended
)

// Categories are the original's event categories.
var Categories = []string{"art", "competition", "education", "fashion", "game", "health", "music", "networking", "party", "social", "sports", "talks", "theater", "crypto"}

// Routes registers /events/api/….
func (s *Service) Routes(mux *http.ServeMux) {
	h := httpx.Under(mux, Prefix)
	h("GET /events", s.list)
	h("GET /events/search", s.list)
	h("POST /events", s.create)
	h("GET /events/attending", s.attending)
	h("GET /events/categories", s.categories)
	h("GET /events/{id}", s.one)
	h("PATCH /events/{id}", s.edit)
	h("DELETE /events/{id}", s.remove)
	h("GET /schedules", s.schedules)
	h("GET /schedules/{id}", s.schedule)
	h("POST /schedules", s.saveSchedule)
	h("PATCH /schedules/{id}", s.saveSchedule)
	h("POST /poster", s.poster)
	h("POST /poster-vertical", s.poster)
	h("GET /posters/{name}", s.getPoster)
	h("GET /profiles/me/settings", s.mySettings)
	h("PATCH /profiles/me/settings", s.mySettings)
	h("GET /profiles/{id}/settings", s.userSettings)
	h("GET /events/{id}/attendees", s.attendees)
	h("POST /events/{id}/attendees", s.attend(true))
	h("DELETE /events/{id}/attendees", s.attend(false))
}

var (
	ok    = httpx.Envelope
	fail  = httpx.EnvelopeError
	newID = httpx.UUID
)

// viewer is who asks: a signer, and whether the admin token came.
type viewer struct {
	user  string
	admin bool
}

func (s *Service) viewer(w http.ResponseWriter, r *http.Request) (viewer, bool) {
	var v viewer
	if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		if !httpx.BearerValid(s.cfg.AdminToken, r) {
			fail(w, http.StatusUnauthorized, "Unauthorized")
			return v, false
		}
		v.admin = true
	}
	if r.Header.Get(authchain.HeaderChainPrefix+"0") != "" {
		req, okSigned := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute)
		if !okSigned {
			return v, false
		}
		v.user = req.Signer
	}
	return v, true
}

func (s *Service) get(ctx context.Context, id string) (*Event, error) {
	v, err := s.ks.Get(ctx, "e/"+id)
	if err != nil {
		return nil, err
	}
	var e Event
	return &e, json.Unmarshal(v, &e)
}

func (s *Service) put(ctx context.Context, e *Event) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return s.ks.Write(ctx, map[string][]byte{"e/" + e.ID: b})
}

func (s *Service) all(ctx context.Context) ([]*Event, error) {
	var out []*Event
	err := s.ks.Scan(ctx, "e/", func(_ string, v []byte) error {
		var e Event
		if json.Unmarshal(v, &e) == nil {
			out = append(out, &e)
		}
		return nil
	})
	return out, err
}

// visible: an approved event to anyone; the others to their creator and
// the admin.
func (e *Event) visible(v viewer) bool {
	return (e.Approved && !e.Rejected) || v.admin || (v.user != "" && v.user == e.User)
}

func iso(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z") }

func isoOrNil(ms *int64) any {
	if ms == nil {
		return nil
	}
	return iso(*ms)
}

func isoAll(ms []int64) []string {
	out := make([]string, len(ms))
	for i, t := range ms {
		out[i] = iso(t)
	}
	return out
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// view is an event as answered.
func (s *Service) view(ctx context.Context, e *Event, v viewer) map[string]any {
	now := s.cfg.Now().UnixMilli()
	dates := e.dates(e.StartAt)
	next := e.next(now)
	finish := dates[len(dates)-1] + e.Duration
	attending := false
	if v.user != "" {
		_, err := s.ks.Get(ctx, "a/"+e.ID+"/"+v.user)
		attending = err == nil
	}
	latest := e.Latest
	if latest == nil {
		latest = []string{}
	}
	return map[string]any{
		"id": e.ID, "name": e.Name, "image": e.Image, "image_vertical": nil, "description": e.Description,
		"start_at": iso(e.StartAt), "finish_at": iso(finish), "next_start_at": iso(next), "next_finish_at": iso(next + e.Duration),
		"duration": e.Duration, "all_day": e.AllDay, "x": e.X, "y": e.Y, "server": e.Server, "url": e.URL,
		"user": e.User, "user_name": e.UserName, "estate_id": nil, "estate_name": nil,
		"approved": e.Approved, "rejected": e.Rejected, "highlighted": e.Highlighted, "trending": e.Trending,
		"recurrent": e.Recurrent, "recurrent_frequency": e.Frequency, "recurrent_weekday_mask": e.WeekdayMask, "recurrent_month_mask": e.MonthMask,
		"recurrent_interval": max(e.Interval, 1), "recurrent_count": e.Count, "recurrent_until": isoOrNil(e.Until), "recurrent_dates": isoAll(dates),
		"recurrent_setpos": e.Setpos, "recurrent_monthday": e.Monthday,
		"total_attendees": e.Attendees, "latest_attendees": latest, "categories": e.Categories, "schedules": nonNil(e.Schedules),
		"world": false, "place_id": nil, "community_id": nil, "attending": attending,
		"live": next <= now && now < next+e.Duration, "position": []int{e.X, e.Y}, "coordinates": []int{e.X, e.Y},
		"scene_name": nil, "created_at": iso(e.CreatedAt), "updated_at": iso(e.UpdatedAt),
	}
}

func (s *Service) list(w http.ResponseWriter, r *http.Request) {
	v, okV := s.viewer(w, r)
	if !okV {
		return
	}
	q := r.URL.Query()
	limit := 500
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			fail(w, http.StatusBadRequest, "limit must be a number")
			return
		}
		limit = min(n, 500)
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	offset = max(offset, 0)
	kind := q.Get("list")
	if kind == "" {
		kind = "active"
	}
	if !slices.Contains([]string{"all", "active", "live", "upcoming", "relevance"}, kind) {
		fail(w, http.StatusBadRequest, "list must be all, active, live, upcoming or relevance")
		return
	}
	onlyAttendee := q.Get("only_attendee") == "true"
	if onlyAttendee && v.user == "" {
		fail(w, http.StatusUnauthorized, "only_attendee needs a signed request")
		return
	}
	creator := strings.ToLower(q.Get("creator"))
	search := strings.ToLower(strings.TrimSpace(q.Get("search")))
	position := q.Get("position")
	from, _ := strconv.ParseInt(q.Get("from"), 10, 64)
	to, _ := strconv.ParseInt(q.Get("to"), 10, 64)
	list, err := s.all(r.Context())
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	now := s.cfg.Now().UnixMilli()
	var kept []*Event
	nexts := map[*Event]int64{}
	for _, e := range list {
		if !e.visible(v) {
			continue
		}
		next := e.next(now)
		nexts[e] = next
		finish := next + e.Duration
		switch {
		case kind == "active" || kind == "relevance":
			if finish <= now {
				continue
			}
		case kind == "live":
			if !(next <= now && now < finish) {
				continue
			}
		case kind == "upcoming":
			if next <= now {
				continue
			}
		}
		if creator != "" && e.User != creator {
			continue
		}
		if position != "" && fmt.Sprintf("%d,%d", e.X, e.Y) != position {
			continue
		}
		if search != "" && !strings.Contains(strings.ToLower(e.Name+" "+e.Description), search) {
			continue
		}
		if from > 0 && finish < from || to > 0 && next > to {
			continue
		}
		if onlyAttendee {
			if _, err := s.ks.Get(r.Context(), "a/"+e.ID+"/"+v.user); err != nil {
				continue
			}
		}
		kept = append(kept, e)
	}
	desc := q.Get("order") == "desc"
	slices.SortStableFunc(kept, func(a, b *Event) int {
		c := int(nexts[a] - nexts[b])
		if c > 0 {
			c = 1
		} else if c < 0 {
			c = -1
		}
		if desc {
			return -c
		}
		return c
	})
	total := len(kept)
	start := min(offset, total)
	page := kept[start:min(start+limit, total)]
	out := make([]map[string]any, len(page))
	for i, e := range page {
		out[i] = s.view(r.Context(), e, v)
	}
	ok(w, out, total)
}

func (s *Service) one(w http.ResponseWriter, r *http.Request) {
	v, okV := s.viewer(w, r)
	if !okV {
		return
	}
	e, err := s.get(r.Context(), r.PathValue("id"))
	if err != nil || !e.visible(v) {
		fail(w, http.StatusNotFound, "Not found")
		return
	}
	ok(w, s.view(r.Context(), e, v), -1)
}

// draft is what a client sends to create or edit an event.
type draft struct {
	Name        *string  `json:"name"`
	Description *string  `json:"description"`
	Image       *string  `json:"image"`
	StartAt     *string  `json:"start_at"`
	FinishAt    *string  `json:"finish_at"`
	Duration    *int64   `json:"duration"`
	AllDay      *bool    `json:"all_day"`
	X           *int     `json:"x"`
	Y           *int     `json:"y"`
	Server      *string  `json:"server"`
	URL         *string  `json:"url"`
	Categories  []string `json:"categories"`
	Schedules   []string `json:"schedules"`
	// the rule of a recurrent event
	Recurrent   *bool   `json:"recurrent"`
	Frequency   *string `json:"recurrent_frequency"`
	WeekdayMask *int    `json:"recurrent_weekday_mask"`
	MonthMask   *int    `json:"recurrent_month_mask"`
	Interval    *int    `json:"recurrent_interval"`
	Count       *int    `json:"recurrent_count"`
	Until       *string `json:"recurrent_until"`
	Setpos      *int    `json:"recurrent_setpos"`
	Monthday    *int    `json:"recurrent_monthday"`
	// admin only
	Approved    *bool `json:"approved"`
	Rejected    *bool `json:"rejected"`
	Highlighted *bool `json:"highlighted"`
	Trending    *bool `json:"trending"`
}

func readDraft(w http.ResponseWriter, r *http.Request) (draft, bool) {
	var d draft
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&d); err != nil {
		fail(w, http.StatusBadRequest, "the body must be an event: "+err.Error())
		return d, false
	}
	return d, true
}

// apply sets a draft's fields on e, checking each.
func (d draft) apply(e *Event, admin bool) error {
	if d.Name != nil {
		e.Name = strings.TrimSpace(*d.Name)
	}
	if e.Name == "" || len(e.Name) > maxName {
		return fmt.Errorf("name must be 1 to %d characters", maxName)
	}
	if d.Description != nil {
		e.Description = *d.Description
	}
	if len(e.Description) > maxDescription {
		return fmt.Errorf("description must be at most %d characters", maxDescription)
	}
	if d.Image != nil {
		if *d.Image != "" && !strings.HasPrefix(*d.Image, "https://") && !strings.HasPrefix(*d.Image, "http://") {
			return errors.New("image must be a URL")
		}
		e.Image = d.Image
	}
	if d.StartAt != nil {
		t, err := time.Parse(time.RFC3339, *d.StartAt)
		if err != nil {
			return errors.New("start_at must be a date (ISO 8601)")
		}
		e.StartAt = t.UnixMilli()
	}
	if e.StartAt == 0 {
		return errors.New("start_at is required")
	}
	switch {
	case d.Duration != nil:
		e.Duration = *d.Duration
	case d.FinishAt != nil:
		t, err := time.Parse(time.RFC3339, *d.FinishAt)
		if err != nil {
			return errors.New("finish_at must be a date (ISO 8601)")
		}
		e.Duration = t.UnixMilli() - e.StartAt
	}
	if e.Duration <= 0 || e.Duration > maxDuration {
		return errors.New("the event must last between a moment and 30 days")
	}
	if d.AllDay != nil {
		e.AllDay = *d.AllDay
	}
	if d.X != nil {
		e.X = *d.X
	}
	if d.Y != nil {
		e.Y = *d.Y
	}
	if !entity.InsideWorldLimits(e.X, e.Y) {
		return fmt.Errorf("the position %d,%d is outside Genesis City", e.X, e.Y)
	}
	if d.Server != nil {
		e.Server = d.Server
	}
	if d.URL != nil {
		e.URL = *d.URL
	}
	if d.Categories != nil {
		if len(d.Categories) > 5 {
			return errors.New("at most 5 categories")
		}
		for _, c := range d.Categories {
			if !slices.Contains(Categories, c) {
				return fmt.Errorf("unknown category %q", c)
			}
		}
		e.Categories = d.Categories
	}
	if e.Categories == nil {
		e.Categories = []string{}
	}
	if d.Schedules != nil {
		if len(d.Schedules) > 10 {
			return errors.New("at most 10 schedules")
		}
		e.Schedules = d.Schedules
	}
	if err := d.applyRecurrence(e); err != nil {
		return err
	}
	if d.Approved != nil || d.Rejected != nil || d.Highlighted != nil || d.Trending != nil {
		if !admin {
			return errors.New("only the admin approves, rejects, highlights and trends events")
		}
		for _, f := range []struct {
			p *bool
			v **bool
		}{{&e.Approved, &d.Approved}, {&e.Rejected, &d.Rejected}, {&e.Highlighted, &d.Highlighted}, {&e.Trending, &d.Trending}} {
			if *f.v != nil {
				*f.p = **f.v
			}
		}
	}
	return nil
}

// create: POST /events, signed by a user with a profile.
func (s *Service) create(w http.ResponseWriter, r *http.Request) {
	req, okSigned := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute)
	if !okSigned {
		return
	}
	d, okD := readDraft(w, r)
	if !okD {
		return
	}
	profiles, err := s.cfg.Store.ActiveByPointers(r.Context(), []string{req.Signer})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if len(profiles) == 0 {
		fail(w, http.StatusUnauthorized, "The creator of an event needs a profile")
		return
	}
	e := &Event{ID: newID(), User: req.Signer, CreatedAt: s.cfg.Now().UnixMilli()}
	e.UpdatedAt = e.CreatedAt
	if name := profileName(profiles[0].Metadata); name != "" {
		e.UserName = &name
	}
	if err := d.apply(e, false); err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	if n, err := s.openEvents(r.Context(), req.Signer); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	} else if n >= maxPerUser {
		fail(w, http.StatusTooManyRequests, fmt.Sprintf("at most %d events of one creator that have not ended", maxPerUser))
		return
	}
	s.mu.Lock()
	err = s.put(r.Context(), e)
	s.mu.Unlock()
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	s.publish(r.Context(), "event-created", e, e.User, "")
	ok(w, s.view(r.Context(), e, viewer{user: req.Signer}), -1)
}

func (s *Service) openEvents(ctx context.Context, user string) (int, error) {
	list, err := s.all(ctx)
	n := 0
	now := s.cfg.Now().UnixMilli()
	for _, e := range list {
		if e.User == user && e.next(now)+e.Duration > now {
			n++
		}
	}
	return n, err
}

func profileName(meta json.RawMessage) string {
	var m struct {
		Avatars []struct {
			Name string `json:"name"`
		} `json:"avatars"`
	}
	if json.Unmarshal(meta, &m) == nil && len(m.Avatars) > 0 {
		return m.Avatars[0].Name
	}
	return ""
}

// edit: PATCH /events/:id by its creator or the admin.
func (s *Service) edit(w http.ResponseWriter, r *http.Request) {
	v, okV := s.viewer(w, r)
	if !okV {
		return
	}
	if v.user == "" && !v.admin {
		fail(w, http.StatusUnauthorized, "a signed request or the admin token is needed")
		return
	}
	d, okD := readDraft(w, r)
	if !okD {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.get(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, http.StatusNotFound, "Not found")
		return
	}
	if !v.admin && v.user != e.User {
		fail(w, http.StatusForbidden, "only the event's creator edits it")
		return
	}
	wasApproved, wasRejected := e.Approved, e.Rejected
	if err := d.apply(e, v.admin); err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	e.UpdatedAt = s.cfg.Now().UnixMilli()
	if err := s.put(r.Context(), e); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if e.Approved && !wasApproved {
		s.publish(r.Context(), "event-approved", e, e.User, "")
	}
	if e.Rejected && !wasRejected {
		s.publish(r.Context(), "event-rejected", e, e.User, "")
	}
	ok(w, s.view(r.Context(), e, v), -1)
}

// remove: DELETE /events/:id by its creator or the admin; its attendees
// go with it, and event-deleted tells its creator.
func (s *Service) remove(w http.ResponseWriter, r *http.Request) {
	v, okV := s.viewer(w, r)
	if !okV {
		return
	}
	if v.user == "" && !v.admin {
		fail(w, http.StatusUnauthorized, "a signed request or the admin token is needed")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.get(r.Context(), r.PathValue("id"))
	if err != nil {
		fail(w, http.StatusNotFound, "Not found")
		return
	}
	if !v.admin && v.user != e.User {
		fail(w, http.StatusForbidden, "only the event's creator deletes it")
		return
	}
	changes := map[string][]byte{"e/" + e.ID: nil}
	if err := s.ks.Scan(r.Context(), "a/"+e.ID+"/", func(name string, _ []byte) error {
		changes[name] = nil
		return nil
	}); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if err := s.ks.Write(r.Context(), changes); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	s.publish(r.Context(), "event-deleted", e, e.User, "")
	ok(w, s.view(r.Context(), e, v), -1)
}

func (s *Service) attendees(w http.ResponseWriter, r *http.Request) {
	e, err := s.get(r.Context(), r.PathValue("id"))
	if err != nil || !e.Approved {
		fail(w, http.StatusNotFound, "Not found")
		return
	}
	s.attendeesAnswer(w, r, e)
}

// attend: POST (join) or DELETE (leave) /events/:id/attendees, signed.
func (s *Service) attend(join bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req, okSigned := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute)
		if !okSigned {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		e, err := s.get(r.Context(), r.PathValue("id"))
		if err != nil || !e.visible(viewer{user: req.Signer}) {
			fail(w, http.StatusNotFound, "Not found")
			return
		}
		key := "a/" + e.ID + "/" + req.Signer
		_, had := s.ks.Get(r.Context(), key)
		changes := map[string][]byte{}
		switch {
		case join && had != nil:
			e.Attendees++
			e.Latest = append([]string{req.Signer}, e.Latest...)[:min(len(e.Latest)+1, maxLatest)]
			changes[key] = []byte(strconv.FormatInt(s.cfg.Now().UnixMilli(), 10))
		case !join && had == nil:
			e.Attendees--
			e.Latest = slices.DeleteFunc(e.Latest, func(u string) bool { return u == req.Signer })
			changes[key] = nil
		}
		if len(changes) > 0 {
			b, _ := json.Marshal(e)
			changes["e/"+e.ID] = b
			if err := s.ks.Write(r.Context(), changes); err != nil {
				httpx.Internal(w, s.log, r, err)
				return
			}
		}
		s.attendeesAnswer(w, r, e)
	}
}

func (s *Service) attendeesAnswer(w http.ResponseWriter, r *http.Request, e *Event) {
	out := []map[string]any{}
	err := s.ks.Scan(r.Context(), "a/"+e.ID+"/", func(name string, v []byte) error {
		at, _ := strconv.ParseInt(string(v), 10, 64)
		out = append(out, map[string]any{"event_id": e.ID, "user": name[len("a/"+e.ID+"/"):], "user_name": nil, "created_at": iso(at)})
		return nil
	})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	ok(w, out, -1)
}

// attending: GET /events/attending, the signer's events.
func (s *Service) attending(w http.ResponseWriter, r *http.Request) {
	req, okSigned := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), time.Minute)
	if !okSigned {
		return
	}
	list, err := s.all(r.Context())
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	v := viewer{user: req.Signer}
	out := []map[string]any{}
	for _, e := range list {
		if _, err := s.ks.Get(r.Context(), "a/"+e.ID+"/"+req.Signer); err == nil && e.visible(v) {
			out = append(out, s.view(r.Context(), e, v))
		}
	}
	ok(w, out, len(out))
}

func (s *Service) categories(w http.ResponseWriter, r *http.Request) {
	out := make([]map[string]any, len(Categories))
	for i, c := range Categories {
		out[i] = map[string]any{"name": c, "active": true, "i18n": map[string]string{"en": strings.ToUpper(c[:1]) + c[1:]}}
	}
	ok(w, out, -1)
}
