package social

import (
	"context"
	"encoding/json"
	"strings"

	pb "github.com/p2pcatalyst/catalyst/services/social/protocol/socialpb"
	"github.com/p2pcatalyst/catalyst/store"
)

// settings are a user's social settings (the original's social_settings
// row), as the RPC's enum numbers; a user without a row has the defaults
// (ALL, SHOW_MESSAGES, SHOW).
type settings struct {
	PrivateMessages int32 `json:"privateMessages"`
	BlockedMessages int32 `json:"blockedMessages"`
	Reactions       int32 `json:"reactions"`
}

func (st settings) rpc() *pb.SocialSettings {
	return &pb.SocialSettings{
		PrivateMessagesPrivacy:         pb.PrivateMessagePrivacySetting(st.PrivateMessages),
		BlockedUsersMessagesVisibility: pb.BlockedUsersMessagesVisibilitySetting(st.BlockedMessages),
		ShowSituationReactions:         pb.SituationReactionsVisibility(st.Reactions),
	}
}

func (s *Service) settingsOf(ctx context.Context, addr string) (settings, error) {
	var st settings
	b, err := s.ks.Get(ctx, settingsKey(addr))
	if notFound(err) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal(b, &st)
}

func (s *Service) getSettings(ctx context.Context, me string) *pb.GetSocialSettingsResponse {
	st, err := s.settingsOf(ctx, me)
	if err != nil {
		return &pb.GetSocialSettingsResponse{Response: &pb.GetSocialSettingsResponse_InternalServerError{InternalServerError: internalErr(err)}}
	}
	return &pb.GetSocialSettingsResponse{Response: &pb.GetSocialSettingsResponse_Ok_{Ok: &pb.GetSocialSettingsResponse_Ok{Settings: st.rpc()}}}
}

// upsertSettings changes the settings given (at least one; an enum value
// the .proto does not define is refused, as the original's converters do).
func (s *Service) upsertSettings(ctx context.Context, me string, r *pb.UpsertSocialSettingsPayload) *pb.UpsertSocialSettingsResponse {
	bad := func(msg string) *pb.UpsertSocialSettingsResponse {
		return &pb.UpsertSocialSettingsResponse{Response: &pb.UpsertSocialSettingsResponse_InvalidRequest{InvalidRequest: &pb.InvalidRequest{Message: &msg}}}
	}
	if r.PrivateMessagesPrivacy == nil && r.BlockedUsersMessagesVisibility == nil && r.ShowSituationReactions == nil {
		return bad("At least one setting to update must be provided")
	}
	if v := r.PrivateMessagesPrivacy; v != nil && pb.PrivateMessagePrivacySetting_name[int32(*v)] == "" {
		return bad("Unknown private messages privacy setting")
	}
	if v := r.BlockedUsersMessagesVisibility; v != nil && pb.BlockedUsersMessagesVisibilitySetting_name[int32(*v)] == "" {
		return bad("Unknown blocked users messages visibility setting")
	}
	if v := r.ShowSituationReactions; v != nil && pb.SituationReactionsVisibility_name[int32(*v)] == "" {
		return bad("Unknown situation reactions visibility setting")
	}
	var st settings
	err := s.update(ctx, func(t *store.KeyspaceTxn) error {
		st = settings{}
		if _, err := getJSON(t, settingsKey(me), &st); err != nil {
			return err
		}
		if v := r.PrivateMessagesPrivacy; v != nil {
			st.PrivateMessages = int32(*v)
		}
		if v := r.BlockedUsersMessagesVisibility; v != nil {
			st.BlockedMessages = int32(*v)
		}
		if v := r.ShowSituationReactions; v != nil {
			st.Reactions = int32(*v)
		}
		return setJSON(t, settingsKey(me), &st)
	})
	if err != nil {
		return &pb.UpsertSocialSettingsResponse{Response: &pb.UpsertSocialSettingsResponse_InternalServerError{InternalServerError: internalErr(err)}}
	}
	return &pb.UpsertSocialSettingsResponse{Response: &pb.UpsertSocialSettingsResponse_Ok{Ok: st.rpc()}}
}

// privateMessagesSettings answers, for up to 50 users, their private
// messages privacy and whether they are me's friends (not blocked either
// way).
func (s *Service) privateMessagesSettings(ctx context.Context, me string, r *pb.GetPrivateMessagesSettingsPayload) *pb.GetPrivateMessagesSettingsResponse {
	if n := len(r.GetUser()); n > maxSettingsUsers {
		msg := "Too many user addresses: " + itoa(n)
		return &pb.GetPrivateMessagesSettingsResponse{Response: &pb.GetPrivateMessagesSettingsResponse_InvalidRequest{InvalidRequest: &pb.InvalidRequest{Message: &msg}}}
	}
	ok := &pb.GetPrivateMessagesSettingsResponse_Ok{Settings: []*pb.GetPrivateMessagesSettingsResponse_PrivateMessagesSettings{}}
	seen := map[string]bool{}
	for _, u := range r.GetUser() {
		addr := strings.ToLower(u.GetAddress())
		if seen[addr] {
			continue
		}
		seen[addr] = true
		st, err := s.settingsOf(ctx, addr)
		if err != nil {
			return &pb.GetPrivateMessagesSettingsResponse{Response: &pb.GetPrivateMessagesSettingsResponse_InternalServerError{InternalServerError: internalErr(err)}}
		}
		friend, _ := s.isFriend(ctx, me, addr)
		ok.Settings = append(ok.Settings, &pb.GetPrivateMessagesSettingsResponse_PrivateMessagesSettings{
			User: &pb.User{Address: addr}, PrivateMessagesPrivacy: pb.PrivateMessagePrivacySetting(st.PrivateMessages), IsFriend: friend,
		})
	}
	return &pb.GetPrivateMessagesSettingsResponse{Response: &pb.GetPrivateMessagesSettingsResponse_Ok_{Ok: ok}}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
