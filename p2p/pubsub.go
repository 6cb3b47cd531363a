package p2p

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pb "github.com/libp2p/go-libp2p-pubsub/pb"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
)

// MaxMessageSize bounds one gossip message. Announcements are a few KB;
// larger entity files replicate through reconciliation, so what waits in
// gossipsub's queues (validateQueue messages at most) stays small.
const MaxMessageSize = 1 << 20

// validateQueue bounds the messages waiting for validation.
const validateQueue = 256

// newPubSub makes a gossipsub router for payloads that carry their own
// signatures (auth chains): no libp2p signing or author, content-based
// message ids, and peer scoring that penalises invalid messages.
func newPubSub(ctx context.Context, h host.Host, appScore func(peer.ID) float64) (*pubsub.PubSub, error) {
	ps, err := pubsub.NewGossipSub(ctx, h,
		pubsub.WithMessageSignaturePolicy(pubsub.StrictNoSign),
		pubsub.WithNoAuthor(),
		pubsub.WithMessageIdFn(func(m *pb.Message) string {
			d := sha256.New()
			d.Write([]byte(m.GetTopic()))
			d.Write(m.Data)
			return hex.EncodeToString(d.Sum(nil))
		}),
		pubsub.WithMaxMessageSize(MaxMessageSize),
		pubsub.WithPeerExchange(true),
		// A node's own messages go to every peer of the topic (scored above
		// the publish threshold), not only to its mesh: a topic joined a
		// moment ago has an empty mesh until the next heartbeat, and what
		// is published meanwhile (a deployment, a client event) would
		// reach no one.
		pubsub.WithFloodPublish(true),
		pubsub.WithPeerScore(scoreParams(appScore), &pubsub.PeerScoreThresholds{
			GossipThreshold:             -500,
			PublishThreshold:            -1000,
			GraylistThreshold:           -2500,
			AcceptPXThreshold:           0,
			OpportunisticGraftThreshold: 2,
		}),
		pubsub.WithValidateQueueSize(validateQueue),
	)
	if err != nil {
		return nil, fmt.Errorf("p2p: gossipsub: %w", err)
	}
	return ps, nil
}

// scoreParams scores peers; appScore carries the penalties for
// misbehaviour outside gossipsub (Host.Penalize).
func scoreParams(appScore func(peer.ID) float64) *pubsub.PeerScoreParams {
	return &pubsub.PeerScoreParams{
		Topics:                      map[string]*pubsub.TopicScoreParams{},
		AppSpecificScore:            appScore,
		AppSpecificWeight:           1,
		IPColocationFactorWeight:    0, // many honest nodes may share a host in tests and NATs
		BehaviourPenaltyWeight:      -10,
		BehaviourPenaltyThreshold:   6,
		BehaviourPenaltyDecay:       pubsub.ScoreParameterDecay(10 * time.Minute),
		DecayInterval:               time.Second,
		DecayToZero:                 0.01,
		RetainScore:                 10 * time.Minute,
		TopicScoreCap:               100,
		IPColocationFactorThreshold: 1,
	}
}

// TopicScore is the scoring of a topic whose invalid messages cost their
// sender dearly: a few forged messages put a peer below the graylist.
func TopicScore() *pubsub.TopicScoreParams {
	return &pubsub.TopicScoreParams{
		TopicWeight:                     1,
		TimeInMeshWeight:                0.01,
		TimeInMeshQuantum:               time.Second,
		TimeInMeshCap:                   100,
		FirstMessageDeliveriesWeight:    1,
		FirstMessageDeliveriesDecay:     pubsub.ScoreParameterDecay(10 * time.Minute),
		FirstMessageDeliveriesCap:       100,
		InvalidMessageDeliveriesWeight:  -100,
		InvalidMessageDeliveriesDecay:   pubsub.ScoreParameterDecay(time.Hour),
		MeshMessageDeliveriesWeight:     0,
		MeshMessageDeliveriesDecay:      pubsub.ScoreParameterDecay(time.Minute),
		MeshFailurePenaltyWeight:        0,
		MeshFailurePenaltyDecay:         pubsub.ScoreParameterDecay(time.Minute),
		MeshMessageDeliveriesCap:        math.MaxFloat64,
		MeshMessageDeliveriesThreshold:  1,
		MeshMessageDeliveriesWindow:     10 * time.Millisecond,
		MeshMessageDeliveriesActivation: time.Hour,
	}
}

// Joined is a gossipsub topic joined with its validator.
type Joined struct {
	Topic *pubsub.Topic
	Sub   *pubsub.Subscription
	ps    *pubsub.PubSub
	name  string
}

// Join registers validate for the named topic (in the network's
// namespace; each validation bounded by timeout), joins it scored with
// TopicScore, and subscribes. Leave undoes it all.
func (h *Host) Join(name string, validate pubsub.ValidatorEx, timeout time.Duration) (*Joined, error) {
	full := h.Topic(name)
	ps := h.PubSub
	if err := ps.RegisterTopicValidator(full, validate, pubsub.WithValidatorTimeout(timeout)); err != nil {
		return nil, fmt.Errorf("p2p: validator of %s: %w", full, err)
	}
	topic, err := ps.Join(full)
	if err != nil {
		ps.UnregisterTopicValidator(full)
		return nil, fmt.Errorf("p2p: join %s: %w", full, err)
	}
	if err := topic.SetScoreParams(TopicScore()); err != nil {
		topic.Close()
		ps.UnregisterTopicValidator(full)
		return nil, err
	}
	sub, err := topic.Subscribe()
	if err != nil {
		topic.Close()
		ps.UnregisterTopicValidator(full)
		return nil, fmt.Errorf("p2p: subscribe %s: %w", full, err)
	}
	return &Joined{Topic: topic, Sub: sub, ps: ps, name: full}, nil
}

// Leave cancels the subscription, leaves the topic and drops its
// validator (stop the readers of Sub first).
func (j *Joined) Leave() error {
	j.Sub.Cancel()
	err := j.Topic.Close()
	j.ps.UnregisterTopicValidator(j.name)
	return err
}
