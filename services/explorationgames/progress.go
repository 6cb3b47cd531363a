package explorationgames

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// MaxProgressPerUser bounds the records kept of one player in one game:
// past it, the oldest go.
const MaxProgressPerUser = 50

// Sort fields of the original's ProgressSort (the leaderboard may not
// sort by level, which always ranks first there).
var (
	progressSorts    = []string{"score", "updated_at", "level", "time", "moves"}
	leaderboardSorts = []string{"score", "updated_at", "time", "moves"}
)

// value is a record's value of a sort field (false: the record has none).
func (p *Progress) value(field string) (float64, bool) {
	var v *float64
	switch field {
	case "level":
		return float64(p.Level), true
	case "updated_at":
		return float64(p.UpdatedAt), true
	case "score":
		v = p.Score
	case "time":
		v = p.Time
	case "moves":
		v = p.Moves
	}
	if v == nil {
		return 0, false
	}
	return *v, true
}

// byField orders records by a field in a direction, the ones without it
// last.
func byField(field string, desc bool) func(a, b *Progress) int {
	return func(a, b *Progress) int {
		av, aok := a.value(field)
		bv, bok := b.value(field)
		switch {
		case aok != bok:
			if aok {
				return -1
			}
			return 1
		case !aok || av == bv:
			return 0
		case (av > bv) == desc:
			return -1
		default:
			return 1
		}
	}
}

// sortOptions reads ?sort (one of allowed, else def), ?direction (ASC,
// otherwise DESC) and ?limit (1..max, otherwise 10).
func sortOptions(r *http.Request, allowed []string, def string, max int) (field string, desc bool, limit int, valid bool) {
	q := r.URL.Query()
	field, valid = q.Get("sort"), true
	if field == "" {
		field = def
	} else if !slices.Contains(allowed, field) {
		field, valid = def, false
	}
	desc = !strings.EqualFold(q.Get("direction"), "ASC")
	limit = 10
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n >= 1 && n <= max {
		limit = n
	}
	return field, desc, limit, valid
}

// levelOption reads ?level: 0 when absent, false when not a level.
func levelOption(w http.ResponseWriter, r *http.Request) (int64, bool) {
	l := r.URL.Query().Get("level")
	if l == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(l, 10, 64)
	if err != nil || n < 1 {
		badRequest(w, "Invalid level")
		return 0, false
	}
	return n, true
}

func (s *Service) gameProgress(ctx context.Context, prefix string) ([]*Progress, error) {
	return scan[Progress](ctx, s.ks, prefix)
}

func enabled(list []*Progress) []*Progress {
	out := []*Progress{}
	for _, p := range list {
		if !p.Disabled {
			out = append(out, p)
		}
	}
	return out
}

// leaderboardEntry is a leaderboard row: the columns the original selects.
type leaderboardEntry struct {
	GameID      string          `json:"game_id"`
	UserAddress string          `json:"user_address"`
	UserName    string          `json:"user_name"`
	Level       int64           `json:"level"`
	Score       *float64        `json:"score"`
	Time        *float64        `json:"time"`
	Moves       *float64        `json:"moves"`
	Data        json.RawMessage `json:"data"`
	UpdatedAt   millis          `json:"updated_at"`
}

// leaderboard: GET /api/games/:id/leaderboard?sort&direction&limit&level
// → {data:[entry]}: each player's best enabled record and the players in
// that order — by the original's rule, the highest level first (unless
// one level is asked), then the sort field (score by default) in the
// direction (DESC by default); ties go to the earlier record.
func (s *Service) leaderboard(w http.ResponseWriter, r *http.Request) {
	id, valid := pathID(w, r)
	if !valid {
		return
	}
	field, desc, limit, valid := sortOptions(r, leaderboardSorts, "score", 10)
	if !valid {
		badRequest(w, "Invalid sort option")
		return
	}
	level, valid := levelOption(w, r)
	if !valid {
		return
	}
	list, err := s.gameProgress(r.Context(), kProgress+id+"/")
	if err != nil {
		s.internal(w, r, err)
		return
	}
	rank := func(a, b *Progress) int {
		c := 0
		if level == 0 {
			c = cmp.Compare(b.Level, a.Level)
		}
		return cmp.Or(c, byField(field, desc)(a, b), cmp.Compare(a.UpdatedAt, b.UpdatedAt), strings.Compare(a.UserAddress, b.UserAddress))
	}
	best := map[string]*Progress{}
	for _, p := range enabled(list) {
		if level != 0 && p.Level != level {
			continue
		}
		if b, ok := best[p.UserAddress]; !ok || rank(p, b) < 0 {
			best[p.UserAddress] = p
		}
	}
	rows := make([]*Progress, 0, len(best))
	for _, p := range best {
		rows = append(rows, p)
	}
	slices.SortFunc(rows, rank)
	out := []leaderboardEntry{}
	for _, p := range rows[:min(limit, len(rows))] {
		out = append(out, leaderboardEntry{GameID: p.GameID, UserAddress: p.UserAddress, UserName: p.UserName, Level: p.Level,
			Score: p.Score, Time: p.Time, Moves: p.Moves, Data: p.Data, UpdatedAt: p.UpdatedAt})
	}
	ok(w, http.StatusOK, out)
}

// userProgress: GET /api/games/:id/progress?sort&direction&limit
// (scene-signed) → {data:[Progress]}: the player's enabled records, the
// latest first by default, at most 500.
func (s *Service) userProgress(w http.ResponseWriter, r *http.Request, c sceneCall) {
	id, valid := pathID(w, r)
	if !valid {
		return
	}
	field, desc, limit, _ := sortOptions(r, progressSorts, "updated_at", 500)
	list, err := s.gameProgress(r.Context(), kProgress+id+"/"+c.User+"/")
	if err != nil {
		s.internal(w, r, err)
		return
	}
	list = enabled(list)
	slices.SortStableFunc(list, byField(field, desc))
	ok(w, http.StatusOK, list[:min(limit, len(list))])
}

// allProgress: GET /api/games/:id/progress/all?level&sort&direction&limit&page
// (admin) → {data:[Progress]}: everyone's records, disabled ones too.
func (s *Service) allProgress(w http.ResponseWriter, r *http.Request) {
	id, valid := pathID(w, r)
	if !valid {
		return
	}
	field, desc, limit, _ := sortOptions(r, progressSorts, "updated_at", 1000)
	level, valid := levelOption(w, r)
	if !valid {
		return
	}
	page := 1
	if n, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && n >= 1 && n <= 1000 {
		page = n
	}
	list, err := s.gameProgress(r.Context(), kProgress+id+"/")
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := []*Progress{}
	for _, p := range list {
		if level == 0 || p.Level == level {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b *Progress) int {
		return cmp.Or(byField(field, desc)(a, b), cmp.Compare(a.UpdatedAt, b.UpdatedAt))
	})
	start := min((page-1)*limit, len(out))
	ok(w, http.StatusOK, out[start:min(start+limit, len(out))])
}

// gamePlayed is a game a player has progress in, with the latest record.
type gamePlayed struct {
	ID     string          `json:"id"`
	Name   string          `json:"name"`
	Parcel string          `json:"parcel"`
	Level  int64           `json:"level"`
	Score  *float64        `json:"score"`
	Time   *float64        `json:"time"`
	Moves  *float64        `json:"moves"`
	Data   json.RawMessage `json:"data"`
}

// gamesPlayed: GET /api/games/progress (scene-signed) → {data:[gamePlayed]}.
func (s *Service) gamesPlayed(w http.ResponseWriter, r *http.Request, c sceneCall) {
	ids, err := names(r.Context(), s.ks, kUserGame+c.User+"/")
	if err != nil {
		s.internal(w, r, err)
		return
	}
	var games []*Game
	latest := map[string]*Progress{}
	for _, gid := range ids {
		g, err := get[Game](r.Context(), s.ks, kGame+gid)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			s.internal(w, r, err)
			return
		}
		list, err := s.gameProgress(r.Context(), kProgress+gid+"/"+c.User+"/")
		if err != nil {
			s.internal(w, r, err)
			return
		}
		if list = enabled(list); len(list) > 0 {
			games = append(games, g)
			latest[gid] = list[len(list)-1]
		}
	}
	byCreated(games, gameCreated)
	out := []gamePlayed{}
	for _, g := range games {
		p := latest[g.ID]
		out = append(out, gamePlayed{ID: g.ID, Name: g.Name, Parcel: g.Parcel, Level: p.Level, Score: p.Score, Time: p.Time, Moves: p.Moves, Data: p.Data})
	}
	ok(w, http.StatusOK, out)
}

// completedChallenges: GET /api/games/:id/challenges/completed
// (scene-signed) → {data:[{game_id, id, description, target_level}]}.
func (s *Service) completedChallenges(w http.ResponseWriter, r *http.Request, c sceneCall) {
	id, valid := pathID(w, r)
	if !valid {
		return
	}
	list, err := s.challengesOf(r.Context(), kGameChal, id)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	type row struct {
		GameID      string `json:"game_id"`
		ID          string `json:"id"`
		Description string `json:"description"`
		TargetLevel int64  `json:"target_level"`
	}
	out := []row{}
	for _, ch := range list {
		if _, err := s.ks.Get(r.Context(), kUserChal+c.User+"/"+ch.ID); err == nil {
			out = append(out, row{GameID: ch.GameID, ID: ch.ID, Description: ch.Description, TargetLevel: ch.TargetLevel})
		} else if !isNotFound(err) {
			s.internal(w, r, err)
			return
		}
	}
	ok(w, http.StatusOK, out)
}

// progressStatus: PATCH /api/games/progress/status {ids, disabled}
// (admin) → {data:{rowCount}}.
func (s *Service) progressStatus(w http.ResponseWriter, r *http.Request) {
	body, valid := readBody(w, r, maxAdminBody*4)
	if !valid {
		return
	}
	in, err := parseStatus(body)
	if err != nil {
		s.invalid(w, r, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now().UnixMilli()
	n := 0
	err = s.ks.Update(r.Context(), func(t *store.KeyspaceTxn) error {
		n = 0
		for _, id := range in.IDs {
			key, err := t.Get(kProgressID + id)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			p, err := txGet[Progress](t, string(key))
			if err != nil {
				return err
			}
			p.Disabled, p.DisabledAt = in.Disabled, nil
			if in.Disabled {
				p.DisabledAt = ms(now)
			}
			if err := txPut(t, string(key), p); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	ok(w, http.StatusOK, map[string]int{"rowCount": n})
}

// newProgress: POST /api/games/:id/progress (scene-signed, from one of the
// game's parcels) {user_name?, level, score?, time?, moves?, data?} →
// 201 {data: Progress}; when the post completes challenges of missions
// the player runs, 200 {data:{mission, user_mission | reward, progress}},
// as the original answers checkCompleteMission.
func (s *Service) newProgress(w http.ResponseWriter, r *http.Request, c sceneCall) {
	id, valid := pathID(w, r)
	if !valid {
		return
	}
	body, valid := readBody(w, r, MaxProgressBody)
	if !valid {
		return
	}
	in, err := parseProgress(body)
	if err != nil {
		s.invalid(w, r, err)
		return
	}
	g, err := get[Game](r.Context(), s.ks, kGame+id)
	if isNotFound(err) {
		fail(w, http.StatusNotFound, "Game not found")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if !onGame(g, c.Parcel) {
		badRequest(w, "Invalid request. User must be inside the scene")
		return
	}
	if c.HasHash && !bodyMatches(body, c.HashPayload) {
		badRequest(w, "Invalid body")
		return
	}
	in.UserAddress = c.User
	res, err := s.record(r.Context(), g, []progressInput{in}, true)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.progress.WithLabelValues("scene").Inc()
	// A client gone must not lose the events of what was stored.
	s.publishCompletions(context.WithoutCancel(r.Context()), res)
	p := res.records[0]
	if res.first == nil {
		ok(w, http.StatusCreated, p)
		return
	}
	data := map[string]any{"mission": res.first.mission.view(), "progress": p}
	if res.first.run.EndTime != nil {
		data["reward"] = []map[string]string{{"campaign_key": res.first.mission.CampaignKey, "beneficiary": c.User, "status": "pending"}}
	} else {
		data["user_mission"] = res.first.run
	}
	ok(w, http.StatusOK, data)
}

// multiplayerProgress: POST /api/multiplayer/progress {game_id,
// scores:[{user_address, user_name, level, score?, time?, moves?, data?}]}
// (admin token) → 201 {data:[Progress]}.
func (s *Service) multiplayerProgress(w http.ResponseWriter, r *http.Request) {
	body, valid := readBody(w, r, maxMultiplayerBody)
	if !valid {
		return
	}
	in, err := parseMultiplayer(body)
	if err != nil {
		s.invalid(w, r, err)
		return
	}
	g, err := get[Game](r.Context(), s.ks, kGame+in.GameID)
	if isNotFound(err) {
		fail(w, http.StatusNotFound, "Game not found")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	res, err := s.record(r.Context(), g, in.Scores, false)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.progress.WithLabelValues("multiplayer").Add(float64(len(res.records)))
	ok(w, http.StatusCreated, res.records)
}

// completion is a mission one post moved: a challenge of it completed,
// and the mission too when run.EndTime is set.
type completion struct {
	mission *Mission
	run     *UserMission
}

// recorded is what a post stored and what it completed.
type recorded struct {
	records    []*Progress
	first      *completion
	challenges []events.Event // challenge-completed
	rewards    []events.Event // reward-requested, each also kept under rp/ until published
	runs       []string       // the user missions of rewards
}

// record stores progress records (dropping a player's oldest past
// MaxProgressPerUser) and, with complete, completes the challenges of the
// game the first record meets in the missions its player runs, and the
// missions all of whose challenges are completed — in one transaction.
func (s *Service) record(ctx context.Context, g *Game, ins []progressInput, complete bool) (*recorded, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	res := &recorded{}
	type item struct {
		key string
		p   *Progress
	}
	var items []item
	for _, in := range ins {
		n := max(now.UnixNano(), s.lastN+1)
		s.lastN = n
		p := &Progress{ID: httpx.UUID(), GameID: g.ID, UserAddress: in.UserAddress, UserName: in.UserName, Level: in.Level,
			Score: in.Score, Time: in.Time, Moves: in.Moves, Data: in.Data, UpdatedAt: millis(now.UnixMilli())}
		items = append(items, item{fmt.Sprintf("%s%s/%s/%016x-%s", kProgress, g.ID, p.UserAddress, n, p.ID), p})
	}
	err := s.ks.Update(ctx, func(t *store.KeyspaceTxn) error {
		*res = recorded{}
		for _, it := range items {
			prefix := kProgress + g.ID + "/" + it.p.UserAddress + "/"
			kept, err := txNames(t, prefix)
			if err != nil {
				return err
			}
			for _, name := range kept[:max(0, len(kept)-(MaxProgressPerUser-1))] {
				if err := t.Delete(prefix + name); err != nil {
					return err
				}
				if err := t.Delete(kProgressID + name[17:]); err != nil { // name: <n:016x>-<id>
					return err
				}
			}
			if err := txPut(t, it.key, it.p); err != nil {
				return err
			}
			if err := t.Set(kProgressID+it.p.ID, []byte(it.key)); err != nil {
				return err
			}
			if err := t.Set(kUserGame+it.p.UserAddress+"/"+g.ID, []byte{}); err != nil {
				return err
			}
			res.records = append(res.records, it.p)
		}
		if !complete {
			return nil
		}
		return s.completeChallenges(t, g, ins[0], now.UnixMilli(), res)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// completeChallenges is the original's challenge check after a progress
// post: the challenges of game g in the missions the player runs (not
// ended, active) that the post meets are completed; a mission all of
// whose active challenges are completed ends and asks for its reward.
func (s *Service) completeChallenges(t *store.KeyspaceTxn, g *Game, in progressInput, now int64, res *recorded) error {
	user := in.UserAddress
	runs, err := txScan[UserMission](t, kUserMission+user+"/")
	if err != nil {
		return err
	}
	slices.SortFunc(runs, func(a, b *UserMission) int { return cmp.Compare(a.StartTime, b.StartTime) })
	for _, run := range runs {
		if run.EndTime != nil {
			continue
		}
		m, err := txGet[Mission](t, kMission+run.MissionID)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		if !m.Active {
			continue
		}
		cids, err := txNames(t, kMissionChal+m.ID+"/")
		if err != nil {
			return err
		}
		moved, done := false, true
		for _, cid := range cids {
			ch, err := txGet[Challenge](t, kChallenge+cid)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			if !ch.Active {
				continue
			}
			_, err = t.Get(kUserChal + user + "/" + cid)
			completed := err == nil
			if err != nil && !isNotFound(err) {
				return err
			}
			if !completed && ch.GameID == g.ID && meets(in, ch.Data) {
				uc := &UserChallenge{ID: httpx.UUID(), UserAddress: user, ChallengeID: cid, CompletedAt: millis(now)}
				if err := txPut(t, kUserChal+user+"/"+cid, uc); err != nil {
					return err
				}
				completed, moved = true, true
				e, _ := events.New(EventType, SubTypeChallenge, "exploration-games-challenge-"+run.ID+"-"+cid, now, map[string]any{
					"userAddress": user, "challengeId": cid, "missionId": m.ID, "gameId": g.ID, "userMissionId": run.ID, "completedAt": now,
				})
				res.challenges = append(res.challenges, e)
			}
			done = done && completed
		}
		if !moved {
			continue
		}
		if done {
			run.EndTime = ms(now)
			if err := txPut(t, kUserMission+user+"/"+run.ID, run); err != nil {
				return err
			}
			if err := t.Delete(activeKey(run)); err != nil {
				return err
			}
			e, _ := events.New(EventType, SubTypeReward, "exploration-games-reward-"+run.ID, now, map[string]any{
				"campaign_key": m.CampaignKey, "beneficiary": user, "missionId": m.ID, "userMissionId": run.ID, "missionType": m.Type,
			})
			if s.cfg.Bus != nil {
				if err := txPut(t, kPendingReward+run.ID, e); err != nil {
					return err
				}
			}
			res.rewards = append(res.rewards, e)
			res.runs = append(res.runs, run.ID)
		}
		if res.first == nil {
			res.first = &completion{mission: m, run: run}
		}
	}
	return nil
}

// meets is the original's isScoreMetCondition: every key of the
// challenge's data ({score|level|time|moves: {condition, target}} or
// {data: {customDataType, condition, target}}) holds for the post; no
// data never holds, and an unknown key fails.
func meets(in progressInput, data json.RawMessage) bool {
	if len(data) == 0 || isNull(data) {
		return false
	}
	var conds map[string]json.RawMessage
	if json.Unmarshal(data, &conds) != nil {
		return false
	}
	for key, raw := range conds {
		var c struct {
			CustomDataType string   `json:"customDataType"`
			Condition      string   `json:"condition"`
			Target         *float64 `json:"target"`
		}
		if json.Unmarshal(raw, &c) != nil || c.Target == nil {
			return false
		}
		var v *float64
		switch key {
		case "score":
			v = in.Score
		case "time":
			v = in.Time
		case "moves":
			v = in.Moves
		case "level":
			l := float64(in.Level)
			v = &l
		case "data":
			var custom map[string]json.RawMessage
			if c.CustomDataType != "" && json.Unmarshal(in.Data, &custom) == nil {
				// The original reads the value only when it is truthy.
				if f, err := number(custom[c.CustomDataType], c.CustomDataType); err == nil && f != 0 {
					v = &f
				}
			}
		default:
			return false
		}
		if v == nil || !holds(c.Condition, *v, *c.Target) {
			return false
		}
	}
	return true
}

func holds(condition string, v, target float64) bool {
	switch condition {
	case "=":
		return v == target
	case "<":
		return v < target
	case ">":
		return v > target
	case "<=":
		return v <= target
	case ">=":
		return v >= target
	}
	return false
}
