package social

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/p2pcatalyst/catalyst/store"
)

// Role is a member's role in a community.
type Role string

// The roles (CommunityRole).
const (
	RoleOwner     Role = "owner"
	RoleModerator Role = "moderator"
	RoleMember    Role = "member"
	RoleNone      Role = "none"
)

// Permission is something a role may do in a community.
type Permission string

// permissions is COMMUNITY_ROLES (src/logic/community/roles.ts and
// types/entities.ts): owners may everything; moderators all but settings,
// deleting, assigning roles and renaming; members nothing. Moderators
// delete only their own posts (validatePermissionToDeletePost).
var permissions = map[Role][]Permission{
	RoleOwner: {"edit_info", "add_places", "remove_places", "accept_requests", "reject_requests", "ban_players",
		"send_invitations", "invite_users", "view_requests", "create_posts", "delete_posts",
		"edit_settings", "delete_community", "assign_roles", "edit_name"},
	RoleModerator: {"edit_info", "add_places", "remove_places", "accept_requests", "reject_requests", "ban_players",
		"send_invitations", "invite_users", "view_requests", "create_posts", "delete_posts"},
}

// can reports whether role has permission p.
func can(role Role, p Permission) bool {
	for _, q := range permissions[role] {
		if q == p {
			return true
		}
	}
	return false
}

// canActOn is ROLE_ACTION_TRANSITIONS: nobody acts on owners, owners on
// moderators, owners and moderators on members.
func canActOn(actor, target Role) bool {
	switch target {
	case RoleModerator:
		return actor == RoleOwner
	case RoleMember:
		return actor == RoleOwner || actor == RoleModerator
	}
	return false
}

// canBan is canBanMember: ban_players, and the target is either not a
// member or one the actor may act on.
func canBan(actor, target Role) bool {
	return can(actor, "ban_players") && (target == RoleNone || canActOn(actor, target))
}

// canSetRole is canUpdateMemberRole: assign_roles on a member the actor
// may act on, never to owner, never oneself (checked by the caller).
func canSetRole(actor, target, to Role) bool {
	return can(actor, "assign_roles") && canActOn(actor, target) && to != RoleOwner && (to == RoleModerator || to == RoleMember)
}

// community is a community as stored under c/<id>.
type community struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Description   string `json:"description"`
	Owner         string `json:"ownerAddress"`
	Private       bool   `json:"private"`
	Unlisted      bool   `json:"unlisted"`
	Active        bool   `json:"active"`
	EditorsChoice bool   `json:"editorsChoice"`
	Thumbnail     string `json:"thumbnail,omitempty"` // its content type, when it has one
	Members       int    `json:"members"`
	CreatedAt     int64  `json:"createdAt"`
	UpdatedAt     int64  `json:"updatedAt"`
}

func (c *community) privacy() string {
	if c.Private {
		return "private"
	}
	return "public"
}

func (c *community) visibility() string {
	if c.Unlisted {
		return "unlisted"
	}
	return "all"
}

// member is a membership under cm/<community>/<address>.
type member struct {
	Role     Role  `json:"role"`
	JoinedAt int64 `json:"joinedAt"`
}

type ban struct {
	BannedAt int64  `json:"bannedAt"`
	BannedBy string `json:"bannedBy"`
}

// request is an invite or a request to join (community_requests).
type request struct {
	ID          string `json:"id"`
	CommunityID string `json:"communityId"`
	Member      string `json:"memberAddress"`
	Type        string `json:"type"`
	Status      string `json:"status"`
	CreatedAt   int64  `json:"createdAt"`
}

type place struct {
	AddedBy string `json:"addedBy"`
	AddedAt int64  `json:"addedAt"`
}

type post struct {
	ID          string `json:"id"`
	CommunityID string `json:"communityId"`
	Author      string `json:"authorAddress"`
	Content     string `json:"content"`
	CreatedAt   int64  `json:"createdAt"`
}

// Keys of the communities part of the keyspace.
func communityKey(id string) string            { return "c/" + id }
func memberKey(id, addr string) string         { return "cm/" + id + "/" + addr }
func membershipKey(addr, id string) string     { return "mc/" + addr + "/" + id }
func banKey(id, addr string) string            { return "cb/" + id + "/" + addr }
func requestKey(id, rid string) string         { return "cr/" + id + "/" + rid }
func requestIndex(rid string) string           { return "cri/" + rid }
func memberRequestKey(addr, rid string) string { return "crm/" + addr + "/" + rid }
func placeKey(id, pid string) string           { return "cp/" + id + "/" + pid }
func postKey(id string, ts int64, pid string) string {
	return fmt.Sprintf("po/%s/%016x/%s", id, ts, pid)
}
func postIndex(pid string) string     { return "poi/" + pid }
func likeKey(pid, addr string) string { return "pl/" + pid + "/" + addr }
func thumbnailKey(id string) string   { return "th/" + id }

func (s *Service) getCommunity(ctx context.Context, id string) (*community, error) {
	b, err := s.ks.Get(ctx, communityKey(id))
	if err != nil {
		return nil, err
	}
	var c community
	return &c, json.Unmarshal(b, &c)
}

func txCommunity(t *store.KeyspaceTxn, id string) (*community, error) {
	var c community
	ok, err := getJSON(t, communityKey(id), &c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotFound
	}
	return &c, nil
}

// roleOf is addr's role in community id (none when not a member).
func (s *Service) roleOf(ctx context.Context, id, addr string) (Role, error) {
	if addr == "" {
		return RoleNone, nil
	}
	b, err := s.ks.Get(ctx, memberKey(id, addr))
	if notFound(err) {
		return RoleNone, nil
	}
	if err != nil {
		return RoleNone, err
	}
	var m member
	json.Unmarshal(b, &m)
	return m.Role, nil
}

func txRole(t *store.KeyspaceTxn, id, addr string) (Role, error) {
	var m member
	ok, err := getJSON(t, memberKey(id, addr), &m)
	if err != nil || !ok {
		return RoleNone, err
	}
	return m.Role, nil
}

// allCommunities lists every active community (bounded by
// Limits.Communities).
func (s *Service) allCommunities(ctx context.Context) ([]*community, error) {
	var out []*community
	err := s.ks.Scan(ctx, "c/", func(_ string, v []byte) error {
		var c community
		if json.Unmarshal(v, &c) == nil && c.Active {
			out = append(out, &c)
		}
		return nil
	})
	return out, err
}

// membersOf lists a community's members, owners first, then by joining.
type memberEntry struct {
	addr string
	member
}

var roleOrder = map[Role]int{RoleOwner: 0, RoleModerator: 1, RoleMember: 2}

func (s *Service) membersOf(ctx context.Context, id string) ([]memberEntry, error) {
	var out []memberEntry
	prefix := "cm/" + id + "/"
	err := s.ks.Scan(ctx, prefix, func(name string, v []byte) error {
		var m member
		if json.Unmarshal(v, &m) == nil {
			out = append(out, memberEntry{addr: name[len(prefix):], member: m})
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if roleOrder[out[i].Role] != roleOrder[out[j].Role] {
			return roleOrder[out[i].Role] < roleOrder[out[j].Role]
		}
		return out[i].JoinedAt < out[j].JoinedAt
	})
	return out, err
}

// membershipsOf maps the communities addr belongs to onto its roles.
func (s *Service) membershipsOf(ctx context.Context, addr string) (map[string]Role, error) {
	out := map[string]Role{}
	prefix := "mc/" + addr + "/"
	err := s.ks.Scan(ctx, prefix, func(name string, v []byte) error {
		out[name[len(prefix):]] = Role(v)
		return nil
	})
	return out, err
}

// imageType is the content type of a PNG or JPEG by its signature ("" for
// anything else).
func imageType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		return "image/jpeg"
	}
	return ""
}

// isUUID reports a canonical UUID (the original's ids).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}
