package explorationgames

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/p2pcatalyst/catalyst/store"
)

// The keyspace's keys:
//
//	g/<game>                        Game
//	m/<mission>                     Mission
//	c/<challenge>                   Challenge
//	cg/<game>/<challenge>           a game's challenges
//	cm/<mission>/<challenge>        a mission's challenges
//	pr/<game>/<user>/<n:016x>-<id>  Progress, oldest first (n grows)
//	pi/<progress>                   the pr/ key of a progress record
//	ug/<user>/<game>                the games a user has progress in
//	um/<user>/<user mission>        UserMission (started, or ended)
//	ua/<start:016x>/<user mission>  user missions not ended, by start; value: user
//	uc/<user>/<challenge>           UserChallenge (completed)
//	rp/<user mission>               a reward-requested event not yet published
const (
	kGame          = "g/"
	kMission       = "m/"
	kChallenge     = "c/"
	kGameChal      = "cg/"
	kMissionChal   = "cm/"
	kProgress      = "pr/"
	kProgressID    = "pi/"
	kUserGame      = "ug/"
	kUserMission   = "um/"
	kActiveMission = "ua/"
	kUserChal      = "uc/"
	kPendingReward = "rp/"
)

// millis is a time in ms since the epoch, answered as a decimal string
// (the original's bigint columns reach its clients so).
type millis int64

func (m millis) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatInt(int64(m), 10) + `"`), nil
}

func (m *millis) UnmarshalJSON(b []byte) error {
	if s, err := strconv.Unquote(string(b)); err == nil {
		b = []byte(s)
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	*m = millis(n)
	return err
}

func ms(n int64) *millis { m := millis(n); return &m }

// Game is a mini-game on parcels (Parcel is the base, first of Parcels).
type Game struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Parcel    string   `json:"parcel"`
	Parcels   []string `json:"parcels"`
	Active    bool     `json:"active"`
	CreatedAt millis   `json:"created_at"`
}

// Mission is a set of challenges with a reward campaign.
type Mission struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	CampaignKey string `json:"campaign_key"`
	Type        string `json:"type"`
	ThumbURL    string `json:"thumb_url"`
	Active      bool   `json:"active"`
	CreatedAt   millis `json:"created_at"`
}

// missionView is a mission as players see it: without its campaign key
// (the original's getMission* queries leave it out).
type missionView struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Active      bool   `json:"active"`
	Type        string `json:"type"`
	ThumbURL    string `json:"thumb_url"`
}

func (m *Mission) view() missionView {
	return missionView{ID: m.ID, Description: m.Description, Active: m.Active, Type: m.Type, ThumbURL: m.ThumbURL}
}

// Challenge is a condition on a game's progress, part of a mission.
type Challenge struct {
	ID          string          `json:"id"`
	Description string          `json:"description"`
	GameID      string          `json:"game_id"`
	MissionID   string          `json:"mission_id"`
	TargetLevel int64           `json:"target_level"`
	Data        json.RawMessage `json:"data"`
	Active      bool            `json:"active"`
	CreatedAt   millis          `json:"created_at"`
}

// Progress is one progress post of a player in a game.
type Progress struct {
	ID          string          `json:"id"`
	GameID      string          `json:"game_id"`
	UserAddress string          `json:"user_address"`
	UserName    string          `json:"user_name"`
	Level       int64           `json:"level"`
	Score       *float64        `json:"score"`
	Time        *float64        `json:"time"`
	Moves       *float64        `json:"moves"`
	Data        json.RawMessage `json:"data"`
	UpdatedAt   millis          `json:"updated_at"`
	Disabled    bool            `json:"disabled"`
	DisabledAt  *millis         `json:"disabled_at"`
}

// UserMission is a player's run of a mission: started, then ended when
// all its challenges are completed.
type UserMission struct {
	ID          string  `json:"id"`
	UserAddress string  `json:"user_address"`
	MissionID   string  `json:"mission_id"`
	StartTime   millis  `json:"start_time"`
	EndTime     *millis `json:"end_time"`
	Active      bool    `json:"active"`
}

// UserChallenge is a challenge a player completed.
type UserChallenge struct {
	ID                   string `json:"id"`
	UserAddress          string `json:"user_address"`
	ChallengeID          string `json:"challenge_id"`
	ChallengeUncompleted bool   `json:"challenge_uncompleted"`
	CompletedAt          millis `json:"completed_at"`
}

func get[T any](ctx context.Context, ks *store.Keyspace, key string) (*T, error) {
	b, err := ks.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("explorationgames: decode %s: %w", key, err)
	}
	return &v, nil
}

func txGet[T any](t *store.KeyspaceTxn, key string) (*T, error) {
	b, err := t.Get(key)
	if err != nil {
		return nil, err
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("explorationgames: decode %s: %w", key, err)
	}
	return &v, nil
}

func txPut(t *store.KeyspaceTxn, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return t.Set(key, b)
}

// scan decodes every value under prefix, in key order.
func scan[T any](ctx context.Context, ks *store.Keyspace, prefix string) ([]*T, error) {
	var out []*T
	err := ks.Scan(ctx, prefix, func(name string, b []byte) error {
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("explorationgames: decode %s: %w", name, err)
		}
		out = append(out, &v)
		return nil
	})
	return out, err
}

// names lists the keys under prefix, without it.
func names(ctx context.Context, ks *store.Keyspace, prefix string) ([]string, error) {
	var out []string
	err := ks.Scan(ctx, prefix, func(name string, _ []byte) error {
		out = append(out, name[len(prefix):])
		return nil
	})
	return out, err
}

func txNames(t *store.KeyspaceTxn, prefix string) ([]string, error) {
	var out []string
	err := t.Scan(prefix, func(name string, _ []byte) error {
		out = append(out, name[len(prefix):])
		return nil
	})
	return out, err
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// count counts the keys under prefix.
func count(ctx context.Context, ks *store.Keyspace, prefix string) (int, error) {
	n := 0
	err := ks.Scan(ctx, prefix, func(string, []byte) error { n++; return nil })
	return n, err
}

// txScan decodes every value under prefix as the transaction sees them.
func txScan[T any](t *store.KeyspaceTxn, prefix string) ([]*T, error) {
	var out []*T
	err := t.Scan(prefix, func(name string, b []byte) error {
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("explorationgames: decode %s: %w", name, err)
		}
		out = append(out, &v)
		return nil
	})
	return out, err
}
