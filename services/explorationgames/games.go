package explorationgames

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
)

// Bounds of what admins create.
const (
	MaxGames      = 1000
	MaxMissions   = 1000
	MaxChallenges = 10000
)

func byCreated[T any](list []*T, created func(*T) (millis, string)) {
	slices.SortStableFunc(list, func(a, b *T) int {
		ca, ia := created(a)
		cb, ib := created(b)
		return cmp.Or(cmp.Compare(ca, cb), strings.Compare(ia, ib))
	})
}

func gameCreated(g *Game) (millis, string)           { return g.CreatedAt, g.ID }
func missionCreated(m *Mission) (millis, string)     { return m.CreatedAt, m.ID }
func challengeCreated(c *Challenge) (millis, string) { return c.CreatedAt, c.ID }

// listGames: GET /api/games[?all] → {data:[Game]}, the active ones unless
// all is asked.
func (s *Service) listGames(w http.ResponseWriter, r *http.Request) {
	games, err := scan[Game](r.Context(), s.ks, kGame)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	all := r.URL.Query().Has("all")
	out := []*Game{}
	for _, g := range games {
		if all || g.Active {
			out = append(out, g)
		}
	}
	byCreated(out, gameCreated)
	ok(w, http.StatusOK, out)
}

// challengesOf is a game's (or a mission's, with kMissionChal)
// challenges, oldest first.
func (s *Service) challengesOf(ctx context.Context, index, id string) ([]*Challenge, error) {
	ids, err := names(ctx, s.ks, index+id+"/")
	if err != nil {
		return nil, err
	}
	out := []*Challenge{}
	for _, cid := range ids {
		c, err := get[Challenge](ctx, s.ks, kChallenge+cid)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	byCreated(out, challengeCreated)
	return out, nil
}

// gameChallenges: GET /api/games/:id/challenges → {data:[Challenge]}
// (active ones).
func (s *Service) gameChallenges(w http.ResponseWriter, r *http.Request) {
	id, valid := pathID(w, r)
	if !valid {
		return
	}
	list, err := s.challengesOf(r.Context(), kGameChal, id)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := []*Challenge{}
	for _, c := range list {
		if c.Active {
			out = append(out, c)
		}
	}
	ok(w, http.StatusOK, out)
}

// createGame: POST /api/games {name, x, y, parcels?} → 201 {data: Game}.
func (s *Service) createGame(w http.ResponseWriter, r *http.Request) {
	body, valid := readBody(w, r, maxAdminBody)
	if !valid {
		return
	}
	in, err := parseGame(body)
	if err != nil {
		s.invalid(w, r, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, err := count(r.Context(), s.ks, kGame); err != nil {
		s.internal(w, r, err)
		return
	} else if n >= MaxGames {
		badRequest(w, "this node holds "+strconv.Itoa(MaxGames)+" games already")
		return
	}
	g := &Game{ID: httpx.UUID(), Name: in.Name, Parcel: in.Parcels[0], Parcels: in.Parcels, Active: true, CreatedAt: millis(s.cfg.Now().UnixMilli())}
	if err := s.ks.Update(r.Context(), func(t *store.KeyspaceTxn) error { return txPut(t, kGame+g.ID, g) }); err != nil {
		s.internal(w, r, err)
		return
	}
	ok(w, http.StatusCreated, g)
}

// updateGame: PATCH /api/games/:id {name, x, y, parcels?} → 204.
func (s *Service) updateGame(w http.ResponseWriter, r *http.Request) {
	id, valid := pathID(w, r)
	if !valid {
		return
	}
	body, valid := readBody(w, r, maxAdminBody)
	if !valid {
		return
	}
	in, err := parseGame(body)
	if err != nil {
		s.invalid(w, r, err)
		return
	}
	s.changeGame(w, r, id, http.StatusBadRequest, func(g *Game) {
		g.Name, g.Parcel, g.Parcels = in.Name, in.Parcels[0], in.Parcels
	})
}

// deactivateGame: PATCH /api/games/:id/deactivate → 204.
func (s *Service) deactivateGame(w http.ResponseWriter, r *http.Request) {
	id, valid := pathID(w, r)
	if !valid {
		return
	}
	s.changeGame(w, r, id, http.StatusNotFound, func(g *Game) { g.Active = false })
}

func (s *Service) changeGame(w http.ResponseWriter, r *http.Request, id string, missing int, change func(*Game)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.ks.Update(r.Context(), func(t *store.KeyspaceTxn) error {
		g, err := txGet[Game](t, kGame+id)
		if err != nil {
			return err
		}
		change(g)
		return txPut(t, kGame+id, g)
	})
	switch {
	case isNotFound(err):
		fail(w, missing, "Game not found")
	case err != nil:
		s.internal(w, r, err)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// createChallenge: POST /api/challenges {description, gameId, missionId,
// targetLevel, data?} → 201 {data: Challenge}.
func (s *Service) createChallenge(w http.ResponseWriter, r *http.Request) {
	s.writeChallenge(w, r, "")
}

// updateChallenge: PATCH /api/challenges/:id (the same body) → 204.
func (s *Service) updateChallenge(w http.ResponseWriter, r *http.Request) {
	id, valid := pathID(w, r)
	if !valid {
		return
	}
	s.writeChallenge(w, r, id)
}

// writeChallenge creates a challenge (id "") or changes one.
func (s *Service) writeChallenge(w http.ResponseWriter, r *http.Request, id string) {
	body, valid := readBody(w, r, maxAdminBody)
	if !valid {
		return
	}
	in, err := parseChallenge(body)
	if err != nil {
		s.invalid(w, r, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id == "" {
		if n, err := count(r.Context(), s.ks, kChallenge); err != nil {
			s.internal(w, r, err)
			return
		} else if n >= MaxChallenges {
			badRequest(w, "this node holds "+strconv.Itoa(MaxChallenges)+" challenges already")
			return
		}
	}
	var c *Challenge
	err = s.ks.Update(r.Context(), func(t *store.KeyspaceTxn) error {
		if id == "" {
			c = &Challenge{ID: httpx.UUID(), Active: true, CreatedAt: millis(s.cfg.Now().UnixMilli())}
		} else {
			old, err := txGet[Challenge](t, kChallenge+id)
			if isNotFound(err) {
				return inputError("Challenge not found")
			}
			if err != nil {
				return err
			}
			if err := t.Delete(kGameChal + old.GameID + "/" + id); err != nil {
				return err
			}
			if err := t.Delete(kMissionChal + old.MissionID + "/" + id); err != nil {
				return err
			}
			c = old
		}
		if _, err := t.Get(kGame + in.GameID); isNotFound(err) {
			return inputError(in.GameID + " doesn't exist")
		} else if err != nil {
			return err
		}
		if _, err := t.Get(kMission + in.MissionID); isNotFound(err) {
			return inputError(in.MissionID + " doesn't exist")
		} else if err != nil {
			return err
		}
		c.Description, c.GameID, c.MissionID, c.TargetLevel, c.Data = in.Description, in.GameID, in.MissionID, in.TargetLevel, in.Data
		if err := t.Set(kGameChal+c.GameID+"/"+c.ID, []byte{}); err != nil {
			return err
		}
		if err := t.Set(kMissionChal+c.MissionID+"/"+c.ID, []byte{}); err != nil {
			return err
		}
		return txPut(t, kChallenge+c.ID, c)
	})
	if err != nil {
		s.invalid(w, r, err)
		return
	}
	if id != "" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	ok(w, http.StatusCreated, c)
}
