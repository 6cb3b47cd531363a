package explorationgames

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// Bounds of what is taken.
const (
	// MaxDataBytes bounds a progress's or a challenge's data: compact JSON.
	MaxDataBytes = 8 << 10
	// MaxProgressBody bounds a progress post's body.
	MaxProgressBody = 16 << 10
	// MaxMultiplayerScores bounds the scores of one multiplayer post.
	MaxMultiplayerScores = 100
	maxMultiplayerBody   = 256 << 10
	maxAdminBody         = 32 << 10
	maxUserName          = 128
	maxText              = 2048
	maxGameParcels       = 100
	maxStatusIDs         = 1000
	// maxMetric is the original's INT columns' bound.
	maxMetric = math.MaxInt32
	// coordMax bounds a game's coordinates (the original's -150..150).
	coordMax = 150
)

// Mission types of the original (MissionType).
const (
	TypeMiniGames   = "mini-games"
	TypeFashionWeek = "fw-2025"
)

// inputError is a refusal of a request's input; its text is for the
// client.
type inputError string

func (e inputError) Error() string { return string(e) }

func errf(format string, args ...any) error { return inputError(fmt.Sprintf(format, args...)) }

var uuidRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// uuid is id lower-cased when it is a UUID ("" otherwise).
func uuid(id string) string {
	if !uuidRe.MatchString(id) {
		return ""
	}
	return strings.ToLower(id)
}

// object decodes a JSON object's members, refusing keys not in allowed.
func object(raw []byte, what string, allowed ...string) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return nil, errf("%s must be a JSON object", what)
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			return nil, errf("%q is not allowed", k)
		}
	}
	return fields, nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// number is a JSON number member (a string, null or anything else is
// refused).
func number(raw json.RawMessage, name string) (float64, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || (t[0] != '-' && (t[0] < '0' || t[0] > '9')) {
		return 0, errf("%q must be a number", name)
	}
	var f float64
	if err := json.Unmarshal(t, &f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, errf("%q must be a number", name)
	}
	return f, nil
}

// integer is a number member that is a whole number within [lo, hi].
func integer(raw json.RawMessage, name string, lo, hi int64) (int64, error) {
	f, err := number(raw, name)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) {
		return 0, errf("%q must be an integer", name)
	}
	if f < float64(lo) {
		return 0, errf("%q must be greater than or equal to %d", name, lo)
	}
	if f > float64(hi) {
		return 0, errf("%q must be less than or equal to %d", name, hi)
	}
	return int64(f), nil
}

// text is a non-empty string member of at most max characters.
func text(raw json.RawMessage, name string, max int) (string, error) {
	t := bytes.TrimSpace(raw)
	var s string
	if len(t) == 0 || t[0] != '"' || json.Unmarshal(t, &s) != nil {
		return "", errf("%q must be a string", name)
	}
	if s == "" {
		return "", errf("%q is not allowed to be empty", name)
	}
	if utf8.RuneCountInString(s) > max {
		return "", errf("%q length must be less than or equal to %d characters long", name, max)
	}
	return s, nil
}

// dataObject is an object member, compacted, of at most MaxDataBytes.
func dataObject(raw json.RawMessage, name string) (json.RawMessage, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' {
		return nil, errf("%q must be of type object", name)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, t); err != nil {
		return nil, errf("%q must be of type object", name)
	}
	if buf.Len() > MaxDataBytes {
		return nil, errf("%q must be at most %d bytes of JSON (it is %d)", name, MaxDataBytes, buf.Len())
	}
	return json.RawMessage(buf.Bytes()), nil
}

// progressInput is a validated progress post (the original's
// NewProgressInGamePayload: {user_name, level ≥ 1, score?, time?, moves?,
// data?}).
type progressInput struct {
	UserAddress string // multiplayer only
	UserName    string
	Level       int64
	Score       *float64
	Time        *float64
	Moves       *float64
	Data        json.RawMessage
}

// parseProgress validates a scene's progress post.
func parseProgress(raw []byte) (progressInput, error) {
	fields, err := object(raw, "the body", "user_name", "level", "score", "time", "moves", "data")
	if err != nil {
		return progressInput{}, err
	}
	return progressFields(fields, "", false)
}

// progressFields validates a progress's members; prefix names them in
// messages (a multiplayer score's "scores[i]."), and multiplayer asks
// for an address and a name.
func progressFields(fields map[string]json.RawMessage, prefix string, multiplayer bool) (progressInput, error) {
	var in progressInput
	var err error
	if multiplayer {
		raw, ok := fields["user_address"]
		if !ok {
			return in, errf("%q is required", prefix+"user_address")
		}
		var a string
		if json.Unmarshal(raw, &a) != nil || !authchain.IsAddress(a) {
			return in, errf("%q must be an address (0x and 40 hex digits)", prefix+"user_address")
		}
		in.UserAddress = strings.ToLower(a)
	}
	if raw, ok := fields["user_name"]; ok {
		if in.UserName, err = text(raw, prefix+"user_name", maxUserName); err != nil {
			return in, err
		}
	} else if multiplayer {
		return in, errf("%q is required", prefix+"user_name")
	}
	raw, ok := fields["level"]
	if !ok {
		return in, errf("%q is required", prefix+"level")
	}
	if in.Level, err = integer(raw, prefix+"level", 1, maxMetric); err != nil {
		return in, err
	}
	for _, m := range []struct {
		name string
		into **float64
	}{{"score", &in.Score}, {"time", &in.Time}, {"moves", &in.Moves}} {
		raw, ok := fields[m.name]
		if !ok {
			continue
		}
		f, err := number(raw, prefix+m.name)
		if err != nil {
			return in, err
		}
		if math.Abs(f) > maxMetric {
			return in, errf("%q must be between %d and %d", prefix+m.name, -maxMetric, maxMetric)
		}
		*m.into = &f
	}
	if raw, ok := fields["data"]; ok {
		if in.Data, err = dataObject(raw, prefix+"data"); err != nil {
			return in, err
		}
	}
	return in, nil
}

// multiplayerInput is a validated multiplayer post: {game_id, scores:[…]}.
type multiplayerInput struct {
	GameID string
	Scores []progressInput
}

func parseMultiplayer(raw []byte) (multiplayerInput, error) {
	var in multiplayerInput
	fields, err := object(raw, "the body", "game_id", "scores")
	if err != nil {
		return in, err
	}
	if _, ok := fields["game_id"]; !ok {
		return in, errf(`"game_id" is required`)
	}
	id, err := text(fields["game_id"], "game_id", 64)
	if err != nil {
		return in, err
	}
	if in.GameID = uuid(id); in.GameID == "" {
		return in, errf(`"game_id" must be a valid GUID`)
	}
	var scores []json.RawMessage
	if s, ok := fields["scores"]; !ok || isNull(s) || json.Unmarshal(s, &scores) != nil {
		return in, errf(`"scores" must be an array`)
	}
	if len(scores) == 0 {
		return in, errf(`"scores" must contain at least 1 items`)
	}
	if len(scores) > MaxMultiplayerScores {
		return in, errf(`"scores" must contain less than or equal to %d items`, MaxMultiplayerScores)
	}
	for i, s := range scores {
		prefix := fmt.Sprintf("scores[%d].", i)
		f, err := object(s, `"`+prefix[:len(prefix)-1]+`"`, "user_address", "user_name", "level", "score", "time", "moves", "data")
		if err != nil {
			return in, err
		}
		p, err := progressFields(f, prefix, true)
		if err != nil {
			return in, err
		}
		in.Scores = append(in.Scores, p)
	}
	return in, nil
}

// parcel parses "x,y" (spaces around either number allowed).
func parcel(s string) (x, y int, ok bool) {
	a, b, found := strings.Cut(s, ",")
	if !found {
		return 0, 0, false
	}
	x, err1 := strconv.Atoi(strings.TrimSpace(a))
	y, err2 := strconv.Atoi(strings.TrimSpace(b))
	return x, y, err1 == nil && err2 == nil
}

// gameInput is a validated game: the original's {name, x, y} and the
// node's parcels.
type gameInput struct {
	Name    string
	Parcels []string // the base first
}

func parseGame(raw []byte) (gameInput, error) {
	var in gameInput
	fields, err := object(raw, "the body", "name", "x", "y", "parcels")
	if err != nil {
		return in, err
	}
	for _, k := range []string{"name", "x", "y"} {
		if _, ok := fields[k]; !ok {
			return in, errf("%q is required", k)
		}
	}
	if in.Name, err = text(fields["name"], "name", 256); err != nil {
		return in, err
	}
	x, err := integer(fields["x"], "x", -coordMax, coordMax)
	if err != nil {
		return in, err
	}
	y, err := integer(fields["y"], "y", -coordMax, coordMax)
	if err != nil {
		return in, err
	}
	in.Parcels = []string{fmt.Sprintf("%d,%d", x, y)}
	if raw, ok := fields["parcels"]; ok {
		var list []string
		if json.Unmarshal(raw, &list) != nil || isNull(raw) {
			return in, errf(`"parcels" must be an array of "x,y" strings`)
		}
		if len(list) > maxGameParcels {
			return in, errf(`"parcels" must contain less than or equal to %d items`, maxGameParcels)
		}
		for i, p := range list {
			px, py, ok := parcel(p)
			if !ok || px < -coordMax || px > coordMax || py < -coordMax || py > coordMax {
				return in, errf(`"parcels[%d]" must be "x,y" with x and y in %d..%d`, i, -coordMax, coordMax)
			}
			if p := fmt.Sprintf("%d,%d", px, py); !slices.Contains(in.Parcels, p) {
				in.Parcels = append(in.Parcels, p)
			}
		}
	}
	return in, nil
}

// challengeInput is a validated challenge: {description, gameId,
// missionId, targetLevel ≥ 1, data?}.
type challengeInput struct {
	Description string
	GameID      string
	MissionID   string
	TargetLevel int64
	Data        json.RawMessage
}

func parseChallenge(raw []byte) (challengeInput, error) {
	var in challengeInput
	fields, err := object(raw, "the body", "description", "gameId", "missionId", "targetLevel", "data")
	if err != nil {
		return in, err
	}
	for _, k := range []string{"description", "targetLevel", "missionId", "gameId"} {
		if _, ok := fields[k]; !ok {
			return in, errf("%q is required", k)
		}
	}
	if in.Description, err = text(fields["description"], "description", maxText); err != nil {
		return in, err
	}
	if in.TargetLevel, err = integer(fields["targetLevel"], "targetLevel", 1, maxMetric); err != nil {
		return in, err
	}
	for _, f := range []struct {
		name string
		into *string
	}{{"missionId", &in.MissionID}, {"gameId", &in.GameID}} {
		s, err := text(fields[f.name], f.name, 64)
		if err != nil {
			return in, err
		}
		if *f.into = uuid(s); *f.into == "" {
			return in, errf("%q must be a valid GUID", f.name)
		}
	}
	if raw, ok := fields["data"]; ok {
		if in.Data, err = dataObject(raw, "data"); err != nil {
			return in, err
		}
	}
	return in, nil
}

// missionInput is a validated mission: {description, campaign_key, type,
// thumb_url}.
type missionInput struct {
	Description, CampaignKey, Type, ThumbURL string
}

func parseMission(raw []byte) (missionInput, error) {
	var in missionInput
	fields, err := object(raw, "the body", "description", "campaign_key", "type", "thumb_url")
	if err != nil {
		return in, err
	}
	for _, f := range []struct {
		name string
		into *string
		max  int
	}{{"description", &in.Description, maxText}, {"campaign_key", &in.CampaignKey, 256}, {"type", &in.Type, 64}, {"thumb_url", &in.ThumbURL, maxText}} {
		raw, ok := fields[f.name]
		if !ok {
			return in, errf("%q is required", f.name)
		}
		if *f.into, err = text(raw, f.name, f.max); err != nil {
			return in, err
		}
	}
	if in.Type != TypeMiniGames && in.Type != TypeFashionWeek {
		return in, errf(`"type" must be one of [%s, %s]`, TypeMiniGames, TypeFashionWeek)
	}
	return in, nil
}

// statusInput is a validated progress status change: {ids, disabled}.
type statusInput struct {
	IDs      []string
	Disabled bool
}

func parseStatus(raw []byte) (statusInput, error) {
	var in statusInput
	fields, err := object(raw, "the body", "ids", "disabled")
	if err != nil {
		return in, err
	}
	var ids []string
	if r, ok := fields["ids"]; !ok {
		return in, errf(`"ids" is required`)
	} else if isNull(r) || json.Unmarshal(r, &ids) != nil {
		return in, errf(`"ids" must be an array of GUIDs`)
	}
	if len(ids) > maxStatusIDs {
		return in, errf(`"ids" must contain less than or equal to %d items`, maxStatusIDs)
	}
	for i, id := range ids {
		u := uuid(id)
		if u == "" {
			return in, errf(`"ids[%d]" must be a valid GUID`, i)
		}
		in.IDs = append(in.IDs, u)
	}
	r, ok := fields["disabled"]
	if !ok {
		return in, errf(`"disabled" is required`)
	}
	if t := string(bytes.TrimSpace(r)); t != "true" && t != "false" {
		return in, errf(`"disabled" must be a boolean`)
	}
	in.Disabled = string(bytes.TrimSpace(r)) == "true"
	return in, nil
}
