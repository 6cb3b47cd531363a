package explorationgames

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
)

// activeKey is the ua/ key of a user mission not ended.
func activeKey(run *UserMission) string {
	return fmt.Sprintf("%s%016x/%s", kActiveMission, int64(run.StartTime), run.ID)
}

// listMissions: GET /api/missions[?all] (admin) → {data:[Mission]} with
// their campaign keys; the active ones unless all is asked.
func (s *Service) listMissions(w http.ResponseWriter, r *http.Request) {
	list, err := scan[Mission](r.Context(), s.ks, kMission)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	all := r.URL.Query().Has("all")
	out := []*Mission{}
	for _, m := range list {
		if all || m.Active {
			out = append(out, m)
		}
	}
	byCreated(out, missionCreated)
	ok(w, http.StatusOK, out)
}

// gamesOf is the games the challenges are in, oldest first.
func (s *Service) gamesOf(ctx context.Context, list []*Challenge) ([]*Game, error) {
	seen := map[string]bool{}
	out := []*Game{}
	for _, c := range list {
		if seen[c.GameID] {
			continue
		}
		seen[c.GameID] = true
		g, err := get[Game](ctx, s.ks, kGame+c.GameID)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	byCreated(out, gameCreated)
	return out, nil
}

// getMission: GET /api/missions/:id (admin) → {data:{mission, challenges,
// games}}.
func (s *Service) getMission(w http.ResponseWriter, r *http.Request) {
	id, valid := pathID(w, r)
	if !valid {
		return
	}
	m, err := get[Mission](r.Context(), s.ks, kMission+id)
	if isNotFound(err) {
		fail(w, http.StatusNotFound, "Mission not found")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	challenges, err := s.challengesOf(r.Context(), kMissionChal, id)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	games, err := s.gamesOf(r.Context(), challenges)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	ok(w, http.StatusOK, map[string]any{"mission": m.view(), "challenges": challenges, "games": games})
}

// createMission: POST /api/missions {description, campaign_key, type,
// thumb_url} (admin) → 201 {data: Mission}.
func (s *Service) createMission(w http.ResponseWriter, r *http.Request) {
	s.writeMission(w, r, "")
}

// updateMission: PATCH /api/missions/:id (the same body) → 204.
func (s *Service) updateMission(w http.ResponseWriter, r *http.Request) {
	id, valid := pathID(w, r)
	if !valid {
		return
	}
	s.writeMission(w, r, id)
}

func (s *Service) writeMission(w http.ResponseWriter, r *http.Request, id string) {
	body, valid := readBody(w, r, maxAdminBody)
	if !valid {
		return
	}
	in, err := parseMission(body)
	if err != nil {
		s.invalid(w, r, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id == "" {
		if n, err := count(r.Context(), s.ks, kMission); err != nil {
			s.internal(w, r, err)
			return
		} else if n >= MaxMissions {
			badRequest(w, "this node holds "+strconv.Itoa(MaxMissions)+" missions already")
			return
		}
	}
	var m *Mission
	err = s.ks.Update(r.Context(), func(t *store.KeyspaceTxn) error {
		if id == "" {
			m = &Mission{ID: httpx.UUID(), Active: true, CreatedAt: millis(s.cfg.Now().UnixMilli())}
		} else {
			old, err := txGet[Mission](t, kMission+id)
			if isNotFound(err) {
				return inputError("Mission not found")
			}
			if err != nil {
				return err
			}
			m = old
		}
		m.Description, m.CampaignKey, m.Type, m.ThumbURL = in.Description, in.CampaignKey, in.Type, in.ThumbURL
		return txPut(t, kMission+m.ID, m)
	})
	if err != nil {
		s.invalid(w, r, err)
		return
	}
	if id != "" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	ok(w, http.StatusCreated, m)
}

// missionType is ?type, mini-games by default (the original's).
func missionType(r *http.Request) string {
	if t := r.URL.Query().Get("type"); t != "" {
		return t
	}
	return TypeMiniGames
}

// missionsAvailable: GET /api/missions/available?type (scene-signed) →
// {data:[mission]}: the active missions of the type the player has not
// completed.
func (s *Service) missionsAvailable(w http.ResponseWriter, r *http.Request, c sceneCall) {
	typ := missionType(r)
	runs, err := scan[UserMission](r.Context(), s.ks, kUserMission+c.User+"/")
	if err != nil {
		s.internal(w, r, err)
		return
	}
	completed := map[string]bool{}
	for _, run := range runs {
		if run.EndTime != nil {
			completed[run.MissionID] = true
		}
	}
	list, err := scan[Mission](r.Context(), s.ks, kMission)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	byCreated(list, missionCreated)
	out := []missionView{}
	for _, m := range list {
		if m.Active && m.Type == typ && !completed[m.ID] {
			out = append(out, m.view())
		}
	}
	ok(w, http.StatusOK, out)
}

// missionRun is a mission a player runs or ran.
type missionRun struct {
	missionView
	StartTime     millis  `json:"start_time"`
	EndTime       *millis `json:"end_time,omitempty"`
	UserMissionID string  `json:"user_mission_id"`
}

// challengeRun is a challenge with whether the player completed it.
type challengeRun struct {
	*Challenge
	Completed   bool    `json:"completed"`
	CompletedAt *millis `json:"completed_at"`
}

// missionsInProgress: GET /api/missions/in_progress?type (scene-signed)
// → {data:{missions, challenges, games}}.
func (s *Service) missionsInProgress(w http.ResponseWriter, r *http.Request, c sceneCall) {
	s.missionsBy(w, r, c, false)
}

// missionsCompleted: GET /api/missions/completed?type (scene-signed) →
// {data:{missions, challenges, games}}.
func (s *Service) missionsCompleted(w http.ResponseWriter, r *http.Request, c sceneCall) {
	s.missionsBy(w, r, c, true)
}

// missionsBy is the original's getMissionsByStatus: the player's runs of
// active missions of the type, ended or not, with all their missions'
// challenges (completed or not) and those challenges' games.
func (s *Service) missionsBy(w http.ResponseWriter, r *http.Request, c sceneCall, ended bool) {
	ctx := r.Context()
	typ := missionType(r)
	runs, err := scan[UserMission](ctx, s.ks, kUserMission+c.User+"/")
	if err != nil {
		s.internal(w, r, err)
		return
	}
	slices.SortFunc(runs, func(a, b *UserMission) int { return cmp.Compare(a.StartTime, b.StartTime) })
	missions := []missionRun{}
	challenges := []challengeRun{}
	var all []*Challenge
	for _, run := range runs {
		if (run.EndTime != nil) != ended {
			continue
		}
		m, err := get[Mission](ctx, s.ks, kMission+run.MissionID)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			s.internal(w, r, err)
			return
		}
		if !m.Active || m.Type != typ {
			continue
		}
		missions = append(missions, missionRun{missionView: m.view(), StartTime: run.StartTime, EndTime: run.EndTime, UserMissionID: run.ID})
		list, err := s.challengesOf(ctx, kMissionChal, m.ID)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		for _, ch := range list {
			cr := challengeRun{Challenge: ch}
			if uc, err := get[UserChallenge](ctx, s.ks, kUserChal+c.User+"/"+ch.ID); err == nil {
				cr.Completed, cr.CompletedAt = true, &uc.CompletedAt
			} else if !isNotFound(err) {
				s.internal(w, r, err)
				return
			}
			challenges = append(challenges, cr)
		}
		all = append(all, list...)
	}
	games, err := s.gamesOf(ctx, all)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	ok(w, http.StatusOK, map[string]any{"missions": missions, "challenges": challenges, "games": games})
}

// startMission: POST /api/missions/:id/start (scene-signed) → 204, by the
// original's rules: one mini-games mission runs at a time, and the next
// starts MissionWindow after the last one started; starting another
// mission of another type drops the one of that type that runs.
func (s *Service) startMission(w http.ResponseWriter, r *http.Request, c sceneCall) {
	id, valid := pathID(w, r)
	if !valid {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	err := s.ks.Update(r.Context(), func(t *store.KeyspaceTxn) error {
		m, err := txGet[Mission](t, kMission+id)
		if isNotFound(err) {
			return inputError("No mission found with this UUID")
		}
		if err != nil {
			return err
		}
		if !m.Active {
			return inputError("This mission is not active")
		}
		if m.Type == "" {
			return inputError("Mission has no type")
		}
		runs, err := txScan[UserMission](t, kUserMission+c.User+"/")
		if err != nil {
			return err
		}
		var last *UserMission
		for _, run := range runs {
			if run.MissionID == id && run.EndTime != nil {
				return inputError("This mission was already completed by this user.")
			}
			rm, err := txGet[Mission](t, kMission+run.MissionID)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			if rm.Active && rm.Type == m.Type && (last == nil || run.StartTime > last.StartTime) {
				last = run
			}
		}
		mini := m.Type == TypeMiniGames
		if last != nil && last.EndTime == nil {
			switch {
			case mini:
				return inputError("Can't start new mission while there is an active mission for this user.")
			case last.MissionID == id:
				return inputError("This mission is already active for this user.")
			default:
				if err := s.dropRun(t, last, false); err != nil {
					return err
				}
			}
		}
		if mini && last != nil && now.Add(-s.cfg.MissionWindow).UnixMilli() <= int64(last.StartTime) {
			return inputError("Need to wait more time for starting a new mission")
		}
		run := &UserMission{ID: httpx.UUID(), UserAddress: c.User, MissionID: id, StartTime: millis(now.UnixMilli()), Active: true}
		if err := txPut(t, kUserMission+c.User+"/"+run.ID, run); err != nil {
			return err
		}
		return t.Set(activeKey(run), []byte(c.User))
	})
	if err != nil {
		s.invalid(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// dropRun deletes a user mission not ended (the original marks it
// inactive, and nothing reads inactive ones); lapsed, the player's
// completions of its challenges go too (the original's
// setChallengesAsExpired).
func (s *Service) dropRun(t *store.KeyspaceTxn, run *UserMission, lapsed bool) error {
	if lapsed {
		cids, err := txNames(t, kMissionChal+run.MissionID+"/")
		if err != nil {
			return err
		}
		for _, cid := range cids {
			if err := t.Delete(kUserChal + run.UserAddress + "/" + cid); err != nil {
				return err
			}
		}
	}
	if err := t.Delete(kUserMission + run.UserAddress + "/" + run.ID); err != nil {
		return err
	}
	return t.Delete(activeKey(run))
}

var errStop = errors.New("stop")

// lapseBatch bounds the user missions lapsed in one transaction.
const lapseBatch = 500

// lapse drops the user missions not ended missionLapse after they
// started, with the player's completions of their challenges (the
// original's mission-checker, every minute).
func (s *Service) lapse(ctx context.Context, now time.Time) error {
	cutoff := now.Add(-missionLapse).UnixMilli()
	for {
		type due struct{ key, user, id string }
		var list []due
		err := s.ks.Scan(ctx, kActiveMission, func(name string, v []byte) error {
			rest := name[len(kActiveMission):]
			start, id, found := strings.Cut(rest, "/")
			n, err := strconv.ParseInt(start, 16, 64)
			if !found || err != nil {
				list = append(list, due{key: name})
				return nil
			}
			if n >= cutoff || len(list) >= lapseBatch {
				return errStop
			}
			list = append(list, due{key: name, user: string(v), id: id})
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			return err
		}
		if len(list) == 0 {
			return nil
		}
		s.mu.Lock()
		err = s.ks.Update(ctx, func(t *store.KeyspaceTxn) error {
			for _, d := range list {
				run, err := txGet[UserMission](t, kUserMission+d.user+"/"+d.id)
				switch {
				case isNotFound(err) || (err == nil && run.EndTime != nil):
					if err := t.Delete(d.key); err != nil {
						return err
					}
				case err != nil:
					return err
				default:
					if err := s.dropRun(t, run, true); err != nil {
						return err
					}
				}
			}
			return nil
		})
		s.mu.Unlock()
		if err != nil {
			return err
		}
		if len(list) < lapseBatch {
			return nil
		}
	}
}
