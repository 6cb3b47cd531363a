package social

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/services/httpx"
	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// Bounds of the community inputs (fields-validator.ts, schemas.ts).
const (
	maxName, maxDescription  = 30, 500
	minThumbnail             = 1 << 10
	maxThumbnail             = 500 << 10
	maxMultipart             = maxThumbnail + 64<<10
	maxJSONBody              = 16 << 10
	maxPostContent           = 1000
	pageDefault, pageMax     = 100, 100
	signedFetchTTL           = time.Minute
	maxPlaceIDs              = 100
	maxCommunityPlaceIDLen   = 64
	thumbnailPath            = "/raw-thumbnail.png"
	communityNotFoundMessage = "Community not found: %s"
)

func (s *Service) communityRoutes(h func(string, http.HandlerFunc)) {
	h("GET /v1/communities", s.listCommunities)
	h("POST /v1/communities", s.createCommunity)
	h("GET /v1/communities/{id}", s.oneCommunity)
	h("PUT /v1/communities/{id}", s.updateCommunity)
	h("PATCH /v1/communities/{id}", s.editorsChoice)
	h("DELETE /v1/communities/{id}", s.deleteCommunity)
	h("GET /v1/communities/{id}"+thumbnailPath, s.thumbnail)
	h("GET /v1/communities/{id}/members", s.listMembers)
	h("POST /v1/communities/{id}/members", s.join)
	h("DELETE /v1/communities/{id}/members/{address}", s.removeMember)
	h("PATCH /v1/communities/{id}/members/{address}", s.setRole)
	h("GET /v1/communities/{id}/bans", s.listBans)
	h("POST /v1/communities/{id}/members/{address}/bans", s.banMember)
	h("DELETE /v1/communities/{id}/members/{address}/bans", s.unbanMember)
	h("GET /v1/members/{address}/communities", s.memberCommunities)
	h("GET /v1/members/{address}/requests", s.memberRequests)
	h("GET /v1/members/{address}/invites", s.memberInvites)
	h("GET /v1/communities/{id}/requests", s.communityRequests)
	h("POST /v1/communities/{id}/requests", s.createRequest)
	h("PATCH /v1/communities/{id}/requests/{requestId}", s.updateRequest)
	h("GET /v1/communities/{id}/places", s.listPlaces)
	h("POST /v1/communities/{id}/places", s.addPlaces)
	h("DELETE /v1/communities/{id}/places/{placeId}", s.removePlace)
	h("GET /v1/communities/{id}/posts", s.listPosts)
	h("POST /v1/communities/{id}/posts", s.createPost)
	h("DELETE /v1/communities/{id}/posts/{postId}", s.deletePost)
	h("POST /v1/communities/{id}/posts/{postId}/like", s.likePost)
	h("DELETE /v1/communities/{id}/posts/{postId}/like", s.unlikePost)
}

// fail answers the original's error shape: {error, message}.
func fail(w http.ResponseWriter, status int, format string, a ...any) {
	httpx.JSON(w, status, map[string]string{"error": http.StatusText(status), "message": fmt.Sprintf(format, a...)})
}

// httpError is a refusal with its status, returned from transactions.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func refuse(status int, format string, a ...any) error {
	return &httpError{status, fmt.Sprintf(format, a...)}
}

// answerErr answers err: a refusal as itself, a missing key as 404,
// anything else as 500.
func (s *Service) answerErr(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	switch {
	case errors.As(err, &he):
		fail(w, he.status, "%s", he.msg)
	case notFound(err):
		fail(w, http.StatusNotFound, communityNotFoundMessage, r.PathValue("id"))
	default:
		httpx.Internal(w, s.log, r, err)
	}
}

// signed requires a user's signed fetch (no scene).
func (s *Service) signed(w http.ResponseWriter, r *http.Request) (string, bool) {
	req, ok := httpx.SignedUser(w, r, s.cfg.Verifier, s.cfg.Now(), signedFetchTTL)
	return req.Signer, ok
}

// maybeSigned checks a signed fetch only when one is there.
func (s *Service) maybeSigned(w http.ResponseWriter, r *http.Request) (string, bool) {
	if r.Header.Get(authchain.HeaderChainPrefix+"0") == "" {
		return "", true
	}
	return s.signed(w, r)
}

// pageOf reads limit and offset (getPaginationParams: defaults for what
// is missing or wrong, limit at most 100).
func pageOf(r *http.Request) page {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	offset, _ := strconv.Atoi(q.Get("offset"))
	return normPage(int32(min(max(limit, 0), math.MaxInt32)), int32(min(max(offset, 0), math.MaxInt32)), pageDefault, pageMax)
}

// paged is the original's {results, total, page, pages, limit}.
func paged(results any, total int, p page) map[string]any {
	return map[string]any{"results": results, "total": total, "page": p.offset/p.limit + 1,
		"pages": (total + p.limit - 1) / p.limit, "limit": p.limit}
}

func data(w http.ResponseWriter, status int, v any) { httpx.JSON(w, status, map[string]any{"data": v}) }

// readJSON reads a bounded JSON body with no unknown fields.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		fail(w, http.StatusBadRequest, "Invalid JSON body: %v", err)
		return false
	}
	return true
}

func (s *Service) thumbnailURL(r *http.Request, c *community) map[string]string {
	if c.Thumbnail == "" {
		return nil
	}
	return map[string]string{"raw": httpx.BaseURL(r, s.cfg.PublicURL) + Prefix + "/v1/communities/" + c.ID + thumbnailPath}
}

// view is a community as answered (AggregatedCommunity…): with the
// owner's name, the viewer's role when signed, and the voice chat this
// node does not have.
func (s *Service) view(r *http.Request, c *community, ownerName string, role Role, signed bool) map[string]any {
	m := map[string]any{
		"id": c.ID, "name": c.Name, "description": c.Description, "ownerAddress": c.Owner, "ownerName": ownerName,
		"privacy": c.privacy(), "visibility": c.visibility(), "active": c.Active, "isHostingLiveEvent": false,
		"membersCount": c.Members, "voiceChatStatus": nil,
	}
	if t := s.thumbnailURL(r, c); t != nil {
		m["thumbnails"] = t
	}
	if signed {
		m["role"] = role
	}
	return m
}

func (s *Service) ownerNames(ctx context.Context, cs []*community) map[string]string {
	addrs := make([]string, 0, len(cs))
	for _, c := range cs {
		addrs = append(addrs, c.Owner)
	}
	ps, _ := s.profiles(ctx, addrs)
	out := map[string]string{}
	for a, p := range ps {
		out[a] = p.Name
	}
	return out
}

// listCommunities: GET /v1/communities ?search&onlyMemberOf&limit&offset.
// Unsigned: public, listed communities; signed: every listed one and the
// signer's own, with their role and friends among the members.
func (s *Service) listCommunities(w http.ResponseWriter, r *http.Request) {
	user, ok := s.maybeSigned(w, r)
	if !ok {
		return
	}
	p := pageOf(r)
	search := strings.ToLower(r.URL.Query().Get("search"))
	if len(search) > 100 {
		fail(w, http.StatusBadRequest, "search is longer than 100 characters")
		return
	}
	onlyMember := strings.EqualFold(r.URL.Query().Get("onlyMemberOf"), "true")
	all, err := s.allCommunities(r.Context())
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	var mine map[string]Role
	if user != "" {
		if mine, err = s.membershipsOf(r.Context(), user); err != nil {
			httpx.Internal(w, s.log, r, err)
			return
		}
	}
	var list []*community
	for _, c := range all {
		role, member := mine[c.ID]
		_ = role
		switch {
		case onlyMember && !member:
			continue
		case user == "" && (c.Private || c.Unlisted):
			continue
		case c.Unlisted && !member:
			continue
		}
		if search != "" && !strings.Contains(strings.ToLower(c.Name), search) && !strings.Contains(strings.ToLower(c.Description), search) {
			continue
		}
		list = append(list, c)
	}
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].Members != list[j].Members {
			return list[i].Members > list[j].Members
		}
		return list[i].Name < list[j].Name
	})
	pageList := cut(list, p)
	names := s.ownerNames(r.Context(), pageList)
	friends := s.friendsInCommunities(r.Context(), user, pageList)
	results := []map[string]any{}
	for _, c := range pageList {
		role := mine[c.ID]
		if role == "" {
			role = RoleNone
		}
		v := s.view(r, c, names[c.Owner], role, user != "")
		if user != "" {
			v["friends"] = friends[c.ID]
		}
		results = append(results, v)
	}
	data(w, http.StatusOK, paged(results, len(list), p))
}

// friendsInCommunities are the user's friends among each community's
// members (FriendProfile-shaped).
func (s *Service) friendsInCommunities(ctx context.Context, user string, cs []*community) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for _, c := range cs {
		out[c.ID] = []map[string]any{}
	}
	if user == "" || len(cs) == 0 {
		return out
	}
	list, ps, err := s.friendsOf(ctx, user)
	if err != nil {
		return out
	}
	for _, f := range list {
		ms, err := s.membershipsOf(ctx, f.addr)
		if err != nil {
			continue
		}
		for _, c := range cs {
			if _, ok := ms[c.ID]; ok {
				fp := friendProfile(f.addr, ps[f.addr])
				out[c.ID] = append(out[c.ID], map[string]any{"address": fp.Address, "name": fp.Name, "hasClaimedName": fp.HasClaimedName, "profilePictureUrl": fp.ProfilePictureUrl})
			}
		}
	}
	return out
}

// visible loads a community a viewer may see: a private one needs a
// signed viewer (else 404, as getCommunityPublicInformation finds only
// public ones).
func (s *Service) visible(w http.ResponseWriter, r *http.Request, user string) (*community, Role, bool) {
	c, err := s.getCommunity(r.Context(), r.PathValue("id"))
	if err == nil && !c.Active {
		err = errNotFound
	}
	if err == nil && c.Private && user == "" {
		err = errNotFound
	}
	if err != nil {
		s.answerErr(w, r, err)
		return nil, "", false
	}
	role, err := s.roleOf(r.Context(), c.ID, user)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return nil, "", false
	}
	return c, role, true
}

func (s *Service) oneCommunity(w http.ResponseWriter, r *http.Request) {
	user, ok := s.maybeSigned(w, r)
	if !ok {
		return
	}
	c, role, ok := s.visible(w, r, user)
	if !ok {
		return
	}
	names := s.ownerNames(r.Context(), []*community{c})
	data(w, http.StatusOK, s.view(r, c, names[c.Owner], role, user != ""))
}

// thumbnail serves a community's raw thumbnail (the original's CDN key
// communities/<id>/raw-thumbnail.png).
func (s *Service) thumbnail(w http.ResponseWriter, r *http.Request) {
	c, err := s.getCommunity(r.Context(), r.PathValue("id"))
	if err != nil || c.Thumbnail == "" {
		fail(w, http.StatusNotFound, "Thumbnail not found")
		return
	}
	b, err := s.ks.Get(r.Context(), thumbnailKey(c.ID))
	if err != nil {
		fail(w, http.StatusNotFound, "Thumbnail not found")
		return
	}
	w.Header().Set("Content-Type", c.Thumbnail)
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Write(b)
}

// communityForm is what a create or an update may carry.
type communityForm struct {
	name, description, privacy, visibility *string
	placeIDs                               []string
	hasPlaces                              bool
	thumbnail                              []byte
	thumbType                              string
}

// readCommunityForm parses the multipart form (fields-validator.ts):
// name ≤ 30, description ≤ 500, privacy public|private, visibility
// all|unlisted, placeIds a JSON array of place ids, thumbnail a PNG or
// JPEG of 1–500 KiB.
func readCommunityForm(w http.ResponseWriter, r *http.Request, create bool) (*communityForm, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxMultipart)
	if err := r.ParseMultipartForm(2 * maxMultipart); err != nil {
		fail(w, http.StatusBadRequest, "The body must be a multipart form of at most %d bytes: %v", maxMultipart, err)
		return nil, false
	}
	defer r.MultipartForm.RemoveAll()
	f := &communityForm{}
	field := func(name string) *string {
		if vs := r.MultipartForm.Value[name]; len(vs) > 0 {
			v := vs[0]
			return &v
		}
		return nil
	}
	f.name, f.description, f.privacy, f.visibility = field("name"), field("description"), field("privacy"), field("visibility")
	if create || f.name != nil {
		if f.name == nil || strings.TrimSpace(*f.name) == "" {
			fail(w, http.StatusBadRequest, "Name must be a non-empty string")
			return nil, false
		}
		if len([]rune(*f.name)) > maxName {
			fail(w, http.StatusBadRequest, "Name must be less or equal to %d characters", maxName)
			return nil, false
		}
	}
	if create || f.description != nil {
		if f.description == nil || strings.TrimSpace(*f.description) == "" {
			fail(w, http.StatusBadRequest, "Description must be a non-empty string")
			return nil, false
		}
		if len([]rune(*f.description)) > maxDescription {
			fail(w, http.StatusBadRequest, "Description must be less or equal to %d characters", maxDescription)
			return nil, false
		}
	}
	if f.privacy != nil {
		if v := strings.TrimSpace(*f.privacy); v != "public" && v != "private" {
			fail(w, http.StatusBadRequest, "privacy must be public or private")
			return nil, false
		}
	}
	if f.visibility != nil {
		if v := strings.TrimSpace(*f.visibility); v != "all" && v != "unlisted" {
			fail(w, http.StatusBadRequest, "visibility must be all or unlisted")
			return nil, false
		}
	}
	if raw := field("placeIds"); raw != nil {
		if err := json.Unmarshal([]byte(*raw), &f.placeIDs); err != nil {
			fail(w, http.StatusBadRequest, "placeIds must be a valid JSON array")
			return nil, false
		}
		if !validPlaceIDs(w, f.placeIDs) {
			return nil, false
		}
		f.hasPlaces = true
	}
	if fhs := r.MultipartForm.File["thumbnail"]; len(fhs) > 0 {
		file, err := fhs[0].Open()
		if err == nil {
			f.thumbnail, err = io.ReadAll(io.LimitReader(file, maxThumbnail+1))
			file.Close()
		}
		if err != nil {
			fail(w, http.StatusBadRequest, "Thumbnail not readable: %v", err)
			return nil, false
		}
		if len(f.thumbnail) < minThumbnail || len(f.thumbnail) > maxThumbnail {
			fail(w, http.StatusBadRequest, "Thumbnail size must be between 1KB and 500KB")
			return nil, false
		}
		if f.thumbType = imageType(f.thumbnail); f.thumbType == "" {
			fail(w, http.StatusBadRequest, "Thumbnail must be a PNG or JPEG image")
			return nil, false
		}
	}
	if !create && f.name == nil && f.description == nil && f.privacy == nil && f.visibility == nil && !f.hasPlaces && f.thumbnail == nil {
		fail(w, http.StatusBadRequest, "At least one field must be provided for update")
		return nil, false
	}
	return f, true
}

func validPlaceIDs(w http.ResponseWriter, ids []string) bool {
	if len(ids) > maxPlaceIDs {
		fail(w, http.StatusBadRequest, "At most %d places", maxPlaceIDs)
		return false
	}
	for _, id := range ids {
		if id == "" || len(id) > maxCommunityPlaceIDLen || strings.ContainsAny(id, "/ ") {
			fail(w, http.StatusBadRequest, "Invalid place id %q", truncate(id, 64))
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// ownedPlaces keeps the places addr may add (validateOwnership keeps the
// owned ones).
func (s *Service) ownedPlaces(ctx context.Context, ids []string, addr string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if s.cfg.PlaceOwner != nil {
			ok, err := s.cfg.PlaceOwner(ctx, id, addr)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		out = append(out, id)
	}
	return out, nil
}

// createCommunity: POST /v1/communities (multipart), by any signed user
// who is not a scene when this node has no NAME data (Config.OwnsName).
func (s *Service) createCommunity(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	f, ok := readCommunityForm(w, r, true)
	if !ok {
		return
	}
	if s.cfg.OwnsName != nil {
		owns, err := s.cfg.OwnsName(r.Context(), user)
		if err != nil {
			httpx.Internal(w, s.log, r, err)
			return
		}
		if !owns {
			fail(w, http.StatusUnauthorized, "The user %s doesn't have any names", user)
			return
		}
	}
	owner, err := s.profileOf(r.Context(), user)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	if owner == nil {
		fail(w, http.StatusNotFound, "The owner %s has no profile", user)
		return
	}
	places, err := s.ownedPlaces(r.Context(), f.placeIDs, user)
	if err != nil {
		httpx.Internal(w, s.log, r, err)
		return
	}
	now := s.cfg.Now().UnixMilli()
	c := &community{ID: httpx.UUID(), Name: strings.TrimSpace(*f.name), Description: strings.TrimSpace(*f.description), Owner: user,
		Active: true, Members: 1, Thumbnail: f.thumbType, CreatedAt: now, UpdatedAt: now}
	c.Private = f.privacy != nil && strings.TrimSpace(*f.privacy) == "private"
	c.Unlisted = f.visibility != nil && strings.TrimSpace(*f.visibility) == "unlisted"
	s.mu.Lock()
	err = s.update(r.Context(), func(t *store.KeyspaceTxn) error {
		owned := 0
		total, err := countPrefix(t, "c/", s.lim.Communities)
		if err != nil {
			return err
		}
		if total >= s.lim.Communities {
			s.guard.Hit("communities")
			return refuse(http.StatusTooManyRequests, "This node has too many communities (at most %d)", s.lim.Communities)
		}
		memberships := 0
		err = t.Scan("mc/"+user+"/", func(_ string, v []byte) error {
			memberships++
			if Role(v) == RoleOwner {
				owned++
			}
			return nil
		})
		if err != nil {
			return err
		}
		if owned >= s.lim.CommunitiesPerOwner {
			s.guard.Hit("communities_per_owner")
			return refuse(http.StatusBadRequest, "The user owns too many communities (at most %d)", s.lim.CommunitiesPerOwner)
		}
		if memberships >= s.lim.Memberships {
			s.guard.Hit("memberships")
			return refuse(http.StatusBadRequest, "The user belongs to too many communities (at most %d)", s.lim.Memberships)
		}
		if err := setJSON(t, communityKey(c.ID), c); err != nil {
			return err
		}
		if err := s.addMember(t, c.ID, user, RoleOwner, now); err != nil {
			return err
		}
		for _, pid := range places {
			if err := setJSON(t, placeKey(c.ID, pid), place{AddedBy: user, AddedAt: now}); err != nil {
				return err
			}
		}
		if f.thumbnail != nil {
			return t.Set(thumbnailKey(c.ID), f.thumbnail)
		}
		return nil
	})
	s.mu.Unlock()
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	v := s.view(r, c, owner.Name, RoleOwner, false)
	httpx.JSON(w, http.StatusCreated, map[string]any{"message": "Community created successfully", "data": v})
}

func (s *Service) addMember(t *store.KeyspaceTxn, id, addr string, role Role, now int64) error {
	if err := setJSON(t, memberKey(id, addr), member{Role: role, JoinedAt: now}); err != nil {
		return err
	}
	return t.Set(membershipKey(addr, id), []byte(role))
}

func removeMember(t *store.KeyspaceTxn, id, addr string) error {
	if err := t.Delete(memberKey(id, addr)); err != nil {
		return err
	}
	return t.Delete(membershipKey(addr, id))
}

// updateCommunity: PUT /v1/communities/:id (multipart): edit_info;
// renaming needs edit_name, privacy or visibility edit_settings. Made
// public, its pending requests to join are accepted.
func (s *Service) updateCommunity(w http.ResponseWriter, r *http.Request) {
	user, ok := s.signed(w, r)
	if !ok {
		return
	}
	f, ok := readCommunityForm(w, r, false)
	if !ok {
		return
	}
	var places []string
	if f.hasPlaces {
		var err error
		if places, err = s.ownedPlaces(r.Context(), f.placeIDs, user); err != nil {
			httpx.Internal(w, s.log, r, err)
			return
		}
	}
	id := r.PathValue("id")
	now := s.cfg.Now().UnixMilli()
	var c *community
	var oldName string
	var members []string
	s.mu.Lock()
	err := s.update(r.Context(), func(t *store.KeyspaceTxn) error {
		var err error
		if c, err = txCommunity(t, id); err != nil {
			return err
		}
		role, err := txRole(t, id, user)
		if err != nil {
			return err
		}
		if !can(role, "edit_info") {
			return refuse(http.StatusUnauthorized, "The user %s doesn't have permission to edit the community", user)
		}
		oldName = c.Name
		if f.name != nil && strings.TrimSpace(*f.name) != c.Name {
			if !can(role, "edit_name") {
				return refuse(http.StatusUnauthorized, "The user %s doesn't have permission to edit the community name", user)
			}
			c.Name = strings.TrimSpace(*f.name)
		}
		if f.description != nil {
			c.Description = strings.TrimSpace(*f.description)
		}
		toPublic := false
		if f.privacy != nil || f.visibility != nil {
			private, unlisted := c.Private, c.Unlisted
			if f.privacy != nil {
				private = strings.TrimSpace(*f.privacy) == "private"
			}
			if f.visibility != nil {
				unlisted = strings.TrimSpace(*f.visibility) == "unlisted"
			}
			if private != c.Private || unlisted != c.Unlisted {
				if !can(role, "edit_settings") {
					return refuse(http.StatusUnauthorized, "The user %s doesn't have permission to update the community privacy", user)
				}
				toPublic = c.Private && !private
				c.Private, c.Unlisted = private, unlisted
			}
		}
		if f.thumbnail != nil {
			c.Thumbnail = f.thumbType
			if err := t.Set(thumbnailKey(id), f.thumbnail); err != nil {
				return err
			}
		}
		if f.hasPlaces {
			if err := replacePlaces(t, id, user, places, now); err != nil {
				return err
			}
		}
		if toPublic {
			if err := s.acceptJoinRequests(t, c, now); err != nil {
				return err
			}
		}
		c.UpdatedAt = now
		if c.Name != oldName {
			ms, err := txMembers(t, id)
			if err != nil {
				return err
			}
			members = ms
		}
		return setJSON(t, communityKey(id), c)
	})
	s.mu.Unlock()
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	if c.Name != oldName {
		s.publish(r.Context(), "community", "community-renamed", c.ID+"-"+slug(c.Name)+"-"+slug(oldName), map[string]any{
			"id": c.ID, "oldName": oldName, "newName": c.Name, "memberAddresses": members, "thumbnailUrl": s.thumbOr(r, c)})
	}
	names := s.ownerNames(r.Context(), []*community{c})
	role, _ := s.roleOf(r.Context(), id, user)
	data(w, http.StatusOK, s.view(r, c, names[c.Owner], role, true))
}

func slug(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-")
}

func (s *Service) thumbOr(r *http.Request, c *community) string {
	if t := s.thumbnailURL(r, c); t != nil {
		return t["raw"]
	}
	return "N/A"
}

func txMembers(t *store.KeyspaceTxn, id string) ([]string, error) {
	prefix := "cm/" + id + "/"
	out := []string{}
	err := t.Scan(prefix, func(name string, _ []byte) error {
		out = append(out, name[len(prefix):])
		return nil
	})
	return out, err
}

func replacePlaces(t *store.KeyspaceTxn, id, user string, places []string, now int64) error {
	var old []string
	prefix := "cp/" + id + "/"
	if err := t.Scan(prefix, func(name string, _ []byte) error { old = append(old, name[len(prefix):]); return nil }); err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, p := range places {
		keep[p] = true
	}
	for _, p := range old {
		if !keep[p] {
			if err := t.Delete(placeKey(id, p)); err != nil {
				return err
			}
		}
	}
	for _, p := range places {
		if _, err := t.Get(placeKey(id, p)); notFound(err) {
			if err := setJSON(t, placeKey(id, p), place{AddedBy: user, AddedAt: now}); err != nil {
				return err
			}
		}
	}
	return nil
}

// editorsChoice: PATCH /v1/communities/:id {editorsChoice}, for the
// original's global moderators: here the admin token.
func (s *Service) editorsChoice(w http.ResponseWriter, r *http.Request) {
	if !httpx.BearerValid(s.cfg.AdminToken, r) {
		fail(w, http.StatusUnauthorized, "Only global moderators can update Editor's Choice flag")
		return
	}
	var body struct {
		EditorsChoice *bool `json:"editorsChoice"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	if body.EditorsChoice == nil {
		fail(w, http.StatusBadRequest, "editorsChoice is required")
		return
	}
	s.mu.Lock()
	err := s.update(r.Context(), func(t *store.KeyspaceTxn) error {
		c, err := txCommunity(t, r.PathValue("id"))
		if err != nil {
			return err
		}
		c.EditorsChoice = *body.EditorsChoice
		return setJSON(t, communityKey(c.ID), c)
	})
	s.mu.Unlock()
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteCommunity: DELETE /v1/communities/:id, by its owner (or the
// admin token, the original's global moderators).
func (s *Service) deleteCommunity(w http.ResponseWriter, r *http.Request) {
	admin := httpx.BearerValid(s.cfg.AdminToken, r)
	user := ""
	if !admin {
		var ok bool
		if user, ok = s.signed(w, r); !ok {
			return
		}
	}
	id := r.PathValue("id")
	var c *community
	var members, deletedPosts []string
	s.mu.Lock()
	err := s.update(r.Context(), func(t *store.KeyspaceTxn) error {
		var err error
		if c, err = txCommunity(t, id); err != nil {
			return err
		}
		if !admin && c.Owner != user {
			return refuse(http.StatusUnauthorized, "The user doesn't have permission to delete this community")
		}
		if members, err = txMembers(t, id); err != nil {
			return err
		}
		var keys, posts []string
		for _, prefix := range []string{"cm/" + id + "/", "cb/" + id + "/", "cr/" + id + "/", "cp/" + id + "/", "po/" + id + "/"} {
			if err := t.Scan(prefix, func(name string, v []byte) error {
				keys = append(keys, name)
				switch prefix[:3] {
				case "cr/":
					var q request
					if json.Unmarshal(v, &q) == nil {
						keys = append(keys, requestIndex(q.ID), memberRequestKey(q.Member, q.ID))
					}
				case "po/":
					var p post
					if json.Unmarshal(v, &p) == nil {
						keys = append(keys, postIndex(p.ID))
						posts = append(posts, p.ID)
					}
				}
				return nil
			}); err != nil {
				return err
			}
		}
		deletedPosts = posts // their likes go after, in batches
		for _, m := range members {
			keys = append(keys, membershipKey(m, id))
		}
		keys = append(keys, communityKey(id), thumbnailKey(id))
		for _, k := range keys {
			if err := t.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	s.mu.Unlock()
	if err != nil {
		s.answerErr(w, r, err)
		return
	}
	for _, p := range deletedPosts {
		if err := s.sweep(r.Context(), "pl/"+p+"/"); err != nil {
			s.log.Warn("the likes of a deleted community's post stay", "post", p, "err", err)
		}
	}
	if admin && c.Owner != user {
		s.publish(r.Context(), "community", "community-deleted-content-violation", id, map[string]any{
			"id": id, "name": c.Name, "ownerAddress": c.Owner, "thumbnailUrl": s.thumbOr(r, c)})
	}
	s.publish(r.Context(), "community", "community-deleted", id, map[string]any{
		"id": id, "name": c.Name, "memberAddresses": members, "thumbnailUrl": s.thumbOr(r, c)})
	w.WriteHeader(http.StatusNoContent)
}
