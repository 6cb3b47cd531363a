package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
)

// Schedule is a festival of events (the original's schedule table); an
// event lists the schedules it belongs to.
type Schedule struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Image       *string  `json:"image"`
	Theme       *string  `json:"theme"`
	Background  []string `json:"background"`
	Active      bool     `json:"active"`
	ActiveSince string   `json:"active_since"`
	ActiveUntil string   `json:"active_until"`
	CreatedAt   string   `json:"created_at"`
	UpdatedAt   string   `json:"updated_at"`
}

// maxSchedules bounds the schedules kept.
const maxSchedules = 1000

func (s *Service) allSchedules(r *http.Request) ([]Schedule, error) {
	var out []Schedule
	err := s.ks.Scan(r.Context(), "s/", func(_ string, v []byte) error {
		var sc Schedule
		if json.Unmarshal(v, &sc) == nil {
			out = append(out, sc)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b Schedule) int { return strings.Compare(b.ActiveSince, a.ActiveSince) })
	return out, err
}

// GET /schedules
func (s *Service) schedules(w http.ResponseWriter, r *http.Request) {
	list, err := s.allSchedules(r)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if list == nil {
		list = []Schedule{}
	}
	ok(w, list, len(list))
}

// GET /schedules/:id
func (s *Service) schedule(w http.ResponseWriter, r *http.Request) {
	v, err := s.ks.Get(r.Context(), "s/"+r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		fail(w, http.StatusNotFound, "Not found")
		return
	}
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	var sc Schedule
	json.Unmarshal(v, &sc)
	ok(w, sc, -1)
}

// POST /schedules, PATCH /schedules/:id: the admin's (the original's
// edit_any_schedule permission is the node's admin token here).
func (s *Service) saveSchedule(w http.ResponseWriter, r *http.Request) {
	if !httpx.BearerValid(s.cfg.AdminToken, r) {
		fail(w, http.StatusUnauthorized, "the admin token is needed to edit schedules")
		return
	}
	var in struct {
		Name        *string  `json:"name"`
		Description *string  `json:"description"`
		Image       *string  `json:"image"`
		Theme       *string  `json:"theme"`
		Background  []string `json:"background"`
		Active      *bool    `json:"active"`
		ActiveSince *string  `json:"active_since"`
		ActiveUntil *string  `json:"active_until"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&in); err != nil {
		fail(w, http.StatusBadRequest, "the body must be a schedule: "+err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := iso(s.cfg.Now().UnixMilli())
	sc := Schedule{ID: newID(), CreatedAt: now, Background: []string{}, Active: true}
	if id := r.PathValue("id"); id != "" {
		v, err := s.ks.Get(r.Context(), "s/"+id)
		if err != nil {
			fail(w, http.StatusNotFound, "Not found")
			return
		}
		json.Unmarshal(v, &sc)
	} else if list, err := s.allSchedules(r); err != nil || len(list) >= maxSchedules {
		fail(w, http.StatusBadRequest, fmt.Sprintf("at most %d schedules", maxSchedules))
		return
	}
	if in.Name != nil {
		sc.Name = strings.TrimSpace(*in.Name)
	}
	if in.Description != nil {
		sc.Description = *in.Description
	}
	if in.Image != nil {
		sc.Image = in.Image
	}
	if in.Theme != nil {
		sc.Theme = in.Theme
	}
	if in.Background != nil {
		sc.Background = in.Background
	}
	if in.Active != nil {
		sc.Active = *in.Active
	}
	for _, f := range []struct {
		in   *string
		into *string
		name string
	}{{in.ActiveSince, &sc.ActiveSince, "active_since"}, {in.ActiveUntil, &sc.ActiveUntil, "active_until"}} {
		if f.in != nil {
			t, err := time.Parse(time.RFC3339, *f.in)
			if err != nil {
				fail(w, http.StatusBadRequest, f.name+" must be a date (ISO 8601)")
				return
			}
			*f.into = iso(t.UnixMilli())
		}
	}
	switch {
	case sc.Name == "" || len(sc.Name) > maxName:
		fail(w, http.StatusBadRequest, fmt.Sprintf("name must be 1 to %d characters", maxName))
		return
	case len(sc.Description) > maxDescription || len(sc.Background) > 10:
		fail(w, http.StatusBadRequest, fmt.Sprintf("description must be at most %d characters, background at most 10 colours", maxDescription))
		return
	case sc.ActiveSince == "" || sc.ActiveUntil == "" || sc.ActiveUntil < sc.ActiveSince:
		fail(w, http.StatusBadRequest, "active_since and active_until are needed, in that order")
		return
	}
	sc.UpdatedAt = now
	b, _ := json.Marshal(sc)
	if err := s.ks.Write(r.Context(), map[string][]byte{"s/" + sc.ID: b}); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	ok(w, sc, -1)
}
