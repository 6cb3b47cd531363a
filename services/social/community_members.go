package social

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
)

// memberView is a member or a banned user as answered: the row with the
// user's profile and, for a signed viewer, the friendship status.
func (s *Service) memberViews(ctx context.Context, viewer string, rows []map[string]any, addrs []string) []map[string]any {
	ps, _ := s.profiles(ctx, addrs)
	for i, row := range rows {
		fp := friendProfile(addrs[i], ps[addrs[i]])
		row["name"], row["hasClaimedName"], row["profilePictureUrl"] = fp.Name, fp.HasClaimedName, fp.ProfilePictureUrl
		if fp.NameColor != nil {
			row["nameColor"] = map[string]float32{"r": fp.NameColor.R, "g": fp.NameColor.G, "b": fp.NameColor.B}
		}
		st := statusOf(nil, viewer)
		if viewer != "" {
			if a, err := s.status(ctx, viewer, addrs[i]); err == nil {
				st = statusOf(a, viewer)
			}
		}
		row["friendshipStatus"] = st
	}
	return rows
}

// listMembers: GET /v1/communities/:id/members ?onlyOnline: a private
// community's only to its members.
func (s *Service) listMembers(w http.ResponseWriter, r *http.Request) {
	user, ok := s.maybeSigned(w, r)
	if !ok {
		return
	}
	c, role, ok := s.visible(w, r, user)
	if !ok {
		return
	}
	if c.Private && role == RoleNone && !httpx.BearerValid(s.cfg.AdminToken, r) {
		fail(w, http.StatusUnauthorized, "The user doesn't have permission to get community members")
		return
	}
	list, err := s.membersOf(r.Context(), c.ID)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if strings.EqualFold(r.URL.Query().Get("onlyOnline"), "true") {
		kept := list[:0]
		for _, m := range list {
			if s.isOnline(m.addr) {
				kept = append(kept, m)
			}
		}
		list = kept
	}
	p := pageOf(r)
	var rows []map[string]any
	var addrs []string
	for _, m := range cut(list, p) {
		rows = append(rows, map[string]any{"communityId": c.ID, "memberAddress": m.addr, "role": m.Role, "joinedAt": m.JoinedAt})
		addrs = append(addrs, m.addr)
	}
	if rows == nil {
		rows = []map[string]any{}
	}
	data(w, http.StatusOK, paged(s.memberViews(r.Context(), user, rows, addrs), len(list), p))
}

// memberChange runs a change of community id's memberships under the
// service's lock.
func (s *Service) memberChange(ctx context.Context, id string, fn func(t *store.KeyspaceTxn, c *community) error) (*community, error) {
	var c *community
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.update(ctx, func(t *store.KeyspaceTxn) error {
		var err error
		if c, err = txCommunity(t, id); err != nil {
			return err
		}
		if !c.Active {
			return errNotFound
		}
		return fn(t, c)
	})
	return c, err
}

// join admits addr as a member within the bounds (no pending request of
// theirs stays).
func (s *Service) join(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	_, err := s.memberChange(r.Context(), r.PathValue("id"), func(t *store.KeyspaceTxn, c *community) error {
		role, err := txRole(t, c.ID, user)
		if err != nil || role != RoleNone {
			return err // already a member: 204
		}
		if _, err := t.Get(banKey(c.ID, user)); err == nil {
			return refuse(http.StatusUnauthorized, "The user %s is banned from community %s", user, c.ID)
		}
		if c.Private {
			return refuse(http.StatusUnauthorized, "The community %s is private: send a request to join", c.ID)
		}
		return s.admitMember(t, c, user)
	})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// admitMember adds a member (role member) within the bounds and drops
// their pending requests of the community.
func (s *Service) admitMember(t *store.KeyspaceTxn, c *community, addr string) error {
	if c.Members >= s.lim.Members {
		s.guard.Hit("community_members")
		return refuse(http.StatusBadRequest, "The community has too many members (at most %d)", s.lim.Members)
	}
	if n, err := countPrefix(t, "mc/"+addr+"/", s.lim.Memberships); err != nil {
		return err
	} else if n >= s.lim.Memberships {
		s.guard.Hit("memberships")
		return refuse(http.StatusBadRequest, "The user belongs to too many communities (at most %d)", s.lim.Memberships)
	}
	if err := s.dropRequests(t, c.ID, addr); err != nil {
		return err
	}
	if err := s.addMember(t, c.ID, addr, RoleMember, s.cfg.Now().UnixMilli()); err != nil {
		return err
	}
	c.Members++
	return setJSON(t, communityKey(c.ID), c)
}

// dropRequests removes addr's pending requests of community id.
func (s *Service) dropRequests(t *store.KeyspaceTxn, id, addr string) error {
	var drop []request
	prefix := "crm/" + addr + "/"
	if err := t.Scan(prefix, func(name string, v []byte) error {
		if string(v) == id {
			drop = append(drop, request{ID: name[len(prefix):], CommunityID: id, Member: addr})
		}
		return nil
	}); err != nil {
		return err
	}
	for _, q := range drop {
		for _, k := range []string{requestKey(id, q.ID), requestIndex(q.ID), memberRequestKey(addr, q.ID)} {
			if err := t.Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// removeMember: DELETE /v1/communities/:id/members/:address: leaving
// (not the owner) or kicking (a role the kicker may act on).
func (s *Service) removeMember(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	target := strings.ToLower(r.PathValue("address"))
	if !isAddress(target) {
		fail(w, http.StatusBadRequest, "Invalid address %s", truncate(target, 64))
		return
	}
	removed := false
	c, err := s.memberChange(r.Context(), r.PathValue("id"), func(t *store.KeyspaceTxn, c *community) error {
		role, err := txRole(t, c.ID, target)
		if err != nil || role == RoleNone {
			return err // not a member: 204
		}
		if target == user {
			if role == RoleOwner {
				return refuse(http.StatusUnauthorized, "The owner cannot leave the community %s", c.ID)
			}
		} else {
			actor, err := txRole(t, c.ID, user)
			if err != nil {
				return err
			}
			if !canActOn(actor, role) {
				return refuse(http.StatusUnauthorized, "The user %s doesn't have permission to kick %s from community %s", user, target, c.ID)
			}
		}
		if err := removeMember(t, c.ID, target); err != nil {
			return err
		}
		removed = true
		c.Members--
		return setJSON(t, communityKey(c.ID), c)
	})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	if removed {
		now := s.cfg.Now().UnixMilli()
		if target == user {
			s.publish(r.Context(), "community", "community-member-left", c.ID+"-"+target+"-"+itoa(int(now)), map[string]any{"id": c.ID, "memberAddress": target})
		} else {
			s.publish(r.Context(), "community", "community-member-removed", c.ID+"-"+target+"-"+itoa(int(now)), map[string]any{
				"id": c.ID, "name": c.Name, "memberAddress": target, "thumbnailUrl": s.thumbOr(r, c)})
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// setRole: PATCH /v1/communities/:id/members/:address {role}.
func (s *Service) setRole(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	var body struct {
		Role Role `json:"role"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	if body.Role != RoleOwner && body.Role != RoleModerator && body.Role != RoleMember && body.Role != RoleNone {
		fail(w, http.StatusBadRequest, "role must be one of owner, moderator, member, none")
		return
	}
	target := strings.ToLower(r.PathValue("address"))
	if !isAddress(target) {
		fail(w, http.StatusBadRequest, "Invalid address %s", truncate(target, 64))
		return
	}
	_, err := s.memberChange(r.Context(), r.PathValue("id"), func(t *store.KeyspaceTxn, c *community) error {
		actor, err := txRole(t, c.ID, user)
		if err != nil {
			return err
		}
		cur, err := txRole(t, c.ID, target)
		if err != nil {
			return err
		}
		if target == user || !canSetRole(actor, cur, body.Role) {
			return refuse(http.StatusUnauthorized, "The user %s doesn't have permission to assign roles in community %s", user, c.ID)
		}
		var m member
		if _, err := getJSON(t, memberKey(c.ID, target), &m); err != nil {
			return err
		}
		m.Role = body.Role
		if err := setJSON(t, memberKey(c.ID, target), m); err != nil {
			return err
		}
		return t.Set(membershipKey(target, c.ID), []byte(body.Role))
	})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listBans: GET /v1/communities/:id/bans (ban_players).
func (s *Service) listBans(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	c, role, ok := s.visible(w, r, user)
	if !ok {
		return
	}
	if !can(role, "ban_players") {
		fail(w, http.StatusUnauthorized, "The user %s doesn't have permission to get banned members from the community", user)
		return
	}
	type entry struct {
		addr string
		ban
	}
	var list []entry
	prefix := "cb/" + c.ID + "/"
	err := s.ks.Scan(r.Context(), prefix, func(name string, v []byte) error {
		var b ban
		if json.Unmarshal(v, &b) == nil {
			list = append(list, entry{name[len(prefix):], b})
		}
		return nil
	})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].BannedAt > list[j].BannedAt })
	p := pageOf(r)
	rows, addrs := []map[string]any{}, []string{}
	for _, e := range cut(list, p) {
		rows = append(rows, map[string]any{"communityId": c.ID, "memberAddress": e.addr, "bannedAt": e.BannedAt, "bannedBy": e.BannedBy})
		addrs = append(addrs, e.addr)
	}
	data(w, http.StatusOK, paged(s.memberViews(r.Context(), user, rows, addrs), len(list), p))
}

// banMember: POST …/members/:address/bans: removes the member (and their
// pending requests) and keeps them out.
func (s *Service) banMember(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	target := strings.ToLower(r.PathValue("address"))
	if !isAddress(target) {
		fail(w, http.StatusBadRequest, "Invalid address %s", truncate(target, 64))
		return
	}
	wasMember := false
	c, err := s.memberChange(r.Context(), r.PathValue("id"), func(t *store.KeyspaceTxn, c *community) error {
		actor, err := txRole(t, c.ID, user)
		if err != nil {
			return err
		}
		role, err := txRole(t, c.ID, target)
		if err != nil {
			return err
		}
		if target == user || !canBan(actor, role) {
			return refuse(http.StatusUnauthorized, "The user %s doesn't have permission to ban %s from community %s", user, target, c.ID)
		}
		if _, err := t.Get(banKey(c.ID, target)); err == nil {
			return nil
		}
		if n, err := countPrefix(t, "cb/"+c.ID+"/", s.lim.Members); err != nil {
			return err
		} else if n >= s.lim.Members {
			s.guard.Hit("community_bans")
			return refuse(http.StatusBadRequest, "The community has too many bans (at most %d)", s.lim.Members)
		}
		if err := s.dropRequests(t, c.ID, target); err != nil {
			return err
		}
		if err := setJSON(t, banKey(c.ID, target), ban{BannedAt: s.cfg.Now().UnixMilli(), BannedBy: user}); err != nil {
			return err
		}
		if role == RoleNone {
			return nil
		}
		wasMember = true
		if err := removeMember(t, c.ID, target); err != nil {
			return err
		}
		c.Members--
		return setJSON(t, communityKey(c.ID), c)
	})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	if wasMember {
		s.publish(r.Context(), "community", "community-member-banned", c.ID+"-"+target, map[string]any{
			"id": c.ID, "name": c.Name, "memberAddress": target, "thumbnailUrl": s.thumbOr(r, c)})
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Service) unbanMember(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	target := strings.ToLower(r.PathValue("address"))
	if !isAddress(target) {
		fail(w, http.StatusBadRequest, "Invalid address %s", truncate(target, 64))
		return
	}
	_, err := s.memberChange(r.Context(), r.PathValue("id"), func(t *store.KeyspaceTxn, c *community) error {
		actor, err := txRole(t, c.ID, user)
		if err != nil {
			return err
		}
		role, err := txRole(t, c.ID, target)
		if err != nil {
			return err
		}
		if !canBan(actor, role) {
			return refuse(http.StatusUnauthorized, "The user %s doesn't have permission to unban %s from community %s", user, target, c.ID)
		}
		return t.Delete(banKey(c.ID, target))
	})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// memberCommunities: GET /v1/members/:address/communities: all of the
// signer's own, only the public and listed ones of anyone else.
func (s *Service) memberCommunities(w http.ResponseWriter, r *http.Request) {
	user, ok := s.maybeSigned(w, r)
	if !ok {
		return
	}
	addr := strings.ToLower(r.PathValue("address"))
	if !isAddress(addr) {
		fail(w, http.StatusBadRequest, "Invalid address %s", truncate(addr, 64))
		return
	}
	ms, err := s.membershipsOf(r.Context(), addr)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	type entry struct {
		c    *community
		role Role
	}
	var list []entry
	for id, role := range ms {
		c, err := s.getCommunity(r.Context(), id)
		if err != nil || !c.Active || (user != addr && (c.Private || c.Unlisted)) {
			continue
		}
		list = append(list, entry{c, role})
	}
	sort.SliceStable(list, func(i, j int) bool {
		if roleOrder[list[i].role] != roleOrder[list[j].role] {
			return roleOrder[list[i].role] < roleOrder[list[j].role]
		}
		return list[i].c.Name < list[j].c.Name
	})
	p := pageOf(r)
	results := []map[string]any{}
	for _, e := range cut(list, p) {
		m := map[string]any{"id": e.c.ID, "name": e.c.Name, "ownerAddress": e.c.Owner, "active": e.c.Active, "role": e.role}
		if t := s.thumbnailURL(r, e.c); t != nil {
			m["thumbnails"] = t
		}
		results = append(results, m)
	}
	data(w, http.StatusOK, paged(results, len(list), p))
}
