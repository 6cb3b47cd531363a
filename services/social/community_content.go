package social

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
)

// The kinds and outcomes of community requests (CommunityRequestType,
// CommunityRequestStatus).
const (
	reqInvite    = "invite"
	reqJoin      = "request_to_join"
	reqPending   = "pending"
	reqAccepted  = "accepted"
	reqRejected  = "rejected"
	reqCancelled = "cancelled"
)

// createRequest: POST /v1/communities/:id/requests {targetedAddress,
// type} (requests.ts createCommunityRequest): a request to join a
// private community by the user themself, or an invite by someone with
// invite_users; a request of the opposite kind already pending makes the
// user a member at once; a duplicate answers the pending one.
func (s *Service) createRequest(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	var body struct {
		TargetedAddress string `json:"targetedAddress"`
		Type            string `json:"type"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	target := strings.ToLower(body.TargetedAddress)
	if !isAddress(target) {
		fail(w, http.StatusBadRequest, "Invalid targeted address")
		return
	}
	if body.Type != reqInvite && body.Type != reqJoin {
		fail(w, http.StatusBadRequest, "Invalid type value")
		return
	}
	var out request
	joined := false
	c, err := s.memberChange(r.Context(), r.PathValue("id"), func(t *store.KeyspaceTxn, c *community) error {
		if !c.Private && body.Type == reqJoin {
			return refuse(http.StatusBadRequest, "Public communities do not accept requests to join")
		}
		role, err := txRole(t, c.ID, target)
		if err != nil {
			return err
		}
		if role != RoleNone {
			return refuse(http.StatusBadRequest, "User cannot join since it is already a member of the community: %s (%s)", c.Name, c.ID)
		}
		if body.Type == reqInvite {
			actor, err := txRole(t, c.ID, user)
			if err != nil {
				return err
			}
			if !can(actor, "invite_users") {
				return refuse(http.StatusUnauthorized, "The user %s doesn't have permission to invite users", user)
			}
		} else if target != user {
			return refuse(http.StatusBadRequest, "User trying to impersonate another user")
		}
		if _, err := t.Get(banKey(c.ID, target)); err == nil {
			return refuse(http.StatusUnauthorized, "The user %s is banned from community %s", target, c.ID)
		}
		var mine []request
		prefix := "crm/" + target + "/"
		var ids []string
		if err := t.Scan(prefix, func(name string, v []byte) error {
			if string(v) == c.ID {
				ids = append(ids, name[len(prefix):])
			}
			return nil
		}); err != nil {
			return err
		}
		for _, id := range ids {
			var q request
			if ok, err := getJSON(t, requestKey(c.ID, id), &q); err != nil {
				return err
			} else if ok {
				mine = append(mine, q)
			}
		}
		for _, q := range mine {
			if q.Type == body.Type {
				out = q
				return nil
			}
		}
		if len(mine) > 0 { // the opposite kind: accepted at once
			if err := s.admitMember(t, c, target); err != nil {
				return err
			}
			out = mine[0]
			out.Type, out.Status = body.Type, reqAccepted
			joined = true
			return nil
		}
		if n, err := countPrefix(t, "cr/"+c.ID+"/", s.lim.PendingRequests); err != nil {
			return err
		} else if n >= s.lim.PendingRequests {
			s.guard.Hit("community_requests")
			return refuse(http.StatusBadRequest, "The community has too many pending requests (at most %d)", s.lim.PendingRequests)
		}
		if n, err := countPrefix(t, "crm/"+target+"/", s.lim.Memberships); err != nil {
			return err
		} else if n >= s.lim.Memberships {
			s.guard.Hit("member_requests")
			return refuse(http.StatusBadRequest, "The user has too many pending requests (at most %d)", s.lim.Memberships)
		}
		out = request{ID: httpx.UUID(), CommunityID: c.ID, Member: target, Type: body.Type, Status: reqPending, CreatedAt: s.cfg.Now().UnixMilli()}
		if err := setJSON(t, requestKey(c.ID, out.ID), out); err != nil {
			return err
		}
		if err := t.Set(requestIndex(out.ID), []byte(c.ID)); err != nil {
			return err
		}
		return t.Set(memberRequestKey(target, out.ID), []byte(c.ID))
	})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	if joined || out.Status == reqPending {
		s.notifyRequest(r, c, out)
	}
	data(w, http.StatusOK, out)
}

// notifyRequest puts the request's event on the bus
// (notifyStakeholdersAboutRequest).
func (s *Service) notifyRequest(r *http.Request, c *community, q request) {
	thumb := s.thumbOr(r, c)
	switch {
	case q.Type == reqJoin && q.Status == reqPending:
		name := "Unknown"
		if p, _ := s.profileOf(r.Context(), q.Member); p != nil && p.Name != "" {
			name = p.Name
		}
		managers := []string{}
		if list, err := s.membersOf(r.Context(), c.ID); err == nil {
			for _, m := range list {
				if can(m.Role, "accept_requests") {
					managers = append(managers, m.addr)
				}
			}
		}
		s.publish(r.Context(), "community", "community-request-to-join-received", "community-request-to-join-received-"+c.ID+"-"+q.ID, map[string]any{
			"communityId": c.ID, "communityName": c.Name, "memberAddress": q.Member, "memberName": name, "thumbnailUrl": thumb, "addressesToNotify": managers})
	case q.Type == reqJoin && q.Status == reqAccepted:
		s.publish(r.Context(), "community", "community-request-to-join-accepted", "community-request-to-join-accepted-"+c.ID+"-"+q.ID, map[string]any{
			"communityId": c.ID, "communityName": c.Name, "memberAddress": q.Member, "thumbnailUrl": thumb})
	case q.Type == reqInvite && q.Status == reqPending:
		s.publish(r.Context(), "community", "community-invite-received", "community-invite-received-"+c.ID+"-"+q.ID, map[string]any{
			"communityId": c.ID, "communityName": c.Name, "memberAddress": q.Member, "thumbnailUrl": thumb})
	}
}

// updateRequest: PATCH /v1/communities/:id/requests/:requestId
// {intention}: an invite is accepted or rejected by the invited user and
// cancelled by a manager; a request to join is accepted or rejected by a
// manager and cancelled by the requester.
func (s *Service) updateRequest(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	var body struct {
		Intention string `json:"intention"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	if body.Intention != reqAccepted && body.Intention != reqRejected && body.Intention != reqCancelled {
		fail(w, http.StatusBadRequest, "intention must be accepted, rejected or cancelled")
		return
	}
	rid := r.PathValue("requestId")
	var q request
	c, err := s.memberChange(r.Context(), r.PathValue("id"), func(t *store.KeyspaceTxn, c *community) error {
		ok, err := getJSON(t, requestKey(c.ID, rid), &q)
		if err != nil {
			return err
		}
		if !ok {
			return refuse(http.StatusNotFound, "Community request not found: %s", truncate(rid, 64))
		}
		actor, err := txRole(t, c.ID, user)
		if err != nil {
			return err
		}
		manager := can(actor, "accept_requests") && can(actor, "reject_requests")
		if q.Type == reqInvite {
			if body.Intention == reqCancelled {
				if q.Member == user || !manager {
					return refuse(http.StatusUnauthorized, "Only a manager of the community can cancel an invite")
				}
			} else if q.Member != user {
				return refuse(http.StatusUnauthorized, "Only invited user can accept or reject invites")
			}
		} else {
			if body.Intention == reqCancelled {
				if q.Member != user {
					return refuse(http.StatusUnauthorized, "Only requesting user can cancel their request")
				}
			} else if q.Member == user {
				return refuse(http.StatusUnauthorized, "Requesting user cannot accept or reject their own request")
			} else if !manager {
				return refuse(http.StatusUnauthorized, "The user %s doesn't have permission to accept and reject requests", user)
			}
		}
		if body.Intention == reqAccepted {
			return s.admitMember(t, c, q.Member)
		}
		return s.dropRequests(t, c.ID, q.Member)
	})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	q.Status = body.Intention
	s.notifyRequest(r, c, q)
	w.WriteHeader(http.StatusNoContent)
}

// pendingRequests lists the requests under prefix (cr/<community>/ or, by
// index, a member's) of a type ("" any).
func (s *Service) requestsUnder(ctx context.Context, community, member, typ string) ([]request, error) {
	var out []request
	add := func(v []byte) {
		var q request
		if json.Unmarshal(v, &q) == nil && (typ == "" || q.Type == typ) {
			out = append(out, q)
		}
	}
	var err error
	if community != "" {
		err = s.ks.Scan(ctx, "cr/"+community+"/", func(_ string, v []byte) error { add(v); return nil })
	} else {
		prefix := "crm/" + member + "/"
		var keys []string
		err = s.ks.Scan(ctx, prefix, func(name string, v []byte) error {
			keys = append(keys, requestKey(string(v), name[len(prefix):]))
			return nil
		})
		for _, k := range keys {
			if v, e := s.ks.Get(ctx, k); e == nil {
				add(v)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt > out[j].CreatedAt })
	return out, err
}

func requestType(w http.ResponseWriter, r *http.Request) (string, bool) {
	typ := r.URL.Query().Get("type")
	if typ != "" && typ != reqInvite && typ != reqJoin {
		fail(w, http.StatusBadRequest, "type must be invite or request_to_join")
		return "", false
	}
	return typ, true
}

// communityRequests: GET /v1/communities/:id/requests ?type
// (view_requests).
func (s *Service) communityRequests(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	typ, ok := requestType(w, r)
	if !ok {
		return
	}
	c, role, ok := s.visible(w, r, user)
	if !ok {
		return
	}
	if !can(role, "view_requests") {
		fail(w, http.StatusUnauthorized, "The user %s doesn't have permission to view requests", user)
		return
	}
	list, err := s.requestsUnder(r.Context(), c.ID, "", typ)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	p := pageOf(r)
	rows, addrs := []map[string]any{}, []string{}
	for _, q := range cut(list, p) {
		rows = append(rows, map[string]any{"id": q.ID, "communityId": q.CommunityID, "memberAddress": q.Member, "type": q.Type, "status": q.Status})
		addrs = append(addrs, q.Member)
	}
	data(w, http.StatusOK, paged(s.memberViews(r.Context(), user, rows, addrs), len(list), p))
}

// memberRequests: GET /v1/members/:address/requests ?type: the signer's
// own pending invites and requests, with their communities.
func (s *Service) memberRequests(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	if strings.ToLower(r.PathValue("address")) != user {
		fail(w, http.StatusUnauthorized, "Only the member may read their requests")
		return
	}
	typ, ok := requestType(w, r)
	if !ok {
		return
	}
	list, err := s.requestsUnder(r.Context(), "", user, typ)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	p := pageOf(r)
	results := []map[string]any{}
	for _, q := range cut(list, p) {
		c, err := s.getCommunity(r.Context(), q.CommunityID)
		if err != nil {
			continue
		}
		v := s.view(r, c, s.ownerNames(r.Context(), []*community{c})[c.Owner], RoleNone, true)
		v["id"], v["communityId"], v["memberAddress"], v["type"], v["status"] = q.ID, c.ID, q.Member, q.Type, q.Status
		v["friends"] = s.friendsInCommunities(r.Context(), user, []*community{c})[c.ID]
		results = append(results, v)
	}
	data(w, http.StatusOK, paged(results, len(list), p))
}

// memberInvites: GET /v1/members/:address/invites: the communities the
// signer may invite the address to (getCommunityInvites).
func (s *Service) memberInvites(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	invitee := strings.ToLower(r.PathValue("address"))
	if !isAddress(invitee) {
		fail(w, http.StatusBadRequest, "Invalid address %s", truncate(invitee, 64))
		return
	}
	mine, err := s.membershipsOf(r.Context(), user)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	theirs, err := s.membershipsOf(r.Context(), invitee)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	out := []map[string]any{}
	for id, role := range mine {
		if _, member := theirs[id]; member || !can(role, "invite_users") {
			continue
		}
		if c, err := s.getCommunity(r.Context(), id); err == nil && c.Active {
			out = append(out, map[string]any{"id": c.ID, "name": c.Name, "description": c.Description, "ownerAddress": c.Owner,
				"privacy": c.privacy(), "visibility": c.visibility(), "active": c.Active})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["name"].(string) < out[j]["name"].(string) })
	data(w, http.StatusOK, out)
}

// member reads a private community's content only for members.
func (s *Service) readable(w http.ResponseWriter, r *http.Request) (*community, Role, string, bool) {
	user, ok := s.maybeSigned(w, r)
	if !ok {
		return nil, "", "", false
	}
	c, role, ok := s.visible(w, r, user)
	if !ok {
		return nil, "", "", false
	}
	if c.Private && role == RoleNone {
		fail(w, http.StatusUnauthorized, "The user %s is not a member of private community %s", user, c.ID)
		return nil, "", "", false
	}
	return c, role, user, true
}

func (s *Service) listPlaces(w http.ResponseWriter, r *http.Request) {
	c, _, _, ok := s.readable(w, r)
	if !ok {
		return
	}
	type entry struct {
		id string
		place
	}
	var list []entry
	prefix := "cp/" + c.ID + "/"
	err := s.ks.Scan(r.Context(), prefix, func(name string, v []byte) error {
		var p place
		json.Unmarshal(v, &p)
		list = append(list, entry{name[len(prefix):], p})
		return nil
	})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].AddedAt > list[j].AddedAt })
	p := pageOf(r)
	results := []map[string]any{}
	for _, e := range cut(list, p) {
		results = append(results, map[string]any{"id": e.id})
	}
	data(w, http.StatusOK, paged(results, len(list), p))
}

// addPlaces: POST /v1/communities/:id/places {placeIds} (add_places; the
// places the signer may add).
func (s *Service) addPlaces(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	var body struct {
		PlaceIDs []string `json:"placeIds"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	if len(body.PlaceIDs) == 0 {
		fail(w, http.StatusBadRequest, "placeIds must have at least one place")
		return
	}
	if !validPlaceIDs(w, body.PlaceIDs) {
		return
	}
	places, err := s.ownedPlaces(r.Context(), body.PlaceIDs, user)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	_, err = s.memberChange(r.Context(), r.PathValue("id"), func(t *store.KeyspaceTxn, c *community) error {
		role, err := txRole(t, c.ID, user)
		if err != nil {
			return err
		}
		if !can(role, "add_places") {
			return refuse(http.StatusUnauthorized, "The user %s doesn't have permission to add places to the community", user)
		}
		n, err := countPrefix(t, "cp/"+c.ID+"/", s.lim.Places)
		if err != nil {
			return err
		}
		now := s.cfg.Now().UnixMilli()
		for _, pid := range places {
			if _, err := t.Get(placeKey(c.ID, pid)); err == nil {
				continue
			}
			if n >= s.lim.Places {
				s.guard.Hit("community_places")
				return refuse(http.StatusBadRequest, "The community has too many places (at most %d)", s.lim.Places)
			}
			n++
			if err := setJSON(t, placeKey(c.ID, pid), place{AddedBy: user, AddedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Service) removePlace(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	pid := r.PathValue("placeId")
	_, err := s.memberChange(r.Context(), r.PathValue("id"), func(t *store.KeyspaceTxn, c *community) error {
		role, err := txRole(t, c.ID, user)
		if err != nil {
			return err
		}
		if !can(role, "remove_places") {
			return refuse(http.StatusUnauthorized, "The user %s doesn't have permission to remove places from the community", user)
		}
		if _, err := t.Get(placeKey(c.ID, pid)); notFound(err) {
			return refuse(http.StatusNotFound, "Place %s not found in community %s", truncate(pid, 64), c.ID)
		}
		return t.Delete(placeKey(c.ID, pid))
	})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listPosts: GET /v1/communities/:id/posts → {data:{posts, total}},
// newest first, limit ≤ 100.
func (s *Service) listPosts(w http.ResponseWriter, r *http.Request) {
	c, _, user, ok := s.readable(w, r)
	if !ok {
		return
	}
	var list []post
	err := s.ks.Scan(r.Context(), "po/"+c.ID+"/", func(_ string, v []byte) error {
		var p post
		if json.Unmarshal(v, &p) == nil {
			list = append(list, p)
		}
		return nil
	})
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].CreatedAt > list[j].CreatedAt })
	p := normPage(0, 0, 20, 100)
	pg := pageOf(r)
	if r.URL.Query().Get("limit") != "" {
		p.limit = pg.limit
	}
	p.offset = pg.offset
	pageList := cut(list, p)
	addrs := make([]string, len(pageList))
	for i, q := range pageList {
		addrs[i] = q.Author
	}
	ps, _ := s.profiles(r.Context(), addrs)
	posts := []map[string]any{}
	for _, q := range pageList {
		likes := 0
		liked := false
		s.ks.Scan(r.Context(), "pl/"+q.ID+"/", func(name string, _ []byte) error {
			likes++
			liked = liked || name == likeKey(q.ID, user)
			return nil
		})
		fp := friendProfile(q.Author, ps[q.Author])
		name := fp.Name
		if ps[q.Author] == nil {
			name = q.Author
		}
		m := map[string]any{"id": q.ID, "communityId": q.CommunityID, "authorAddress": q.Author, "content": q.Content,
			"createdAt": q.CreatedAt, "authorName": name, "authorProfilePictureUrl": fp.ProfilePictureUrl,
			"authorHasClaimedName": fp.HasClaimedName, "likesCount": likes}
		if user != "" {
			m["isLikedByUser"] = liked
		}
		posts = append(posts, m)
	}
	data(w, http.StatusOK, map[string]any{"posts": posts, "total": len(list)})
}

// createPost: POST /v1/communities/:id/posts {content} (create_posts: the
// owner and moderators), 1–1000 characters after trimming.
func (s *Service) createPost(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	var body struct {
		Content string `json:"content"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	content := strings.TrimSpace(body.Content)
	if content == "" {
		fail(w, http.StatusBadRequest, "Post content cannot be empty")
		return
	}
	if n := len([]rune(content)); n > maxPostContent {
		fail(w, http.StatusBadRequest, "Post content is too long (%d characters, at most %d)", n, maxPostContent)
		return
	}
	var q post
	var members []string
	c, err := s.memberChange(r.Context(), r.PathValue("id"), func(t *store.KeyspaceTxn, c *community) error {
		role, err := txRole(t, c.ID, user)
		if err != nil {
			return err
		}
		if !can(role, "create_posts") {
			return refuse(http.StatusUnauthorized, "The user %s doesn't have permission to create posts in the community", user)
		}
		if n, err := countPrefix(t, "po/"+c.ID+"/", s.lim.Posts); err != nil {
			return err
		} else if n >= s.lim.Posts {
			s.guard.Hit("community_posts")
			return refuse(http.StatusBadRequest, "The community has too many posts (at most %d)", s.lim.Posts)
		}
		q = post{ID: httpx.UUID(), CommunityID: c.ID, Author: user, Content: content, CreatedAt: s.cfg.Now().UnixMilli()}
		key := postKey(c.ID, q.CreatedAt, q.ID)
		if err := setJSON(t, key, q); err != nil {
			return err
		}
		if members, err = txMembers(t, c.ID); err != nil {
			return err
		}
		return t.Set(postIndex(q.ID), []byte(key))
	})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	notify := []string{}
	for _, m := range members {
		if m != user {
			notify = append(notify, m)
		}
	}
	s.publish(r.Context(), "community", "community-post-added", q.ID, map[string]any{
		"communityId": c.ID, "communityName": c.Name, "thumbnailUrl": s.thumbOr(r, c), "postId": q.ID, "authorAddress": user, "addressesToNotify": notify})
	data(w, http.StatusCreated, q)
}

// postOf loads a post of the community in the request.
func txPost(t *store.KeyspaceTxn, communityID, pid string) (*post, string, error) {
	k, err := t.Get(postIndex(pid))
	if notFound(err) {
		return nil, "", refuse(http.StatusNotFound, "Post not found: %s", truncate(pid, 64))
	}
	if err != nil {
		return nil, "", err
	}
	var q post
	if ok, err := getJSON(t, string(k), &q); err != nil {
		return nil, "", err
	} else if !ok || q.CommunityID != communityID {
		return nil, "", refuse(http.StatusNotFound, "Post not found: %s", truncate(pid, 64))
	}
	return &q, string(k), nil
}

// deletePost: DELETE …/posts/:postId (delete_posts; a moderator only
// their own posts).
func (s *Service) deletePost(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	var deleted string
	_, err := s.memberChange(r.Context(), r.PathValue("id"), func(t *store.KeyspaceTxn, c *community) error {
		q, key, err := txPost(t, c.ID, r.PathValue("postId"))
		if err != nil {
			return err
		}
		role, err := txRole(t, c.ID, user)
		if err != nil {
			return err
		}
		if !can(role, "delete_posts") || (role == RoleModerator && q.Author != user) {
			return refuse(http.StatusUnauthorized, "The user %s doesn't have permission to delete posts from the community", user)
		}
		deleted = q.ID
		for _, k := range []string{key, postIndex(q.ID)} {
			if err := t.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	// Its likes go after, in batches (a popular post's would not fit one
	// transaction); one left behind by a crash belongs to no post.
	if err := s.sweep(r.Context(), "pl/"+deleted+"/"); err != nil {
		s.log.Warn("the likes of a deleted post stay", "post", deleted, "err", err)
	}
	w.WriteHeader(http.StatusNoContent)
}

// sweepBatch is how many keys one transaction of a sweep deletes.
const sweepBatch = 5000

var errBatchFull = errors.New("batch full")

// sweep deletes every key under prefix, sweepBatch at a time.
func (s *Service) sweep(ctx context.Context, prefix string) error {
	for {
		batch := map[string][]byte{}
		err := s.ks.Scan(ctx, prefix, func(name string, _ []byte) error {
			batch[name] = nil
			if len(batch) >= sweepBatch {
				return errBatchFull
			}
			return nil
		})
		if err != nil && !errors.Is(err, errBatchFull) {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		if err := s.ks.Write(ctx, batch); err != nil {
			return err
		}
	}
}

func (s *Service) likePost(w http.ResponseWriter, r *http.Request)   { s.like(w, r, true) }
func (s *Service) unlikePost(w http.ResponseWriter, r *http.Request) { s.like(w, r, false) }

// like: POST/DELETE …/posts/:postId/like: any signed user of a public
// community, members of a private one.
func (s *Service) like(w http.ResponseWriter, r *http.Request, on bool) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	_, err := s.memberChange(r.Context(), r.PathValue("id"), func(t *store.KeyspaceTxn, c *community) error {
		role, err := txRole(t, c.ID, user)
		if err != nil {
			return err
		}
		if c.Private && role == RoleNone {
			return refuse(http.StatusUnauthorized, "%s is not a member of private community %s. You need to be a member to like/unlike posts in this community.", user, c.ID)
		}
		if _, err := t.Get(banKey(c.ID, user)); err == nil {
			return refuse(http.StatusUnauthorized, "%s is banned from community %s and cannot like or unlike its posts.", user, c.ID)
		}
		q, _, err := txPost(t, c.ID, r.PathValue("postId"))
		if err != nil {
			return err
		}
		if !on {
			return t.Delete(likeKey(q.ID, user))
		}
		return t.Set(likeKey(q.ID, user), []byte(itoa(int(s.cfg.Now().UnixMilli()))))
	})
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// acceptJoinRequests admits the pending requests to join of a community
// made public (acceptAllRequestsToJoin), within its bounds.
func (s *Service) acceptJoinRequests(t *store.KeyspaceTxn, c *community, now int64) error {
	var joiners []string
	if err := t.Scan("cr/"+c.ID+"/", func(_ string, v []byte) error {
		var q request
		if json.Unmarshal(v, &q) == nil && q.Type == reqJoin {
			joiners = append(joiners, q.Member)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, m := range joiners {
		if err := s.admitMember(t, c, m); err != nil {
			var he *httpError
			if errors.As(err, &he) {
				continue // past a bound: the request stays pending
			}
			return err
		}
	}
	return nil
}
