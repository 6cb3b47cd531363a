package social

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/types/known/emptypb"

	pb "github.com/p2pcatalyst/catalyst/services/social/protocol/socialpb"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

func TestTransitions(t *testing.T) {
	a, b := "0xa", "0xb"
	last := func(act Action, by string) *lastAction { return &lastAction{Action: act, Acting: by} }
	for _, c := range []struct {
		name   string
		acting string
		act    Action
		last   *lastAction
		ok     bool
	}{
		{"first request", a, ActRequest, nil, true},
		{"request to oneself", a, ActRequest, nil, false}, // target below is a for this row
		{"accept without request", a, ActAccept, nil, false},
		{"accept own request", a, ActAccept, last(ActRequest, a), false},
		{"accept the other's", b, ActAccept, last(ActRequest, a), true},
		{"reject own request", a, ActReject, last(ActRequest, a), false},
		{"reject the other's", b, ActReject, last(ActRequest, a), true},
		{"cancel own", a, ActCancel, last(ActRequest, a), true},
		{"cancel the other's", b, ActCancel, last(ActRequest, a), false},
		{"request twice", a, ActRequest, last(ActRequest, a), false},
		{"delete friends", b, ActDelete, last(ActAccept, b), true},
		{"delete a request", a, ActDelete, last(ActRequest, a), false},
		{"request after delete", a, ActRequest, last(ActDelete, b), true},
		{"request after reject", a, ActRequest, last(ActReject, b), true},
		{"request after cancel", b, ActRequest, last(ActCancel, a), true},
		{"accept after accept", a, ActAccept, last(ActAccept, b), false},
		{"delete after block", a, ActDelete, last(ActBlock, a), true},
		{"request after block", a, ActRequest, last(ActBlock, b), false},
	} {
		target := b
		if c.name == "request to oneself" {
			target = a
		}
		if got := validAction(c.acting, target, c.act, c.last); got != c.ok {
			t.Errorf("%s: validAction = %v, want %v", c.name, got, c.ok)
		}
	}
}

func upsert(t *testing.T, c *client, act Action, to string) *pb.UpsertFriendshipResponse {
	t.Helper()
	u := &pb.User{Address: to}
	p := &pb.UpsertFriendshipPayload{}
	switch act {
	case ActRequest:
		p.Action = &pb.UpsertFriendshipPayload_Request{Request: &pb.UpsertFriendshipPayload_RequestPayload{User: u}}
	case ActAccept:
		p.Action = &pb.UpsertFriendshipPayload_Accept{Accept: &pb.UpsertFriendshipPayload_AcceptPayload{User: u}}
	case ActReject:
		p.Action = &pb.UpsertFriendshipPayload_Reject{Reject: &pb.UpsertFriendshipPayload_RejectPayload{User: u}}
	case ActCancel:
		p.Action = &pb.UpsertFriendshipPayload_Cancel{Cancel: &pb.UpsertFriendshipPayload_CancelPayload{User: u}}
	case ActDelete:
		p.Action = &pb.UpsertFriendshipPayload_Delete{Delete: &pb.UpsertFriendshipPayload_DeletePayload{User: u}}
	}
	var r pb.UpsertFriendshipResponse
	if err := c.call("UpsertFriendship", p, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func status(t *testing.T, c *client, of string) pb.FriendshipStatus {
	t.Helper()
	var r pb.GetFriendshipStatusResponse
	if err := c.call("GetFriendshipStatus", &pb.GetFriendshipStatusPayload{User: &pb.User{Address: of}}, &r); err != nil {
		t.Fatal(err)
	}
	return r.GetAccepted().GetStatus()
}

func friends(t *testing.T, c *client) []string {
	t.Helper()
	var r pb.PaginatedFriendsProfilesResponse
	if err := c.call("GetFriends", &pb.GetFriendsPayload{}, &r); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range r.GetFriends() {
		out = append(out, f.GetAddress())
	}
	return out
}

func pendingOf(t *testing.T, c *client, proc string) []string {
	t.Helper()
	var r pb.PaginatedFriendshipRequestsResponse
	if err := c.call(proc, &pb.GetFriendshipRequestsPayload{}, &r); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, q := range r.GetRequests().GetRequests() {
		out = append(out, q.GetFriend().GetAddress())
	}
	return out
}

// The friendship state machine over the socket: request, cancel, reject,
// accept, delete; who may do what; updates to the other side; events.
func TestFriendships(t *testing.T) {
	f := newFixture(t, nil)
	alice, bob, carol := f.user(t, "alice"), f.user(t, "bob"), f.user(t, "carol")
	ac, bc, cc := dial(t, f.srv.URL, alice), dial(t, f.srv.URL, bob), dial(t, f.srv.URL, carol)
	bobUpdates := bc.subscribe(t, "SubscribeToFriendshipUpdates")

	if r := upsert(t, ac, ActRequest, alice.Address); r.GetInvalidFriendshipAction() == nil {
		t.Fatalf("a request to oneself: %v", r)
	}
	if r := upsert(t, ac, ActAccept, bob.Address); r.GetInvalidFriendshipAction() == nil {
		t.Fatalf("accept with no request: %v", r)
	}
	if r := upsert(t, ac, ActRequest, "0xnot-an-address"); r.GetInvalidRequest() == nil {
		t.Fatalf("a bad address: %v", r)
	}
	if got := friends(t, ac); len(got) != 0 || status(t, ac, bob.Address) != pb.FriendshipStatus_NONE {
		t.Fatalf("refused actions changed something: %v", got)
	}
	nobody := entitytest.NewIdentity()
	if r := upsert(t, ac, ActRequest, nobody.Address); r.GetInvalidRequest() == nil {
		t.Fatalf("a request to a user without a profile: %v", r)
	}

	r := upsert(t, ac, ActRequest, bob.Address)
	if r.GetAccepted().GetFriend().GetAddress() != bob.Address || r.GetAccepted().GetFriend().GetName() != "bob" {
		t.Fatalf("request: %v", r)
	}
	var u pb.FriendshipUpdate
	next(t, bobUpdates, &u)
	if u.GetRequest().GetFriend().GetAddress() != alice.Address || u.GetRequest().GetFriend().GetName() != "alice" {
		t.Fatalf("bob's update: %v", &u)
	}
	if got := pendingOf(t, bc, "GetPendingFriendshipRequests"); len(got) != 1 || got[0] != alice.Address {
		t.Fatalf("bob's pending: %v", got)
	}
	if got := pendingOf(t, ac, "GetSentFriendshipRequests"); len(got) != 1 || got[0] != bob.Address {
		t.Fatalf("alice's sent: %v", got)
	}
	if got := pendingOf(t, cc, "GetPendingFriendshipRequests"); len(got) != 0 {
		t.Fatalf("carol reads others' requests: %v", got)
	}
	if s := status(t, ac, bob.Address); s != pb.FriendshipStatus_REQUEST_SENT {
		t.Fatalf("alice's status: %v", s)
	}
	if s := status(t, bc, alice.Address); s != pb.FriendshipStatus_REQUEST_RECEIVED {
		t.Fatalf("bob's status: %v", s)
	}
	if r := upsert(t, bc, ActCancel, alice.Address); r.GetInvalidFriendshipAction() == nil {
		t.Fatalf("bob cancels alice's request: %v", r)
	}
	upsert(t, ac, ActCancel, bob.Address)
	next(t, bobUpdates, &u)
	if u.GetCancel().GetUser().GetAddress() != alice.Address {
		t.Fatalf("cancel update: %v", &u)
	}
	if got := pendingOf(t, bc, "GetPendingFriendshipRequests"); len(got) != 0 {
		t.Fatalf("a cancelled request is pending: %v", got)
	}
	upsert(t, ac, ActRequest, bob.Address)
	next(t, bobUpdates, &u)
	upsert(t, bc, ActReject, alice.Address)
	if s := status(t, ac, bob.Address); s != pb.FriendshipStatus_REJECTED {
		t.Fatalf("after a reject: %v", s)
	}
	upsert(t, ac, ActRequest, bob.Address)
	next(t, bobUpdates, &u)
	if r := upsert(t, bc, ActAccept, alice.Address); r.GetAccepted() == nil {
		t.Fatalf("accept: %v", r)
	}
	if a, b := friends(t, ac), friends(t, bc); len(a) != 1 || a[0] != bob.Address || len(b) != 1 || b[0] != alice.Address {
		t.Fatalf("friends: %v %v", a, b)
	}
	var mutual pb.PaginatedFriendsProfilesResponse
	bc.call("GetMutualFriends", &pb.GetMutualFriendsPayload{User: &pb.User{Address: carol.Address}}, &mutual)
	if len(mutual.GetFriends()) != 0 {
		t.Fatalf("mutual friends with carol: %v", &mutual)
	}
	upsert(t, ac, ActDelete, bob.Address)
	next(t, bobUpdates, &u)
	if u.GetDelete().GetUser().GetAddress() != alice.Address || len(friends(t, bc)) != 0 {
		t.Fatalf("delete: %v", &u)
	}

	// The bus has the requests and the accept, as @dcl/schemas has them.
	var subs []string
	var first map[string]any
	evs, err := f.st.ReadEvents(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Type == "social-service" {
			subs = append(subs, e.SubType)
			if first == nil {
				json.Unmarshal(e.Metadata, &first)
			}
		}
	}
	if len(subs) != 4 || subs[3] != "friendship-accepted" || subs[0] != "friendship-request" {
		t.Fatalf("events: %v", subs)
	}
	if s, _ := first["sender"].(map[string]any); s["address"] != alice.Address || s["name"] != "alice" || first["requestId"] == "" {
		t.Fatalf("request event: %v", first)
	}
}

func TestBlocks(t *testing.T) {
	f := newFixture(t, nil)
	alice, bob := f.user(t, "alice"), f.user(t, "bob")
	ac, bc := dial(t, f.srv.URL, alice), dial(t, f.srv.URL, bob)
	blocks := bc.subscribe(t, "SubscribeToBlockUpdates")
	upsert(t, ac, ActRequest, bob.Address)
	upsert(t, bc, ActAccept, alice.Address)

	var br pb.BlockUserResponse
	if err := ac.call("BlockUser", &pb.BlockUserPayload{User: &pb.User{Address: alice.Address}}, &br); err != nil || br.GetInvalidRequest() == nil {
		t.Fatalf("blocking oneself: %v %v", &br, err)
	}
	if err := ac.call("BlockUser", &pb.BlockUserPayload{User: &pb.User{Address: bob.Address}}, &br); err != nil || br.GetOk().GetProfile().GetAddress() != bob.Address || br.GetOk().GetProfile().GetBlockedAt() == 0 {
		t.Fatalf("block: %v %v", &br, err)
	}
	var bu pb.BlockUpdate
	next(t, blocks, &bu)
	if bu.GetAddress() != alice.Address || !bu.GetIsBlocked() {
		t.Fatalf("block update: %v", &bu)
	}
	if s := status(t, ac, bob.Address); s != pb.FriendshipStatus_BLOCKED {
		t.Fatalf("blocker's status: %v", s)
	}
	if s := status(t, bc, alice.Address); s != pb.FriendshipStatus_BLOCKED_BY {
		t.Fatalf("blocked's status: %v", s)
	}
	if len(friends(t, ac)) != 0 || len(friends(t, bc)) != 0 {
		t.Fatal("a block keeps the friendship")
	}
	if r := upsert(t, bc, ActRequest, alice.Address); r.GetInvalidFriendshipAction() == nil {
		t.Fatalf("a blocked user's request: %v", r)
	}
	var bs pb.GetBlockingStatusResponse
	bc.call("GetBlockingStatus", &emptypb.Empty{}, &bs)
	if len(bs.GetBlockedByUsers()) != 1 || bs.GetBlockedByUsers()[0] != alice.Address || len(bs.GetBlockedUsers()) != 0 {
		t.Fatalf("blocking status: %v", &bs)
	}
	var ur pb.UnblockUserResponse
	if err := ac.call("UnblockUser", &pb.UnblockUserPayload{User: &pb.User{Address: bob.Address}}, &ur); err != nil || ur.GetOk() == nil {
		t.Fatalf("unblock: %v %v", &ur, err)
	}
	next(t, blocks, &bu)
	if bu.GetIsBlocked() {
		t.Fatalf("unblock update: %v", &bu)
	}
	if s := status(t, ac, bob.Address); s != pb.FriendshipStatus_DELETED {
		t.Fatalf("after unblocking: %v", s)
	}
	if r := upsert(t, bc, ActRequest, alice.Address); r.GetAccepted() == nil {
		t.Fatalf("a request after the unblock: %v", r)
	}
}

// Connectivity: friends subscribed see a friend come to comms and go;
// a subscription starts with the friends online.
func TestConnectivity(t *testing.T) {
	f := newFixture(t, nil)
	alice, bob := f.user(t, "alice"), f.user(t, "bob")
	ac, bc := dial(t, f.srv.URL, alice), dial(t, f.srv.URL, bob)
	upsert(t, ac, ActRequest, bob.Address)
	upsert(t, bc, ActAccept, alice.Address)
	f.svc.Connected(alice.Address)
	updates := bc.subscribe(t, "SubscribeToFriendConnectivityUpdates")
	var u pb.FriendConnectivityUpdate
	next(t, updates, &u)
	if u.GetFriend().GetAddress() != alice.Address || u.GetStatus() != pb.ConnectivityStatus_ONLINE {
		t.Fatalf("initial: %v", &u)
	}
	f.svc.Disconnected(alice.Address)
	next(t, updates, &u)
	if u.GetStatus() != pb.ConnectivityStatus_OFFLINE {
		t.Fatalf("offline: %v", &u)
	}
	f.svc.SetOnline([]string{alice.Address})
	next(t, updates, &u)
	if u.GetStatus() != pb.ConnectivityStatus_ONLINE {
		t.Fatalf("SetOnline: %v", &u)
	}
}

// Bounds: pending requests sent per user.
func TestPendingBound(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Limits = DefaultLimits
		c.Limits.PendingSent = 1
	})
	alice, bob, carol := f.user(t, "alice"), f.user(t, "bob"), f.user(t, "carol")
	ac := dial(t, f.srv.URL, alice)
	upsert(t, ac, ActRequest, bob.Address)
	if r := upsert(t, ac, ActRequest, carol.Address); r.GetInvalidFriendshipAction() == nil {
		t.Fatalf("past the bound: %v", r)
	}
	if got := pendingOf(t, ac, "GetSentFriendshipRequests"); len(got) != 1 {
		t.Fatalf("sent: %v", got)
	}
}

// closeCode connects, sends frame (nil: nothing) and returns the close
// code the server ends with.
func closeCode(t *testing.T, base string, frame []byte) int {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial(wsURL(base), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if frame != nil {
		conn.WriteMessage(websocket.BinaryMessage, frame)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			if ce, ok := err.(*websocket.CloseError); ok {
				return ce.Code
			}
			t.Fatalf("not a close: %v", err)
		}
	}
}

func TestAuthentication(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Limits = DefaultLimits
		c.Limits.AuthTimeout = 200 * time.Millisecond
	})
	alice := f.user(t, "alice")
	if code := closeCode(t, f.srv.URL, []byte("{not json")); code != CloseUnauthorized {
		t.Fatalf("bad JSON: %d", code)
	}
	if code := closeCode(t, f.srv.URL, authFrame(alice, `{"signer":"decentraland-kernel-scene","sceneId":"x"}`)); code != CloseUnauthorized {
		t.Fatalf("a scene: %d", code)
	}
	if code := closeCode(t, f.srv.URL, nil); code != CloseAuthTimeout {
		t.Fatalf("no frame: %d", code)
	}
	c := dial(t, f.srv.URL, alice)
	var st pb.GetSocialSettingsResponse
	if err := c.call("GetSocialSettings", &emptypb.Empty{}, &st); err != nil || st.GetOk() == nil {
		t.Fatalf("after auth: %v %v", &st, err)
	}
	// A garbage rpc frame ends the connection.
	c.write(&pb.User{Address: "x"})
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
		t.Fatal("a malformed frame did not close the socket")
	}
}

func TestVoiceNotBuilt(t *testing.T) {
	f := newFixture(t, nil)
	alice := f.user(t, "alice")
	c := dial(t, f.srv.URL, alice)
	var r pb.StartPrivateVoiceChatResponse
	if err := c.call("StartPrivateVoiceChat", &pb.StartPrivateVoiceChatPayload{}, &r); err != nil || r.GetInvalidRequest().GetMessage() != noVoice {
		t.Fatalf("voice chat: %v %v", &r, err)
	}
	var g pb.GetIncomingPrivateVoiceChatRequestResponse
	if err := c.call("GetIncomingPrivateVoiceChatRequest", &emptypb.Empty{}, &g); err != nil || g.GetInternalServerError().GetMessage() != noVoice {
		t.Fatalf("incoming voice chat: %v %v", &g, err)
	}
}
