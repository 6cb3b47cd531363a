package explorationgames

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// Sending a reward: each attempt has rewardTimeout, and rewardAttempts
// are made before it is given up.
const (
	rewardTimeout  = 10 * time.Second
	rewardAttempts = 3
)

// publishCompletions puts a post's completions on the bus. A reward
// request is kept under rp/ until published: the missions loop publishes
// what a failure (or a crash) left there; its key makes it told once.
func (s *Service) publishCompletions(ctx context.Context, res *recorded) {
	if s.cfg.Bus == nil {
		return
	}
	for _, e := range res.challenges {
		if err := s.cfg.Bus.Publish(ctx, e); err != nil {
			s.log.Warn("challenge-completed not published", "key", e.Key, "err", err)
		}
	}
	for i, e := range res.rewards {
		s.rewards.WithLabelValues("requested").Inc()
		if err := s.cfg.Bus.Publish(ctx, e); err != nil {
			s.log.Warn("reward-requested not published yet", "key", e.Key, "err", err)
			continue
		}
		if err := s.ks.Write(ctx, map[string][]byte{kPendingReward + res.runs[i]: nil}); err != nil {
			s.log.Warn("a published reward request stays pending", "key", e.Key, "err", err)
		}
	}
}

// publishPending publishes the reward requests left under rp/.
func (s *Service) publishPending(ctx context.Context) error {
	if s.cfg.Bus == nil {
		return nil
	}
	pending := map[string]events.Event{}
	err := s.ks.Scan(ctx, kPendingReward, func(name string, v []byte) error {
		var e events.Event
		if json.Unmarshal(v, &e) == nil {
			pending[name] = e
		}
		return nil
	})
	if err != nil {
		return err
	}
	for key, e := range pending {
		if err := s.cfg.Bus.Publish(ctx, e); err != nil {
			return err
		}
		if err := s.ks.Write(ctx, map[string][]byte{key: nil}); err != nil {
			return err
		}
	}
	return nil
}

// sendReward is the bus consumer that POSTs reward requests to
// RewardsURL+"/rewards" as the original's rewards adapter: {campaign_key,
// beneficiary}. A request that fails rewardAttempts times, or that the
// server refuses (4xx), is logged and given up; when the bus stops
// midway it is handed again after a restart.
func (s *Service) sendReward(ctx context.Context, e store.StoredEvent) error {
	if e.Type != EventType || e.SubType != SubTypeReward {
		return nil
	}
	var m struct {
		CampaignKey string `json:"campaign_key"`
		Beneficiary string `json:"beneficiary"`
	}
	if json.Unmarshal(e.Metadata, &m) != nil || m.CampaignKey == "" || m.Beneficiary == "" {
		s.log.Warn("a reward request without a campaign or a beneficiary", "key", e.Key)
		return nil
	}
	body, _ := json.Marshal(map[string]string{"campaign_key": m.CampaignKey, "beneficiary": m.Beneficiary})
	wait := s.retryWait
	for attempt := 1; ; attempt++ {
		retry, err := s.postReward(ctx, body)
		if err == nil {
			s.rewards.WithLabelValues("posted").Inc()
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !retry || attempt == rewardAttempts {
			s.rewards.WithLabelValues("failed").Inc()
			s.log.Warn("a reward was not sent", "key", e.Key, "campaign", m.CampaignKey, "beneficiary", m.Beneficiary, "attempts", attempt, "err", err)
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// postReward makes one attempt; retry tells whether another may do
// better (no answer, 5xx, 429).
func (s *Service) postReward(ctx context.Context, body []byte) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, rewardTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(s.cfg.RewardsURL, "/")+"/rewards", bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	res, err := s.client.Do(req)
	if err != nil {
		return true, err
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 512))
	if res.StatusCode/100 == 2 {
		return false, nil
	}
	return res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests,
		fmt.Errorf("rewards answered %d: %s", res.StatusCode, bytes.TrimSpace(msg))
}
