package social

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"golang.org/x/time/rate"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// Action is a friendship action (src/types/entities.ts Action).
type Action string

// The friendship actions.
const (
	ActRequest Action = "request"
	ActCancel  Action = "cancel"
	ActAccept  Action = "accept"
	ActReject  Action = "reject"
	ActDelete  Action = "delete"
	ActBlock   Action = "block"
)

// transitions is FRIENDSHIP_ACTION_TRANSITIONS (src/logic/friends/
// friendships.ts): [to] ← the last actions it may follow ("" for none).
var transitions = map[Action][]Action{
	ActRequest: {ActCancel, ActReject, ActDelete, ""},
	ActAccept:  {ActRequest},
	ActCancel:  {ActRequest},
	ActReject:  {ActRequest},
	ActDelete:  {ActAccept, ActBlock},
	ActBlock:   {ActRequest, ActCancel, ActReject, ActDelete, ActAccept, ""},
}

// lastAction is a friendship's latest action (the only row of the
// original's friendship_actions any query reads).
type lastAction struct {
	ID      string `json:"id"`
	Action  Action `json:"action"`
	Acting  string `json:"acting"`
	Message string `json:"message,omitempty"`
	TS      int64  `json:"ts"`
}

// friendship is one pair's record, kept under f/<lower>/<higher>.
type friendship struct {
	ID        string      `json:"id"`
	Requester string      `json:"requester"`
	Requested string      `json:"requested"`
	Active    bool        `json:"active"`
	CreatedAt int64       `json:"createdAt"`
	UpdatedAt int64       `json:"updatedAt"`
	Last      *lastAction `json:"last,omitempty"`
}

// validAction is validateNewFriendshipAction: the transition table, then
// who may act (isUserActionValid): nobody requests themself, the user who
// acted last may not accept or reject, the other one may not cancel.
func validAction(acting, target string, act Action, last *lastAction) bool {
	from := Action("")
	if last != nil {
		from = last.Action
	}
	ok := false
	for _, a := range transitions[act] {
		if a == from {
			ok = true
		}
	}
	if !ok {
		return false
	}
	if last == nil {
		return !(act == ActRequest && acting == target)
	}
	if last.Acting == acting {
		return act != ActAccept && act != ActReject
	}
	return act != ActCancel
}

// Keys of the friendship part of the keyspace.
func pairKey(a, b string) string {
	if a > b {
		a, b = b, a
	}
	return "f/" + a + "/" + b
}
func friendKey(me, other string) string    { return "fr/" + me + "/" + other }
func inKey(me, other string) string        { return "rq/" + me + "/in/" + other }
func outKey(me, other string) string       { return "rq/" + me + "/out/" + other }
func blockKey(me, other string) string     { return "bl/" + me + "/" + other }
func blockedByKey(me, other string) string { return "by/" + me + "/" + other }
func settingsKey(me string) string         { return "set/" + me }

// pending is a friendship request as indexed for its two users.
type pending struct {
	ID      string `json:"id"`
	TS      int64  `json:"ts"`
	Message string `json:"message,omitempty"`
}

// Errors of friendship changes, with the text the RPC returns.
var (
	errInvalidAction = errors.New("Invalid friendship action")
	errBlocked       = errors.New("Blocked user")
	errRate          = errors.New("Too many friendship actions: try again in a minute")
)

// requestError is an invalid request (InvalidRequest in the RPC).
type requestError struct{ msg string }

func (e *requestError) Error() string { return e.msg }

func invalid(format string, a ...any) error { return &requestError{fmt.Sprintf(format, a...)} }

// actionError is a refused friendship action with its reason
// (InvalidFriendshipAction in the RPC).
type actionError struct{ msg string }

func (e *actionError) Error() string { return e.msg }

type actionRate struct {
	lim  *rate.Limiter
	last time.Time
}

// allowAction spends one of the actor's friendship and block changes.
func (s *Service) allowAction(actor string) bool {
	if s.lim.ActionsPerMinute <= 0 {
		return true
	}
	now := s.cfg.Now()
	s.rateMu.Lock()
	defer s.rateMu.Unlock()
	if len(s.rates) > 100000 {
		for k, r := range s.rates {
			if now.Sub(r.last) > time.Minute {
				delete(s.rates, k)
			}
		}
	}
	r := s.rates[actor]
	if r == nil {
		r = &actionRate{lim: rate.NewLimiter(rate.Limit(float64(s.lim.ActionsPerMinute)/60), s.lim.ActionsPerMinute)}
		s.rates[actor] = r
	}
	r.last = now
	return r.lim.AllowN(now, 1)
}

func getJSON(t *store.KeyspaceTxn, key string, v any) (bool, error) {
	b, err := t.Get(key)
	if notFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal(b, v)
}

func setJSON(t *store.KeyspaceTxn, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return t.Set(key, b)
}

// countPrefix counts keys under prefix, stopping past max.
func countPrefix(t *store.KeyspaceTxn, prefix string, max int) (int, error) {
	n := 0
	stop := errors.New("stop")
	err := t.Scan(prefix, func(string, []byte) error {
		if n++; n > max {
			return stop
		}
		return nil
	})
	if errors.Is(err, stop) {
		err = nil
	}
	return n, err
}

// upsertResult is what an accepted friendship action answers.
type upsertResult struct {
	f        friendship
	action   lastAction
	receiver *profile
}

// upsertFriendship applies a friendship action of me on other
// (friends.upsertFriendship): rate, blocks, the state machine, the
// profiles and the per-user bounds are checked before anything is
// written; then the other user's subscriptions and the bus are told.
func (s *Service) upsertFriendship(ctx context.Context, me, other string, act Action, message string) (*upsertResult, error) {
	if !s.allowAction(me) {
		s.guard.Hit("friendship_actions")
		return nil, errRate
	}
	var sender, receiver *profile
	if act == ActRequest || act == ActAccept {
		ps, err := s.profiles(ctx, []string{me, other})
		if err != nil {
			return nil, err
		}
		if sender, receiver = ps[me], ps[other]; sender == nil || receiver == nil {
			missing := me
			if sender != nil {
				missing = other
			}
			return nil, invalid("Profile not found for %s", missing)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now().UnixMilli()
	var res upsertResult
	err := s.update(ctx, func(t *store.KeyspaceTxn) error {
		for _, k := range []string{blockKey(me, other), blockKey(other, me)} {
			if _, err := t.Get(k); err == nil {
				return errBlocked
			} else if !notFound(err) {
				return err
			}
		}
		var f friendship
		exists, err := getJSON(t, pairKey(me, other), &f)
		if err != nil {
			return err
		}
		var last *lastAction
		if exists {
			last = f.Last
		}
		if !validAction(me, other, act, last) {
			return errInvalidAction
		}
		switch act {
		case ActRequest:
			if n, err := countPrefix(t, "rq/"+me+"/out/", s.lim.PendingSent); err != nil {
				return err
			} else if n >= s.lim.PendingSent {
				s.guard.Hit("pending_sent")
				return &actionError{fmt.Sprintf("Too many pending friendship requests sent (at most %d)", s.lim.PendingSent)}
			}
			if n, err := countPrefix(t, "rq/"+other+"/in/", s.lim.PendingReceived); err != nil {
				return err
			} else if n >= s.lim.PendingReceived {
				s.guard.Hit("pending_received")
				return &actionError{fmt.Sprintf("The user has too many pending friendship requests (at most %d)", s.lim.PendingReceived)}
			}
		case ActAccept:
			for _, u := range []string{me, other} {
				if n, err := countPrefix(t, "fr/"+u+"/", s.lim.Friends); err != nil {
					return err
				} else if n >= s.lim.Friends {
					s.guard.Hit("friends")
					return &actionError{fmt.Sprintf("Too many friends (at most %d)", s.lim.Friends)}
				}
			}
		}
		if !exists {
			f = friendship{ID: httpx.UUID(), Requester: me, Requested: other, CreatedAt: now}
		}
		f.UpdatedAt = now
		f.Active = act == ActAccept
		a := lastAction{ID: httpx.UUID(), Action: act, Acting: me, Message: message, TS: now}
		f.Last = &a
		if err := setJSON(t, pairKey(me, other), &f); err != nil {
			return err
		}
		for _, k := range []string{inKey(me, other), inKey(other, me), outKey(me, other), outKey(other, me)} {
			if err := t.Delete(k); err != nil {
				return err
			}
		}
		switch act {
		case ActRequest:
			p := pending{ID: a.ID, TS: now, Message: message}
			if err := setJSON(t, outKey(me, other), &p); err != nil {
				return err
			}
			if err := setJSON(t, inKey(other, me), &p); err != nil {
				return err
			}
		case ActAccept:
			v := []byte(fmt.Sprint(f.CreatedAt))
			if err := t.Set(friendKey(me, other), v); err != nil {
				return err
			}
			if err := t.Set(friendKey(other, me), v); err != nil {
				return err
			}
		default:
			if err := t.Delete(friendKey(me, other)); err != nil {
				return err
			}
			if err := t.Delete(friendKey(other, me)); err != nil {
				return err
			}
		}
		res = upsertResult{f: f, action: a, receiver: receiver}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.friendshipChanged(ctx, me, other, res.action, sender, receiver)
	return &res, nil
}

// friendshipChanged tells the other user's subscriptions (friendship
// updates; on an accept both users' connectivity, as the original's
// friendshipAcceptedUpdateHandler does) and the bus.
func (s *Service) friendshipChanged(ctx context.Context, me, other string, a lastAction, sender, receiver *profile) {
	s.sendFriendshipUpdate(other, friendshipUpdate(me, a, sender))
	if a.Action == ActAccept {
		if s.isOnline(me) {
			s.sendConnectivity(other, me, sender, true)
		}
		if s.isOnline(other) {
			s.sendConnectivity(me, other, receiver, true)
		}
	}
	if a.Action == ActRequest || a.Action == ActAccept {
		s.publishFriendship(ctx, a, me, other, sender, receiver)
	}
}

// listEntry is one user of a list with its sort key.
type listEntry struct {
	addr string
	ts   int64
	p    pending
}

// scanAddrs lists the addresses under prefix (the last key segment) and
// their values.
func (s *Service) scanAddrs(ctx context.Context, prefix string, max int) ([]listEntry, error) {
	var out []listEntry
	err := s.ks.Scan(ctx, prefix, func(name string, v []byte) error {
		if len(out) >= max {
			return nil
		}
		e := listEntry{addr: name[len(prefix):]}
		if len(v) > 0 && v[0] == '{' {
			json.Unmarshal(v, &e.p)
			e.ts = e.p.TS
		} else {
			fmt.Sscan(string(v), &e.ts)
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// page is a normalised pagination (normalizePagination).
type page struct{ limit, offset int }

const maxOffset = 100_000

func normPage(limit, offset int32, def, max int) page {
	p := page{limit: def}
	if limit > 0 {
		p.limit = min(int(limit), max)
	}
	if offset > 0 {
		p.offset = min(int(offset), maxOffset)
	}
	return p
}

// number is getPage: the 1-based page of the offset.
func (p page) number() int32 { return int32((p.offset+p.limit-1)/p.limit + 1) }

func cut[T any](list []T, p page) []T {
	if p.offset >= len(list) {
		return nil
	}
	return list[p.offset:min(len(list), p.offset+p.limit)]
}

// withProfiles keeps the entries whose user has a profile.
func (s *Service) withProfiles(ctx context.Context, list []listEntry) ([]listEntry, map[string]*profile, error) {
	addrs := make([]string, len(list))
	for i, e := range list {
		addrs[i] = e.addr
	}
	ps, err := s.profiles(ctx, addrs)
	if err != nil {
		return nil, nil, err
	}
	kept := list[:0]
	for _, e := range list {
		if ps[e.addr] != nil {
			kept = append(kept, e)
		}
	}
	return kept, ps, nil
}

// friendsOf lists the friends of me with a profile, newest friendship
// first.
func (s *Service) friendsOf(ctx context.Context, me string) ([]listEntry, map[string]*profile, error) {
	list, err := s.scanAddrs(ctx, "fr/"+me+"/", s.lim.Friends)
	if err != nil {
		return nil, nil, err
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].ts > list[j].ts })
	return s.withProfiles(ctx, list)
}

// requestsOf lists the pending requests received (in) or sent (out),
// newest first, of users with a profile.
func (s *Service) requestsOf(ctx context.Context, me, dir string) ([]listEntry, map[string]*profile, error) {
	max := s.lim.PendingReceived
	if dir == "out" {
		max = s.lim.PendingSent
	}
	list, err := s.scanAddrs(ctx, "rq/"+me+"/"+dir+"/", max)
	if err != nil {
		return nil, nil, err
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].ts > list[j].ts })
	return s.withProfiles(ctx, list)
}

// isFriend reports an active friendship.
func (s *Service) isFriend(ctx context.Context, a, b string) (bool, error) {
	_, err := s.ks.Get(ctx, friendKey(a, b))
	if notFound(err) {
		return false, nil
	}
	return err == nil, err
}

// status is the last action between me and other (a block when they have
// no friendship record), or nil.
func (s *Service) status(ctx context.Context, me, other string) (*lastAction, error) {
	b, err := s.ks.Get(ctx, pairKey(me, other))
	if err == nil {
		var f friendship
		if err := json.Unmarshal(b, &f); err != nil {
			return nil, err
		}
		return f.Last, nil
	}
	if !notFound(err) {
		return nil, err
	}
	for _, pair := range [][2]string{{me, other}, {other, me}} {
		v, err := s.ks.Get(ctx, blockKey(pair[0], pair[1]))
		if err == nil {
			var ts int64
			fmt.Sscan(string(v), &ts)
			return &lastAction{Action: ActBlock, Acting: pair[0], TS: ts}, nil
		}
		if !notFound(err) {
			return nil, err
		}
	}
	return nil, nil
}

// block makes me block other (friends.blockUser): the block is kept (its
// first time when repeated), a friendship ends with a block action.
func (s *Service) block(ctx context.Context, me, other string) (blockedAt int64, err error) {
	if !s.allowAction(me) {
		s.guard.Hit("friendship_actions")
		return 0, errRate
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now().UnixMilli()
	var had bool
	var a lastAction
	err = s.update(ctx, func(t *store.KeyspaceTxn) error {
		had = false
		v, err := t.Get(blockKey(me, other))
		switch {
		case err == nil:
			fmt.Sscan(string(v), &blockedAt)
		case notFound(err):
			if n, err := countPrefix(t, "bl/"+me+"/", s.lim.Blocks); err != nil {
				return err
			} else if n >= s.lim.Blocks {
				s.guard.Hit("blocks")
				return invalid("Too many blocked users (at most %d)", s.lim.Blocks)
			}
			blockedAt = now
			ts := []byte(fmt.Sprint(now))
			if err := t.Set(blockKey(me, other), ts); err != nil {
				return err
			}
			if err := t.Set(blockedByKey(other, me), ts); err != nil {
				return err
			}
		default:
			return err
		}
		var f friendship
		exists, err := getJSON(t, pairKey(me, other), &f)
		if err != nil || !exists {
			return err
		}
		if f.Last != nil && f.Last.Action == ActBlock && f.Last.Acting == me {
			return nil // blocked again: nothing changes
		}
		had = true
		a = lastAction{ID: httpx.UUID(), Action: ActBlock, Acting: me, TS: now}
		f.Active, f.UpdatedAt, f.Last = false, now, &a
		if err := setJSON(t, pairKey(me, other), &f); err != nil {
			return err
		}
		for _, k := range []string{friendKey(me, other), friendKey(other, me), inKey(me, other), inKey(other, me), outKey(me, other), outKey(other, me)} {
			if err := t.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if had {
		s.sendFriendshipUpdate(other, friendshipUpdate(me, a, nil))
	}
	s.sendBlockUpdate(other, me, true)
	return blockedAt, nil
}

// unblock lifts me's block on other (friends.unblockUser): a friendship
// record gets a delete action.
func (s *Service) unblock(ctx context.Context, me, other string) error {
	if !s.allowAction(me) {
		s.guard.Hit("friendship_actions")
		return errRate
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now().UnixMilli()
	var had bool
	var a lastAction
	err := s.update(ctx, func(t *store.KeyspaceTxn) error {
		had = false
		if _, err := t.Get(blockKey(me, other)); notFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		if err := t.Delete(blockKey(me, other)); err != nil {
			return err
		}
		if err := t.Delete(blockedByKey(other, me)); err != nil {
			return err
		}
		var f friendship
		exists, err := getJSON(t, pairKey(me, other), &f)
		if err != nil || !exists {
			return err
		}
		had = true
		a = lastAction{ID: httpx.UUID(), Action: ActDelete, Acting: me, TS: now}
		f.Active, f.UpdatedAt, f.Last = false, now, &a
		return setJSON(t, pairKey(me, other), &f)
	})
	if err != nil {
		return err
	}
	if had {
		s.sendFriendshipUpdate(other, friendshipUpdate(me, a, nil))
	}
	s.sendBlockUpdate(other, me, false)
	return nil
}

// blocksOf lists the users me blocked ("bl") or who blocked me ("by").
func (s *Service) blocksOf(ctx context.Context, me, dir string) ([]listEntry, error) {
	list, err := s.scanAddrs(ctx, dir+"/"+me+"/", max(s.lim.Blocks, 10000))
	if err != nil {
		return nil, err
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].ts > list[j].ts })
	return list, nil
}

// isAddress is EthAddress.validate: 0x and 40 hex digits, any case.
func isAddress(s string) bool { return authchain.IsAddress(s) }
