package node

import (
	"context"
	"fmt"
	"github.com/p2pcatalyst/catalyst/services/places"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/comms/archipelago"
	"github.com/p2pcatalyst/catalyst/comms/gatekeeper"
	"github.com/p2pcatalyst/catalyst/comms/rtc"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// newComms builds the comms parts: bans, room keys, the SFU and the
// archipelago, with their events going to the node's bus.
func (n *Node) newComms(verifier authchain.Verifier) error {
	cfg := n.cfg
	bansFile := cfg.BansFile
	if bansFile == "" {
		bansFile = filepath.Join(cfg.DataDir, "comms", "bans.json")
	}
	var err error
	if n.bans, err = gatekeeper.LoadBans(bansFile, cfg.Logger); err != nil {
		return err
	}
	if n.keys, err = rtc.LoadKeys(filepath.Join(cfg.DataDir, "comms", "livekit.key")); err != nil {
		return err
	}
	n.SFU = rtc.New(rtc.Config{
		Keys: n.keys, UDPPort: cfg.RTCUDPPort, NAT1To1IPs: cfg.RTCPublicIPs, IPs: cfg.RTCIPs,
		RememberedPort: n.ports.RTCUDP, AnyPortIfTaken: cfg.FreePorts,
		Banned: n.bans.Banned, Events: n.roomEvent, Logger: cfg.Logger, Metrics: n.Registry,
	})
	n.Comms = archipelago.New(archipelago.Config{
		Verifier: verifier, Logger: cfg.Logger, Metrics: n.Registry, PublicURL: cfg.PublicURL,
		Banned: n.bans.Banned, Moved: n.moved, Walked: n.walked, Climbed: n.climbed,
		Joined: func(a string) { n.social.Connected(a) }, Left: func(a string) { n.social.Disconnected(a) },
		ConnStr: func(base, island, address string) (string, error) {
			return n.keys.ConnStr(base, address, "island-"+island)
		},
	})
	n.parts.add("rtc", n.SFU)
	n.parts.add("archipelago", newLoop(n.Comms.Run))
	n.parts.add("bans", newLoop(func(ctx context.Context) { n.bans.Run(ctx, 5*time.Second) }))
	return nil
}

// publish puts an event the node observed on the bus without waiting
// (comms must not wait for the disk).
func (n *Node) publish(typ, sub, key string, ts int64, meta map[string]any) {
	e, err := events.New(typ, sub, key, ts, meta)
	if err != nil {
		n.log.Error("event not published", "type", typ, "subType", sub, "err", err)
		return
	}
	n.Events.PublishAsync(e)
}

// roomEvent publishes user-joined-room / user-left-room for an SFU room.
func (n *Node) roomEvent(identity, room string, joined bool) {
	sub := "user-left-room"
	if joined {
		sub = "user-joined-room"
	}
	meta := map[string]any{"userAddress": identity, "realmName": n.cfg.RealmName, "isWorld": false, "roomType": "unknown"}
	if island, ok := strings.CutPrefix(room, "island-"); ok {
		meta["roomType"], meta["islandName"] = "island", island
	} else if scene, ok := strings.CutPrefix(room, "scene-"); ok {
		_, sceneID, _ := strings.Cut(scene, ":")
		meta["roomType"], meta["sceneId"] = "scene", sceneID
	}
	if joined {
		meta["parcel"] = ""
		if _, ok := meta["sceneId"]; !ok {
			meta["sceneId"] = ""
		}
	}
	now := time.Now().UnixMilli()
	n.publish("comms", sub, fmt.Sprintf("%s-%s-%d", identity, room, now), now, meta)
}

// moved publishes move-to-parcel when a heartbeat crosses into another
// parcel, naming the scene there from the node's own entities.
func (n *Node) moved(address string, from, to [2]int, first bool) {
	newParcel := fmt.Sprintf("%d,%d", to[0], to[1])
	oldParcel := ""
	if !first {
		oldParcel = fmt.Sprintf("%d,%d", from[0], from[1])
	}
	sceneHash := ""
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	if ds, err := n.Store.ActiveByPointers(ctx, []string{newParcel}); err == nil && len(ds) > 0 {
		sceneHash = ds[0].ID
	}
	cancel()
	now := time.Now().UnixMilli()
	meta := n.clientMeta(address, now)
	meta["parcel"] = map[string]any{"isEmptyParcel": sceneHash == "", "newParcel": newParcel, "oldParcel": oldParcel, "sceneHash": sceneHash}
	n.publish("client", "move-to-parcel", fmt.Sprintf("%s-%s-%d", address, newParcel, now), now, meta)
}

// stepLength is an avatar's walking step, to count the steps of a
// distance walked.
const stepLength = 0.8

// walked publishes walked-distance for what an explorer walked since the
// last report, derived from its heartbeats.
func (n *Node) walked(address string, metres float64) {
	now := time.Now().UnixMilli()
	meta := n.clientMeta(address, now)
	meta["distance"], meta["stepCount"] = math.Round(metres), math.Round(metres/stepLength)
	n.publish("client", "walked-distance", fmt.Sprintf("%s-walked-%d", address, now), now, meta)
}

// climbed publishes vertical-height-reached with the session's height
// gained so far.
func (n *Node) climbed(address string, total float64) {
	now := time.Now().UnixMilli()
	meta := n.clientMeta(address, now)
	meta["height"] = math.Round(total)
	n.publish("client", "vertical-height-reached", fmt.Sprintf("%s-height-%d", address, now), now, meta)
}

// clientMeta is the metadata every client event carries (@dcl/schemas
// ClientBaseMetadata), for what the node observed itself: no auth chain,
// no session ids.
func (n *Node) clientMeta(address string, now int64) map[string]any {
	return map[string]any{
		"userAddress": address, "realm": n.cfg.RealmName, "timestamp": now,
		"timestamps": map[string]int64{"reportedAt": now, "receivedAt": now},
		"sessionId":  "", "anonymousId": "", "authChain": []any{},
	}
}

// peopleOn is how many people are on the parcels now, by realm: this
// node's own comms, and every other realm's record on the network (the
// places' user_count and realms_detail).
func (n *Node) peopleOn(positions []string) (int, []places.Realm) {
	on := map[[2]int]bool{}
	for _, p := range positions {
		if x, y, ok := entity.ParseParcel(p); ok {
			on[[2]int{x, y}] = true
		}
	}
	realms := []places.Realm{}
	total := 0
	add := func(name string, count int) {
		if count > 0 {
			realms = append(realms, places.Realm{ServerName: name, UsersCount: count})
			total += count
		}
	}
	count := 0
	for _, p := range n.Comms.Peers() {
		if on[p.Parcel] {
			count++
		}
	}
	add(n.cfg.RealmName, count)
	if n.realms != nil {
		self := n.Host.ID().String()
		for _, rec := range n.realms.Realms() {
			if rec.PeerID == self {
				continue
			}
			count := 0
			for _, p := range rec.UserParcels {
				if on[p] {
					count++
				}
			}
			add(rec.ServerName, count)
		}
	}
	return total, realms
}
