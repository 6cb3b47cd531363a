package badges

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/events"
)

// Rules of the handlers, as the real processor has them.
const (
	travelerMinimum = 60_000      // ms in a scene for it to count
	travelerSession = 30 * 60_000 // a longer stay between moves counts this much
	maxTitleBytes   = 128         // of a scene title remembered
	emoteEvery      = 60_000      // moves_master counts one emote a minute
	voyagerHeight   = 500         // metres gained in one session
	maxRemembered   = 10_000      // scenes, receivers and parts a progress remembers
)

// handle runs the handlers of e's type.
func (s *Service) handle(bt *batch, e events.StoredEvent) error {
	switch {
	case e.Type == store.DeploymentEventType:
		return s.onDeployment(bt, e)
	case e.Type == "client":
		return s.onClient(bt, e)
	case e.Type == "blockchain":
		return s.onChain(bt, e)
	}
	return nil
}

// step adds n steps to (user, badge) for e, unless e was counted.
func (bt *batch) step(user, badge string, e events.StoredEvent, n int) error {
	p, err := bt.progress(user, badge, e.Seq)
	if err != nil || p == nil {
		return err
	}
	p.Steps += n
	bt.done(p, e.Seq, e.Timestamp)
	return nil
}

// remember adds item to p's remembered set; false when it was there (or
// the badge is complete: nothing more to count).
func remember(p *Progress, item string) bool {
	if p.CompletedAt != 0 || slices.Contains(p.Seen, item) || len(p.Seen) >= maxRemembered {
		return false
	}
	p.Seen = append(p.Seen, item)
	return true
}

func (s *Service) onDeployment(bt *batch, e events.StoredEvent) error {
	var m struct {
		Entity struct {
			Type     string          `json:"type"`
			Pointers []string        `json:"pointers"`
			Metadata json.RawMessage `json:"metadata"`
		} `json:"entity"`
		AuthChain []struct {
			Payload string `json:"payload"`
		} `json:"authChain"`
	}
	if d := e.Deployment; d != nil {
		m.Entity.Type, m.Entity.Pointers, m.Entity.Metadata = string(d.Type), d.Pointers, d.Metadata
		for _, l := range d.AuthChain {
			m.AuthChain = append(m.AuthChain, struct {
				Payload string `json:"payload"`
			}{l.Payload})
		}
	} else if err := json.Unmarshal(e.Metadata, &m); err != nil {
		return nil
	}
	if len(m.AuthChain) == 0 {
		return nil
	}
	signer := strings.ToLower(m.AuthChain[0].Payload)
	switch m.Entity.Type {
	case "scene": // land_architect: a scene deployed by its signer
		return bt.step(signer, "land_architect", e, 1)
	case "store": // open_for_business: the store's information
		return s.part(bt, signer, "store", e)
	case "profile":
		if len(m.Entity.Pointers) == 0 {
			return nil
		}
		user := strings.ToLower(m.Entity.Pointers[0])
		var meta struct {
			Avatars []struct {
				Description string `json:"description"`
				Avatar      struct {
					Wearables []string `json:"wearables"`
				} `json:"avatar"`
			} `json:"avatars"`
		}
		json.Unmarshal(m.Entity.Metadata, &meta)
		if len(meta.Avatars) == 0 {
			return nil
		}
		a := meta.Avatars[0]
		if strings.TrimSpace(a.Description) != "" { // profile_pro
			if err := s.once(bt, user, "profile_pro", e); err != nil {
				return err
			}
		}
		for rarity, n := range s.wornRarities(bt.ctx, a.Avatar.Wearables) { // the rarity badges
			if badge, ok := rarities[rarity]; ok && n >= 3 {
				if err := s.once(bt, user, badge, e); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// once completes a one-step badge.
func (s *Service) once(bt *batch, user, badge string, e events.StoredEvent) error {
	p, err := bt.progress(user, badge, e.Seq)
	if err != nil || p == nil || p.CompletedAt != 0 {
		return err
	}
	p.Steps = 1
	bt.done(p, e.Seq, e.Timestamp)
	return nil
}

// part records a part of open_for_business (the store, a collection).
func (s *Service) part(bt *batch, user, part string, e events.StoredEvent) error {
	p, err := bt.progress(user, "open_for_business", e.Seq)
	if err != nil || p == nil {
		return err
	}
	if remember(p, part) {
		p.Steps = len(p.Seen)
	}
	bt.done(p, e.Seq, e.Timestamp)
	return nil
}

func (s *Service) onClient(bt *batch, e events.StoredEvent) error {
	var m struct {
		UserAddress string `json:"userAddress"`
		Parcel      struct {
			NewParcel string `json:"newParcel"`
		} `json:"parcel"`
		Passport struct {
			Receiver string `json:"receiver"`
		} `json:"passport"`
		Height    float64 `json:"height"`
		StepCount float64 `json:"stepCount"`
	}
	if err := json.Unmarshal(e.Metadata, &m); err != nil || m.UserAddress == "" {
		return nil
	}
	user := strings.ToLower(m.UserAddress)
	switch e.SubType {
	case "move-to-parcel":
		if err := s.once(bt, user, "dclcitizen", e); err != nil {
			return err
		}
		return s.travel(bt, user, s.sceneAt(bt.ctx, m.Parcel.NewParcel), e)
	case "used-emote": // moves_master: at most one a minute
		p, err := bt.progress(user, "moves_master", e.Seq)
		if err != nil || p == nil {
			return err
		}
		if p.LastAt == 0 || e.Timestamp-p.LastAt >= emoteEvery {
			p.Steps++
			p.LastAt = e.Timestamp
		}
		bt.done(p, e.Seq, e.Timestamp)
	case "passport-opened": // social_butterfly: each receiver once, never oneself
		receiver := strings.ToLower(m.Passport.Receiver)
		if receiver == "" || receiver == user {
			return nil
		}
		p, err := bt.progress(user, "social_butterfly", e.Seq)
		if err != nil || p == nil {
			return err
		}
		if remember(p, receiver) {
			p.Steps++
		}
		bt.done(p, e.Seq, e.Timestamp)
	case "vertical-height-reached":
		if m.Height >= voyagerHeight {
			return s.once(bt, user, "vertical_voyager", e)
		}
	case "walked-distance":
		if n := int(m.StepCount); n > 0 {
			return bt.step(user, "walkabout_wanderer", e, n)
		}
	}
	return nil
}

// travel is traveler: the time between a user's consecutive moves counts
// for the scene (by title) they were in; a scene counts once it reached
// a minute.
func (s *Service) travel(bt *batch, user, title string, e events.StoredEvent) error {
	p, err := bt.progress(user, "traveler", e.Seq)
	if err != nil || p == nil {
		return err
	}
	if p.LastTitle != "" && p.LastAt > 0 && !slices.Contains(p.Seen, p.LastTitle) {
		if dt := e.Timestamp - p.LastAt; dt > 0 {
			// A long stay counts up to a session's length.
			dt = min(dt, travelerSession)
			if p.Spent == nil {
				p.Spent = map[string]int64{}
			}
			if _, ok := p.Spent[p.LastTitle]; ok || len(p.Spent) < maxRemembered {
				p.Spent[p.LastTitle] += dt
			}
			if p.Spent[p.LastTitle] >= travelerMinimum && remember(p, p.LastTitle) {
				p.Steps++
				delete(p.Spent, p.LastTitle) // counted: no time to keep
			}
		}
	}
	p.LastTitle, p.LastAt = title, e.Timestamp
	bt.done(p, e.Seq, e.Timestamp)
	return nil
}

func (s *Service) onChain(bt *batch, e events.StoredEvent) error {
	var m struct {
		Buyer    string `json:"buyer"`
		Creator  string `json:"creator"`
		Category string `json:"category"`
	}
	if err := json.Unmarshal(e.Metadata, &m); err != nil {
		return nil
	}
	emote := strings.EqualFold(m.Category, "emote")
	switch e.SubType {
	case "item-sold": // emotionista, fashionista: items bought
		if m.Buyer == "" {
			return nil
		}
		badge := "fashionista"
		if emote {
			badge = "emotionista"
		}
		return bt.step(strings.ToLower(m.Buyer), badge, e, 1)
	case "item-published": // emote_creator, wearable_designer
		if m.Creator == "" {
			return nil
		}
		badge := "wearable_designer"
		if emote {
			badge = "emote_creator"
		}
		return bt.step(strings.ToLower(m.Creator), badge, e, 1)
	case "collection-created": // open_for_business: a collection
		if m.Creator == "" {
			return nil
		}
		return s.part(bt, strings.ToLower(m.Creator), "collection", e)
	}
	return nil
}
