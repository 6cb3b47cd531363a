package social

import (
	"context"
	"strings"

	"google.golang.org/protobuf/proto"

	pb "github.com/p2pcatalyst/catalyst/services/social/protocol/socialpb"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// friendshipUpdate is the FriendshipUpdate the other user sees for an
// action of from (parseEmittedUpdateToFriendshipUpdate).
func friendshipUpdate(from string, a lastAction, sender *profile) *pb.FriendshipUpdate {
	u := &pb.User{Address: from}
	switch a.Action {
	case ActRequest:
		r := &pb.FriendshipUpdate_RequestResponse{Friend: friendProfile(from, sender), CreatedAt: a.TS, Id: a.ID}
		if a.Message != "" {
			r.Message = &a.Message
		}
		return &pb.FriendshipUpdate{Update: &pb.FriendshipUpdate_Request{Request: r}}
	case ActAccept:
		return &pb.FriendshipUpdate{Update: &pb.FriendshipUpdate_Accept{Accept: &pb.FriendshipUpdate_AcceptResponse{User: u}}}
	case ActReject:
		return &pb.FriendshipUpdate{Update: &pb.FriendshipUpdate_Reject{Reject: &pb.FriendshipUpdate_RejectResponse{User: u}}}
	case ActCancel:
		return &pb.FriendshipUpdate{Update: &pb.FriendshipUpdate_Cancel{Cancel: &pb.FriendshipUpdate_CancelResponse{User: u}}}
	case ActDelete:
		return &pb.FriendshipUpdate{Update: &pb.FriendshipUpdate_Delete{Delete: &pb.FriendshipUpdate_DeleteResponse{User: u}}}
	case ActBlock:
		return &pb.FriendshipUpdate{Update: &pb.FriendshipUpdate_Block{Block: &pb.FriendshipUpdate_BlockResponse{User: u}}}
	}
	return nil
}

func (s *Service) deliver(to string, k kind, m proto.Message) {
	b, err := proto.Marshal(m)
	if err != nil {
		return
	}
	sent, dropped := s.hub.send(to, k, b)
	if sent > 0 {
		s.m.updates.WithLabelValues(kindNames[k], "sent").Add(float64(sent))
	}
	if dropped > 0 {
		s.m.updates.WithLabelValues(kindNames[k], "dropped").Add(float64(dropped))
		s.guard.Hit("subscription_queue")
	}
}

func (s *Service) sendFriendshipUpdate(to string, u *pb.FriendshipUpdate) {
	if u != nil {
		s.deliver(to, kindFriendship, u)
	}
}

func (s *Service) sendBlockUpdate(to, blocker string, blocked bool) {
	s.deliver(to, kindBlock, &pb.BlockUpdate{Address: blocker, IsBlocked: blocked})
}

func connectivity(addr string, p *profile, online bool) *pb.FriendConnectivityUpdate {
	st := pb.ConnectivityStatus_OFFLINE
	if online {
		st = pb.ConnectivityStatus_ONLINE
	}
	return &pb.FriendConnectivityUpdate{Friend: friendProfile(addr, p), Status: st}
}

// sendConnectivity tells to that friend went online or offline.
func (s *Service) sendConnectivity(to, friend string, p *profile, online bool) {
	s.deliver(to, kindConnectivity, connectivity(friend, p, online))
}

// isOnline reports whether addr is in the node's comms now.
func (s *Service) isOnline(addr string) bool {
	if s.cfg.Online != nil {
		return s.cfg.Online(addr)
	}
	s.onlineMu.Lock()
	defer s.onlineMu.Unlock()
	return s.online[addr]
}

// Connected is told by the node when a peer with this address connects
// to its comms (the original's NATS peer.<address>.connect): the
// address's friends who subscribed to connectivity updates see it ONLINE.
func (s *Service) Connected(address string) { s.setOnline(strings.ToLower(address), true) }

// Disconnected is told when the peer's last comms connection ends
// (peer.<address>.disconnect): its friends see it OFFLINE.
func (s *Service) Disconnected(address string) { s.setOnline(strings.ToLower(address), false) }

// SetOnline replaces the set of addresses connected to comms, telling
// friends of those that came and went (for a node that polls its comms
// instead of calling Connected and Disconnected).
func (s *Service) SetOnline(addresses []string) {
	now := map[string]bool{}
	for _, a := range addresses {
		now[strings.ToLower(a)] = true
	}
	s.onlineMu.Lock()
	var came, went []string
	for a := range now {
		if !s.online[a] {
			came = append(came, a)
		}
	}
	for a := range s.online {
		if !now[a] {
			went = append(went, a)
		}
	}
	s.onlineMu.Unlock()
	for _, a := range came {
		s.setOnline(a, true)
	}
	for _, a := range went {
		s.setOnline(a, false)
	}
}

func (s *Service) setOnline(addr string, online bool) {
	if !isAddress(addr) {
		return
	}
	s.onlineMu.Lock()
	changed := s.online[addr] != online
	if online {
		s.online[addr] = true
	} else {
		delete(s.online, addr)
	}
	s.onlineMu.Unlock()
	if !changed {
		return
	}
	defer s.guard.Recover("connectivity", "address", addr)
	ctx := context.Background()
	friends, err := s.scanAddrs(ctx, "fr/"+addr+"/", s.lim.Friends)
	if err != nil {
		s.log.Warn("connectivity not sent", "address", addr, "err", err)
		return
	}
	var to []string
	for _, f := range friends {
		if s.hub.subscribed(f.addr, kindConnectivity) {
			to = append(to, f.addr)
		}
	}
	if len(to) == 0 {
		return
	}
	p, err := s.profileOf(ctx, addr)
	if err != nil || p == nil {
		return // the original skips an update whose profile it cannot fetch
	}
	b, _ := proto.Marshal(connectivity(addr, p, online))
	for _, f := range to {
		sent, dropped := s.hub.send(f, kindConnectivity, b)
		s.m.updates.WithLabelValues("connectivity", "sent").Add(float64(sent))
		if dropped > 0 {
			s.m.updates.WithLabelValues("connectivity", "dropped").Add(float64(dropped))
		}
	}
}

// person is the sender/receiver of a friendship event.
type person struct {
	Address         string `json:"address"`
	Name            string `json:"name"`
	ProfileImageURL string `json:"profileImageUrl"`
	HasClaimedName  bool   `json:"hasClaimedName"`
}

func personOf(addr string, p *profile) person {
	if p == nil {
		return person{Address: addr}
	}
	return person{Address: addr, Name: p.Name, ProfileImageURL: p.Picture, HasClaimedName: p.HasClaimedName}
}

// publishFriendship puts SOCIAL_SERVICE friendship-request or
// friendship-accepted on the bus (@dcl/schemas FriendshipRequestEvent,
// FriendshipAcceptedEvent; key: the action id).
func (s *Service) publishFriendship(ctx context.Context, a lastAction, sender, receiver string, sp, rp *profile) {
	sub := "friendship-request"
	if a.Action == ActAccept {
		sub = "friendship-accepted"
	}
	meta := map[string]any{"requestId": a.ID, "sender": personOf(sender, sp), "receiver": personOf(receiver, rp)}
	if a.Action == ActRequest && a.Message != "" {
		meta["message"] = a.Message
	}
	s.publish(ctx, "social-service", sub, a.ID, meta)
}

// publish puts an event on the bus (a failure is logged: the change it
// reports is stored already).
func (s *Service) publish(ctx context.Context, typ, sub, key string, meta any) {
	if s.cfg.Bus == nil {
		return
	}
	e, err := events.New(typ, sub, key, s.cfg.Now().UnixMilli(), meta)
	if err == nil {
		err = s.cfg.Bus.Publish(ctx, e)
	}
	if err != nil {
		s.log.Error("event not published", "type", typ, "subType", sub, "key", key, "err", err)
	}
}
