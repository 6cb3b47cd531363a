package badges

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// Routes registers the API under /badges (the real service's routes).
func (s *Service) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /badges/badges", func(w http.ResponseWriter, r *http.Request) {
		httpx.JSON(w, http.StatusOK, map[string]any{"data": s.badges})
	})
	mux.HandleFunc("GET /badges/badges/{id}", func(w http.ResponseWriter, r *http.Request) {
		if b, ok := s.byID[r.PathValue("id")]; ok {
			httpx.JSON(w, http.StatusOK, map[string]any{"data": map[string]any{"badge": b}})
			return
		}
		httpx.Error(w, http.StatusNotFound, "Badge not found")
	})
	mux.HandleFunc("GET /badges/badges/{id}/tiers", func(w http.ResponseWriter, r *http.Request) {
		b, ok := s.byID[r.PathValue("id")]
		if !ok {
			httpx.Error(w, http.StatusNotFound, "Badge not found")
			return
		}
		tiers := b.Tiers
		if tiers == nil {
			tiers = []Tier{}
		}
		httpx.JSON(w, http.StatusOK, map[string]any{"data": map[string]any{"tiers": tiers}})
	})
	mux.HandleFunc("GET /badges/categories", func(w http.ResponseWriter, r *http.Request) {
		httpx.JSON(w, http.StatusOK, map[string]any{"data": map[string]any{"categories": Categories}})
	})
	mux.HandleFunc("GET /badges/users/{address}/badges", s.userBadges)
	mux.HandleFunc("GET /badges/users/{address}/preview", s.preview)
	mux.HandleFunc("POST /badges/badges/{id}/backfill", s.admin(s.backfill))
	mux.HandleFunc("GET /badges/users/{address}/badges/{id}", s.admin(s.userBadge))
	mux.HandleFunc("DELETE /badges/users/{address}/badges/{id}", s.admin(s.reset))
}

// item is a badge as a user's list shows it.
type item struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Category    string  `json:"category"`
	IsTier      bool    `json:"isTier"`
	CompletedAt *int64  `json:"completedAt"`
	Assets      *Assets `json:"assets"`
	Progress    any     `json:"progress"`
}

// itemOf is b with p's progress (nil: none), and whether it is achieved.
func itemOf(b *Badge, p *Progress) (item, bool) {
	it := item{ID: b.ID, Name: b.Name, Description: b.Description, Category: b.Category, IsTier: len(b.Tiers) > 0, Assets: b.Assets}
	steps := 0
	if p != nil {
		steps = p.Steps
		if p.CompletedAt != 0 {
			at := p.CompletedAt
			it.CompletedAt = &at
		}
	}
	if len(b.Tiers) == 0 {
		if it.CompletedAt != nil {
			it.Progress = map[string]any{"stepsDone": b.steps, "nextStepsTarget": nil, "totalStepsTarget": b.steps}
			return it, true
		}
		it.Progress = map[string]any{"stepsDone": steps, "nextStepsTarget": b.steps, "totalStepsTarget": b.steps}
		return it, false
	}
	total := b.Tiers[len(b.Tiers)-1].Criteria.Steps
	var achieved []AchievedTier
	if p != nil {
		achieved = sortedTiers(b, p)
	}
	var next any = nil
	for _, t := range b.Tiers {
		if !hasTierIn(achieved, t.TierID) {
			next = t.Criteria.Steps
			break
		}
	}
	if len(achieved) == 0 {
		it.Progress = map[string]any{"stepsDone": steps, "nextStepsTarget": b.Tiers[0].Criteria.Steps, "totalStepsTarget": total}
		return it, false
	}
	last := achieved[len(achieved)-1]
	tier := b.Tiers[b.tierIndex[last.TierID]]
	it.Progress = map[string]any{
		"achievedTiers": achieved, "stepsDone": steps, "nextStepsTarget": next, "totalStepsTarget": total,
		"lastCompletedTierAt": last.CompletedAt, "lastCompletedTierName": tier.TierName, "lastCompletedTierImage": tier.Assets.TwoD["normal"],
	}
	return it, true
}

func hasTierIn(list []AchievedTier, id string) bool {
	for _, t := range list {
		if t.TierID == id {
			return true
		}
	}
	return false
}

func (s *Service) address(w http.ResponseWriter, r *http.Request) (string, bool) {
	a := strings.ToLower(r.PathValue("address"))
	if !authchain.IsAddress(a) {
		httpx.Error(w, http.StatusBadRequest, "Invalid address "+r.PathValue("address"))
		return "", false
	}
	return a, true
}

// progressOf is the progress of the request's :address, answering the
// error itself when there is none to give.
func (s *Service) progressOf(w http.ResponseWriter, r *http.Request) (map[string]*Progress, bool) {
	user, ok := s.address(w, r)
	if !ok {
		return nil, false
	}
	progress, err := s.userProgress(r.Context(), user)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return nil, false
	}
	return progress, true
}

// userBadges answers a user's achieved badges (and, asked, the others).
func (s *Service) userBadges(w http.ResponseWriter, r *http.Request) {
	progress, ok := s.progressOf(w, r)
	if !ok {
		return
	}
	achieved, notAchieved := []item{}, []item{}
	withNot := r.URL.Query().Get("includeNotAchieved") == "true"
	for i := range s.badges {
		b := &s.badges[i]
		it, done := itemOf(b, progress[b.ID])
		if done {
			achieved = append(achieved, it)
		} else if withNot {
			notAchieved = append(notAchieved, it)
		}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"data": map[string]any{"achieved": achieved, "notAchieved": notAchieved}})
}

// preview answers a user's 5 latest badges (or tiers) reached.
func (s *Service) preview(w http.ResponseWriter, r *http.Request) {
	progress, ok := s.progressOf(w, r)
	if !ok {
		return
	}
	type latest struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		TierName string `json:"tierName,omitempty"`
		Image    string `json:"image"`
		at       int64
	}
	var list []latest
	for id, p := range progress {
		b := s.byID[id]
		if b == nil {
			continue
		}
		if len(b.Tiers) == 0 {
			if p.CompletedAt != 0 {
				list = append(list, latest{ID: b.ID, Name: b.Name, Image: b.Assets.TwoD["normal"], at: p.CompletedAt})
			}
			continue
		}
		if tiers := sortedTiers(b, p); len(tiers) > 0 {
			last := tiers[len(tiers)-1]
			t := b.Tiers[b.tierIndex[last.TierID]]
			list = append(list, latest{ID: b.ID, Name: b.Name, TierName: t.TierName, Image: t.Assets.TwoD["normal"], at: last.CompletedAt})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].at != list[j].at {
			return list[i].at > list[j].at
		}
		return list[i].ID < list[j].ID
	})
	if len(list) > 5 {
		list = list[:5]
	}
	if list == nil {
		list = []latest{}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"data": map[string]any{"latestAchievedBadges": list}})
}

// admin guards h with the bearer token.
func (s *Service) admin(h http.HandlerFunc) http.HandlerFunc {
	return httpx.Bearer(s.cfg.AdminToken, h)
}

func (s *Service) userBadge(w http.ResponseWriter, r *http.Request) {
	user, ok := s.address(w, r)
	if !ok {
		return
	}
	if s.byID[r.PathValue("id")] == nil {
		httpx.Error(w, http.StatusNotFound, "Badge not found")
		return
	}
	p, err := s.load(r.Context(), user, r.PathValue("id"))
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"data": p})
}

func (s *Service) reset(w http.ResponseWriter, r *http.Request) {
	user, ok := s.address(w, r)
	if !ok {
		return
	}
	if s.byID[r.PathValue("id")] == nil {
		httpx.Error(w, http.StatusNotFound, "Badge not found")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ks.Write(r.Context(), map[string][]byte{progressKey(user, r.PathValue("id")): nil}); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"data": map[string]any{"deleted": true}})
}

// backfill grants steps of a badge to users: {"users":[{"address",
// "steps"}]} (a one-step badge: steps 1), as the events of a festival or
// a history from elsewhere give them.
func (s *Service) backfill(w http.ResponseWriter, r *http.Request) {
	b := s.byID[r.PathValue("id")]
	if b == nil {
		httpx.Error(w, http.StatusNotFound, "Badge not found")
		return
	}
	var body struct {
		Users []struct {
			Address string `json:"address"`
			Steps   int    `json:"steps"`
		} `json:"users"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<20)).Decode(&body); err != nil || len(body.Users) == 0 || len(body.Users) > 10000 {
		httpx.Error(w, http.StatusBadRequest, `body must be {"users":[{"address","steps"}]} with 1 to 10,000 users`)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx := r.Context()
	bt := &batch{s: s, ctx: ctx, loaded: map[string]*Progress{}, changed: map[string]bool{}}
	now := time.Now().UnixMilli()
	for _, u := range body.Users {
		a := strings.ToLower(u.Address)
		if !authchain.IsAddress(a) || u.Steps < 0 {
			httpx.Error(w, http.StatusBadRequest, "invalid user "+u.Address)
			return
		}
		p, err := bt.progress(a, b.ID, 0)
		if err != nil {
			httpx.Internal(w, s.log, r, err)
			return
		}
		if p == nil { // counted an event already: keep its seq
			p = bt.loaded[progressKey(a, b.ID)]
		}
		p.Steps = max(p.Steps, u.Steps, 1)
		seq := p.LastSeq
		bt.done(p, seq, now)
	}
	for _, g := range bt.grants {
		if err := s.announce(ctx, g); err != nil {
			httpx.Internal(w, s.log, r, err)
			return
		}
	}
	changes := map[string][]byte{}
	for k := range bt.changed {
		raw, _ := json.Marshal(bt.loaded[k])
		changes[k] = raw
	}
	if err := s.ks.Write(ctx, changes); err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"data": map[string]any{"updated": len(changes), "granted": len(bt.grants)}})
}
