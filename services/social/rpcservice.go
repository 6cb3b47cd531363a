package social

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/known/emptypb"

	pb "github.com/p2pcatalyst/catalyst/services/social/protocol/socialpb"
	"github.com/p2pcatalyst/catalyst/services/social/rpc"
)

// ModuleName is the module clients load: @dcl/rpc's registerService
// registers a service by its short name.
const ModuleName = "SocialService"

// noVoice is what the voice-chat procedures answer: this node has no
// comms-gatekeeper voice rooms.
const noVoice = "Voice chats are not available on this node"

// unary adapts a typed procedure: a payload that does not decode fails
// the call, as the request type's decode throws in @dcl/rpc's codegen.
func unary[R any, PR interface {
	*R
	proto.Message
}](fn func(context.Context, PR) proto.Message) rpc.Unary {
	return func(ctx context.Context, payload []byte) ([]byte, error) {
		req := PR(new(R))
		if err := proto.Unmarshal(payload, req); err != nil {
			return nil, fmt.Errorf("invalid request payload: %w", err)
		}
		return proto.Marshal(fn(ctx, req))
	}
}

// module is the SocialService of one authenticated user: its
// procedures in the order of the .proto, as registerService numbers them.
func (s *Service) module(me string) *rpc.Module {
	impl := map[string]rpc.Procedure{
		"GetFriends": {Unary: unary(func(ctx context.Context, r *pb.GetFriendsPayload) proto.Message { return s.getFriends(ctx, me, r) })},
		"GetMutualFriends": {Unary: unary(func(ctx context.Context, r *pb.GetMutualFriendsPayload) proto.Message {
			return s.getMutualFriends(ctx, me, r)
		})},
		"GetPendingFriendshipRequests": {Unary: unary(func(ctx context.Context, r *pb.GetFriendshipRequestsPayload) proto.Message {
			return s.getRequests(ctx, me, "in", r)
		})},
		"GetSentFriendshipRequests": {Unary: unary(func(ctx context.Context, r *pb.GetFriendshipRequestsPayload) proto.Message {
			return s.getRequests(ctx, me, "out", r)
		})},
		"UpsertFriendship": {Unary: unary(func(ctx context.Context, r *pb.UpsertFriendshipPayload) proto.Message { return s.rpcUpsert(ctx, me, r) })},
		"GetFriendshipStatus": {Unary: unary(func(ctx context.Context, r *pb.GetFriendshipStatusPayload) proto.Message {
			return s.getStatus(ctx, me, r)
		})},
		"BlockUser":         {Unary: unary(func(ctx context.Context, r *pb.BlockUserPayload) proto.Message { return s.rpcBlock(ctx, me, r) })},
		"UnblockUser":       {Unary: unary(func(ctx context.Context, r *pb.UnblockUserPayload) proto.Message { return s.rpcUnblock(ctx, me, r) })},
		"GetBlockedUsers":   {Unary: unary(func(ctx context.Context, r *pb.GetBlockedUsersPayload) proto.Message { return s.getBlocked(ctx, me, r) })},
		"GetBlockingStatus": {Unary: unary(func(ctx context.Context, _ *emptypb.Empty) proto.Message { return s.getBlockingStatus(ctx, me) })},
		"GetSocialSettings": {Unary: unary(func(ctx context.Context, _ *emptypb.Empty) proto.Message { return s.getSettings(ctx, me) })},
		"UpsertSocialSettings": {Unary: unary(func(ctx context.Context, r *pb.UpsertSocialSettingsPayload) proto.Message {
			return s.upsertSettings(ctx, me, r)
		})},
		"GetPrivateMessagesSettings": {Unary: unary(func(ctx context.Context, r *pb.GetPrivateMessagesSettingsPayload) proto.Message {
			return s.privateMessagesSettings(ctx, me, r)
		})},
		"SubscribeToFriendshipUpdates": {Stream: s.subscribe(me, kindFriendship, nil)},
		"SubscribeToBlockUpdates":      {Stream: s.subscribe(me, kindBlock, nil)},
		"SubscribeToFriendConnectivityUpdates": {Stream: s.subscribe(me, kindConnectivity, func(ctx context.Context) [][]byte {
			return s.onlineFriends(ctx, me)
		})},
	}
	sd := pb.File_decentraland_social_service_v2_social_service_v2_proto.Services().ByName("SocialService")
	mod := &rpc.Module{Name: ModuleName}
	methods := sd.Methods()
	for i := range methods.Len() {
		md := methods.Get(i)
		name := string(md.Name())
		p, ok := impl[name]
		if !ok {
			p = notBuilt(md)
		}
		p.Name = name
		mod.Procedures = append(mod.Procedures, p)
	}
	return mod
}

// notBuilt answers a procedure this node does not have (the voice chats;
// community member connectivity): a unary one with its response's
// invalid_request (else internal_server_error) case, a stream by staying
// open without updates.
func notBuilt(md protoreflect.MethodDescriptor) rpc.Procedure {
	if md.IsStreamingServer() {
		return rpc.Procedure{Stream: func(ctx context.Context, _ []byte) (<-chan []byte, func(), error) {
			return make(chan []byte), nil, nil
		}}
	}
	out := md.Output()
	return rpc.Procedure{Unary: func(context.Context, []byte) ([]byte, error) {
		mt, err := protoregistry.GlobalTypes.FindMessageByName(out.FullName())
		if err != nil {
			return nil, errors.New(noVoice)
		}
		m := mt.New()
		for _, name := range []protoreflect.Name{"invalid_request", "internal_server_error"} {
			fd := out.Fields().ByName(name)
			if fd == nil || fd.Message() == nil {
				continue
			}
			e := m.NewField(fd).Message()
			if mf := fd.Message().Fields().ByName("message"); mf != nil {
				e.Set(mf, protoreflect.ValueOfString(noVoice))
			}
			m.Set(fd, protoreflect.ValueOfMessage(e))
			break
		}
		return proto.Marshal(m.Interface())
	}}
}

// subscribe opens a subscription stream of kind k for me; initial gives
// the updates it starts with.
func (s *Service) subscribe(me string, k kind, initial func(context.Context) [][]byte) rpc.Stream {
	return func(ctx context.Context, payload []byte) (<-chan []byte, func(), error) {
		if err := proto.Unmarshal(payload, &emptypb.Empty{}); err != nil {
			return nil, nil, fmt.Errorf("invalid request payload: %w", err)
		}
		var first [][]byte
		if initial != nil {
			first = initial(ctx)
		}
		sb := s.hub.add(me, k, first)
		return sb.ch, func() { s.hub.remove(sb) }, nil
	}
}

// onlineFriends are the ONLINE updates a connectivity subscription starts
// with: the friends in comms now.
func (s *Service) onlineFriends(ctx context.Context, me string) [][]byte {
	list, ps, err := s.friendsOf(ctx, me)
	if err != nil {
		return nil
	}
	var out [][]byte
	for _, e := range list {
		if s.isOnline(e.addr) {
			b, _ := proto.Marshal(connectivity(e.addr, ps[e.addr], true))
			out = append(out, b)
		}
	}
	return out
}

const (
	friendsDefault, friendsMax   = 1000, 1000
	requestsDefault, requestsMax = 100, 200
	blockedDefault, blockedMax   = 200, 200
	maxSettingsUsers             = 50
)

func internalErr(err error) *pb.InternalServerError {
	msg := err.Error()
	return &pb.InternalServerError{Message: &msg}
}

func (s *Service) getFriends(ctx context.Context, me string, r *pb.GetFriendsPayload) *pb.PaginatedFriendsProfilesResponse {
	p := normPage(r.GetPagination().GetLimit(), r.GetPagination().GetOffset(), friendsDefault, friendsMax)
	list, ps, err := s.friendsOf(ctx, me)
	if err != nil {
		s.log.Error("get friends", "err", err)
		return &pb.PaginatedFriendsProfilesResponse{PaginationData: &pb.PaginatedResponse{Page: 1}}
	}
	out := &pb.PaginatedFriendsProfilesResponse{Friends: []*pb.FriendProfile{}, PaginationData: &pb.PaginatedResponse{Total: int32(len(list)), Page: p.number()}}
	for _, e := range cut(list, p) {
		out.Friends = append(out.Friends, friendProfile(e.addr, ps[e.addr]))
	}
	return out
}

func (s *Service) getMutualFriends(ctx context.Context, me string, r *pb.GetMutualFriendsPayload) *pb.PaginatedFriendsProfilesResponse {
	p := normPage(r.GetPagination().GetLimit(), r.GetPagination().GetOffset(), friendsDefault, friendsMax)
	empty := &pb.PaginatedFriendsProfilesResponse{PaginationData: &pb.PaginatedResponse{Page: 1}}
	other := strings.ToLower(r.GetUser().GetAddress())
	if !isAddress(other) {
		return empty
	}
	mine, ps, err := s.friendsOf(ctx, me)
	if err != nil {
		return empty
	}
	theirs, err := s.scanAddrs(ctx, "fr/"+other+"/", s.lim.Friends)
	if err != nil {
		return empty
	}
	in := map[string]bool{}
	for _, e := range theirs {
		in[e.addr] = true
	}
	var both []listEntry
	for _, e := range mine {
		if in[e.addr] {
			both = append(both, e)
		}
	}
	// The original orders mutual friends by address.
	for i := 1; i < len(both); i++ {
		for j := i; j > 0 && both[j].addr < both[j-1].addr; j-- {
			both[j], both[j-1] = both[j-1], both[j]
		}
	}
	out := &pb.PaginatedFriendsProfilesResponse{Friends: []*pb.FriendProfile{}, PaginationData: &pb.PaginatedResponse{Total: int32(len(both)), Page: p.number()}}
	for _, e := range cut(both, p) {
		out.Friends = append(out.Friends, friendProfile(e.addr, ps[e.addr]))
	}
	return out
}

func (s *Service) getRequests(ctx context.Context, me, dir string, r *pb.GetFriendshipRequestsPayload) *pb.PaginatedFriendshipRequestsResponse {
	p := normPage(r.GetPagination().GetLimit(), r.GetPagination().GetOffset(), requestsDefault, requestsMax)
	list, ps, err := s.requestsOf(ctx, me, dir)
	if err != nil {
		return &pb.PaginatedFriendshipRequestsResponse{Response: &pb.PaginatedFriendshipRequestsResponse_InternalServerError{InternalServerError: internalErr(err)}}
	}
	reqs := &pb.FriendshipRequests{Requests: []*pb.FriendshipRequestResponse{}}
	for _, e := range cut(list, p) {
		msg := e.p.Message
		reqs.Requests = append(reqs.Requests, &pb.FriendshipRequestResponse{Id: e.p.ID, Friend: friendProfile(e.addr, ps[e.addr]), CreatedAt: e.p.TS, Message: &msg})
	}
	return &pb.PaginatedFriendshipRequestsResponse{
		Response:       &pb.PaginatedFriendshipRequestsResponse_Requests{Requests: reqs},
		PaginationData: &pb.PaginatedResponse{Total: int32(len(list)), Page: p.number()},
	}
}

// parseUpsert is parseUpsertFriendshipRequest: the action, its user
// (lower-cased) and a request's message.
func parseUpsert(r *pb.UpsertFriendshipPayload) (Action, string, string, bool) {
	switch a := r.GetAction().(type) {
	case *pb.UpsertFriendshipPayload_Request:
		return ActRequest, strings.ToLower(a.Request.GetUser().GetAddress()), a.Request.GetMessage(), true
	case *pb.UpsertFriendshipPayload_Accept:
		return ActAccept, strings.ToLower(a.Accept.GetUser().GetAddress()), "", true
	case *pb.UpsertFriendshipPayload_Reject:
		return ActReject, strings.ToLower(a.Reject.GetUser().GetAddress()), "", true
	case *pb.UpsertFriendshipPayload_Delete:
		return ActDelete, strings.ToLower(a.Delete.GetUser().GetAddress()), "", true
	case *pb.UpsertFriendshipPayload_Cancel:
		return ActCancel, strings.ToLower(a.Cancel.GetUser().GetAddress()), "", true
	}
	return "", "", "", false
}

// maxRequestMessage bounds a friendship request's message.
const maxRequestMessage = 1000

func (s *Service) rpcUpsert(ctx context.Context, me string, r *pb.UpsertFriendshipPayload) *pb.UpsertFriendshipResponse {
	invalidReq := func(msg string) *pb.UpsertFriendshipResponse {
		return &pb.UpsertFriendshipResponse{Response: &pb.UpsertFriendshipResponse_InvalidRequest{InvalidRequest: &pb.InvalidRequest{Message: &msg}}}
	}
	invalidAction := func(msg string) *pb.UpsertFriendshipResponse {
		return &pb.UpsertFriendshipResponse{Response: &pb.UpsertFriendshipResponse_InvalidFriendshipAction{InvalidFriendshipAction: &pb.InvalidFriendshipAction{Message: &msg}}}
	}
	act, other, message, ok := parseUpsert(r)
	if !ok {
		return invalidReq("Unknown message")
	}
	if act == ActRequest && other == me {
		return invalidAction("You cannot send a friendship request to yourself")
	}
	if !isAddress(other) {
		return invalidReq("Invalid user address in the request payload")
	}
	if len(message) > maxRequestMessage {
		return invalidReq(fmt.Sprintf("The message is longer than %d bytes", maxRequestMessage))
	}
	res, err := s.upsertFriendship(ctx, me, other, act, message)
	var re *requestError
	var ae *actionError
	switch {
	case err == nil:
	case errors.As(err, &re):
		return invalidReq(re.msg)
	case errors.As(err, &ae):
		return invalidAction(ae.msg)
	case errors.Is(err, errInvalidAction), errors.Is(err, errBlocked), errors.Is(err, errRate):
		return invalidAction(err.Error())
	default:
		s.log.Error("upsert friendship", "err", err)
		return &pb.UpsertFriendshipResponse{Response: &pb.UpsertFriendshipResponse_InternalServerError{InternalServerError: internalErr(err)}}
	}
	acc := &pb.UpsertFriendshipResponse_Accepted{Id: res.f.ID, CreatedAt: res.f.CreatedAt, Friend: friendProfile(other, res.receiver)}
	if message != "" {
		acc.Message = &message
	}
	if res.receiver == nil {
		if p, err := s.profileOf(ctx, other); err == nil {
			acc.Friend = friendProfile(other, p)
		}
	}
	return &pb.UpsertFriendshipResponse{Response: &pb.UpsertFriendshipResponse_Accepted_{Accepted: acc}}
}

// statusOf is getFriendshipRequestStatus from me's side.
func statusOf(a *lastAction, me string) pb.FriendshipStatus {
	if a == nil {
		return pb.FriendshipStatus_NONE
	}
	switch a.Action {
	case ActAccept:
		return pb.FriendshipStatus_ACCEPTED
	case ActCancel:
		return pb.FriendshipStatus_CANCELED
	case ActDelete:
		return pb.FriendshipStatus_DELETED
	case ActReject:
		return pb.FriendshipStatus_REJECTED
	case ActRequest:
		if a.Acting == me {
			return pb.FriendshipStatus_REQUEST_SENT
		}
		return pb.FriendshipStatus_REQUEST_RECEIVED
	case ActBlock:
		if a.Acting == me {
			return pb.FriendshipStatus_BLOCKED
		}
		return pb.FriendshipStatus_BLOCKED_BY
	}
	return pb.FriendshipStatus_NONE
}

func (s *Service) getStatus(ctx context.Context, me string, r *pb.GetFriendshipStatusPayload) *pb.GetFriendshipStatusResponse {
	other := strings.ToLower(r.GetUser().GetAddress())
	if other == "" || !isAddress(other) {
		msg := "Invalid user address in the request payload"
		if other == "" {
			msg = "User address is missing in the request payload"
		}
		return &pb.GetFriendshipStatusResponse{Response: &pb.GetFriendshipStatusResponse_InvalidRequest{InvalidRequest: &pb.InvalidRequest{Message: &msg}}}
	}
	a, err := s.status(ctx, me, other)
	if err != nil {
		return &pb.GetFriendshipStatusResponse{Response: &pb.GetFriendshipStatusResponse_InternalServerError{InternalServerError: internalErr(err)}}
	}
	return &pb.GetFriendshipStatusResponse{Response: &pb.GetFriendshipStatusResponse_Accepted{Accepted: &pb.GetFriendshipStatusResponse_Ok{Status: statusOf(a, me)}}}
}

func (s *Service) rpcBlock(ctx context.Context, me string, r *pb.BlockUserPayload) *pb.BlockUserResponse {
	other := strings.ToLower(r.GetUser().GetAddress())
	bad := func(msg string) *pb.BlockUserResponse {
		return &pb.BlockUserResponse{Response: &pb.BlockUserResponse_InvalidRequest{InvalidRequest: &pb.InvalidRequest{Message: &msg}}}
	}
	if !isAddress(other) {
		return bad("Invalid user address in the request payload")
	}
	if other == me {
		return bad("Cannot block yourself")
	}
	at, err := s.block(ctx, me, other)
	var re *requestError
	switch {
	case err == nil:
	case errors.As(err, &re):
		return bad(re.msg)
	case errors.Is(err, errRate):
		return bad(err.Error())
	default:
		return &pb.BlockUserResponse{Response: &pb.BlockUserResponse_InternalServerError{InternalServerError: internalErr(err)}}
	}
	p, _ := s.profileOf(ctx, other)
	return &pb.BlockUserResponse{Response: &pb.BlockUserResponse_Ok_{Ok: &pb.BlockUserResponse_Ok{Profile: blockedProfile(other, p, at)}}}
}

func (s *Service) rpcUnblock(ctx context.Context, me string, r *pb.UnblockUserPayload) *pb.UnblockUserResponse {
	other := strings.ToLower(r.GetUser().GetAddress())
	bad := func(msg string) *pb.UnblockUserResponse {
		return &pb.UnblockUserResponse{Response: &pb.UnblockUserResponse_InvalidRequest{InvalidRequest: &pb.InvalidRequest{Message: &msg}}}
	}
	if !isAddress(other) {
		return bad("Invalid user address in the request payload")
	}
	if other == me {
		return bad("Cannot unblock yourself")
	}
	if err := s.unblock(ctx, me, other); errors.Is(err, errRate) {
		return bad(err.Error())
	} else if err != nil {
		return &pb.UnblockUserResponse{Response: &pb.UnblockUserResponse_InternalServerError{InternalServerError: internalErr(err)}}
	}
	p, _ := s.profileOf(ctx, other)
	return &pb.UnblockUserResponse{Response: &pb.UnblockUserResponse_Ok_{Ok: &pb.UnblockUserResponse_Ok{Profile: blockedProfile(other, p, 0)}}}
}

func (s *Service) getBlocked(ctx context.Context, me string, r *pb.GetBlockedUsersPayload) *pb.GetBlockedUsersResponse {
	p := normPage(r.GetPagination().GetLimit(), r.GetPagination().GetOffset(), blockedDefault, blockedMax)
	list, err := s.blocksOf(ctx, me, "bl")
	if err != nil {
		return &pb.GetBlockedUsersResponse{PaginationData: &pb.PaginatedResponse{Page: 1}}
	}
	pageList := cut(list, p)
	addrs := make([]string, len(pageList))
	for i, e := range pageList {
		addrs[i] = e.addr
	}
	ps, _ := s.profiles(ctx, addrs)
	out := &pb.GetBlockedUsersResponse{Profiles: []*pb.BlockedUserProfile{}, PaginationData: &pb.PaginatedResponse{Total: int32(len(list)), Page: p.number()}}
	for _, e := range pageList {
		out.Profiles = append(out.Profiles, blockedProfile(e.addr, ps[e.addr], e.ts))
	}
	return out
}

func (s *Service) getBlockingStatus(ctx context.Context, me string) *pb.GetBlockingStatusResponse {
	out := &pb.GetBlockingStatusResponse{BlockedUsers: []string{}, BlockedByUsers: []string{}}
	if list, err := s.blocksOf(ctx, me, "bl"); err == nil {
		for _, e := range list {
			out.BlockedUsers = append(out.BlockedUsers, e.addr)
		}
	}
	if list, err := s.blocksOf(ctx, me, "by"); err == nil {
		for _, e := range list {
			out.BlockedByUsers = append(out.BlockedByUsers, e.addr)
		}
	}
	return out
}
