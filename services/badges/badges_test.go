package badges

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/store/events"
)

type fixture struct {
	t   *testing.T
	st  *store.Store
	bus *events.Bus
	s   *Service
	srv *httptest.Server
	seq uint64
}

func newFixture(t *testing.T) *fixture {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.Open(store.Options{Dir: t.TempDir(), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bus := events.NewBus(events.Config{Store: st, Logger: log})
	s := New(Config{Store: st, Bus: bus, AssetsURL: "https://assets.example", AdminToken: func() string { return "secret" }, Logger: log})
	mux := http.NewServeMux()
	s.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{t: t, st: st, bus: bus, s: s, srv: srv}
}

// feed hands events straight to the processor, numbered in order.
func (f *fixture) feed(evs ...events.Event) {
	f.t.Helper()
	batch := make([]events.StoredEvent, len(evs))
	for i, e := range evs {
		f.seq++
		batch[i] = events.StoredEvent{Seq: f.seq, Event: e}
	}
	if err := f.s.process(context.Background(), batch); err != nil {
		f.t.Fatal(err)
	}
}

func client(sub, user string, at int64, extra map[string]any) events.Event {
	meta := map[string]any{"userAddress": user}
	for k, v := range extra {
		meta[k] = v
	}
	e, _ := events.New("client", sub, fmt.Sprint(sub, user, at), at, meta)
	return e
}

func (f *fixture) progress(user, badge string) *Progress {
	p, err := f.s.load(context.Background(), user, badge)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

const minute = int64(60_000)

func TestHandlers(t *testing.T) {
	user := "0x" + strings.Repeat("a", 40)
	other := "0x" + strings.Repeat("b", 40)
	t0 := time.Now().UnixMilli()

	t.Run("moves_master counts one emote a minute", func(t *testing.T) {
		f := newFixture(t)
		for i := range 150 { // every 30 s for 75 minutes: 75 counted
			f.feed(client("used-emote", user, t0+int64(i)*minute/2, nil))
		}
		if p := f.progress(user, "moves_master"); p.Steps != 75 || len(p.AchievedTiers) != 0 {
			t.Fatalf("steps %d tiers %v", p.Steps, p.AchievedTiers)
		}
		for i := range 30 {
			f.feed(client("used-emote", user, t0+80*minute+int64(i)*minute, nil))
		}
		if p := f.progress(user, "moves_master"); p.Steps != 105 || len(p.AchievedTiers) != 1 || p.AchievedTiers[0].TierID != "moves-master-starter" {
			t.Fatalf("after 105: steps %d tiers %v", p.Steps, p.AchievedTiers)
		}
	})

	t.Run("traveler counts a scene after a minute in it", func(t *testing.T) {
		f := newFixture(t)
		id := entitytest.NewIdentity()
		plaza, garden := "0,0", "1,0"
		f.scene(id, "Plaza", plaza)
		f.scene(id, "Garden", garden)
		move := func(at int64, parcel string) {
			f.feed(client("move-to-parcel", user, at, map[string]any{"parcel": map[string]any{"newParcel": parcel}}))
		}
		move(t0, plaza)
		move(t0+30_000, garden) // 30 s in the plaza: not yet
		move(t0+40_000, plaza)  // 10 s in the garden
		move(t0+70_000, "9,9")  // 30 s more in the plaza: a minute in all (9,9 is empty)
		if p := f.progress(user, "traveler"); p.Steps != 1 || len(p.AchievedTiers) != 1 || p.AchievedTiers[0].TierID != "traveler-starter" {
			t.Fatalf("steps %d tiers %v spent %v", p.Steps, p.AchievedTiers, p.Spent)
		}
		move(t0+3*60*minute, garden) // hours on an empty parcel: nothing
		move(t0+3*60*minute+10_000, plaza)
		if p := f.progress(user, "traveler"); p.Steps != 1 {
			t.Fatalf("time on an empty parcel counted: %d", p.Steps)
		}
		move(t0+5*60*minute, garden) // two hours in the plaza, counted already
		move(t0+7*60*minute, plaza)  // two hours in the garden: a long stay counts
		if p := f.progress(user, "traveler"); p.Steps != 2 {
			t.Fatalf("a long stay in the garden: %d", p.Steps)
		}
		if f.progress(user, "dclcitizen").CompletedAt == 0 {
			t.Fatal("the first move did not make a citizen")
		}
	})

	t.Run("social_butterfly counts each receiver once, never oneself", func(t *testing.T) {
		f := newFixture(t)
		for i, r := range []string{other, other, user, "0x" + strings.Repeat("c", 40)} {
			f.feed(client("passport-opened", user, t0+int64(i), map[string]any{"passport": map[string]any{"receiver": r}}))
		}
		if p := f.progress(user, "social_butterfly"); p.Steps != 2 || len(p.AchievedTiers) != 1 {
			t.Fatalf("steps %d tiers %v", p.Steps, p.AchievedTiers)
		}
	})

	t.Run("walkabout_wanderer and vertical_voyager", func(t *testing.T) {
		f := newFixture(t)
		f.feed(client("walked-distance", user, t0, map[string]any{"distance": 8000, "stepCount": 9999}))
		if p := f.progress(user, "walkabout_wanderer"); len(p.AchievedTiers) != 0 {
			t.Fatal("9,999 steps reached a tier")
		}
		f.feed(client("walked-distance", user, t0+1, map[string]any{"distance": 1, "stepCount": 1}))
		if p := f.progress(user, "walkabout_wanderer"); len(p.AchievedTiers) != 1 {
			t.Fatalf("10,000 steps: %v", p.AchievedTiers)
		}
		f.feed(client("vertical-height-reached", user, t0, map[string]any{"height": 499}))
		if f.progress(user, "vertical_voyager").CompletedAt != 0 {
			t.Fatal("499 m granted vertical_voyager")
		}
		f.feed(client("vertical-height-reached", user, t0+1, map[string]any{"height": 500}))
		if f.progress(user, "vertical_voyager").CompletedAt == 0 {
			t.Fatal("500 m did not grant vertical_voyager")
		}
	})

	t.Run("the chain's events and open_for_business", func(t *testing.T) {
		f := newFixture(t)
		chain := func(sub string, meta map[string]any) events.Event {
			e, _ := events.New("blockchain", sub, fmt.Sprint(sub, meta), t0, meta)
			return e
		}
		for i := range 10 {
			f.feed(chain("item-sold", map[string]any{"buyer": user, "category": "emote", "tokenId": fmt.Sprint(i)}))
		}
		f.feed(chain("item-sold", map[string]any{"buyer": user, "category": "wearable"}))
		f.feed(chain("item-published", map[string]any{"creator": user, "category": "wearable", "itemId": "1"}))
		if p := f.progress(user, "emotionista"); p.Steps != 10 || len(p.AchievedTiers) != 2 {
			t.Fatalf("emotionista %d %v", p.Steps, p.AchievedTiers)
		}
		if f.progress(user, "fashionista").Steps != 1 || f.progress(user, "wearable_designer").Steps != 1 || f.progress(user, "emote_creator").Steps != 0 {
			t.Fatal("fashionista, wearable_designer, emote_creator")
		}
		f.feed(chain("collection-created", map[string]any{"creator": user, "name": "mine"}))
		f.feed(chain("collection-created", map[string]any{"creator": user, "name": "again"}))
		if p := f.progress(user, "open_for_business"); p.Steps != 1 || p.CompletedAt != 0 {
			t.Fatalf("a collection alone: %d", p.Steps)
		}
		// A store deployment and a collection, both through the log.
		g := newFixture(t)
		id := entitytest.NewIdentity()
		g.deploy(entitytest.Build(id, entity.Store, []string{"urn:decentraland:off-chain:marketplace-stores:" + id.Address}, time.Now(), map[string]any{"owner": id.Address}, nil))
		if err := g.bus.Publish(context.Background(), chain("collection-created", map[string]any{"creator": id.Address, "name": "c"})); err != nil {
			t.Fatal(err)
		}
		g.feedLog()
		f = g
		if f.progress(id.Address, "open_for_business").CompletedAt == 0 {
			t.Fatal("a store and a collection did not open for business")
		}
	})

	t.Run("deployments: land_architect, profile_pro, rarity", func(t *testing.T) {
		f := newFixture(t)
		id := entitytest.NewIdentity()
		dcl := entitytest.NewIdentity()
		var worn []string
		for i := range 3 {
			urn := fmt.Sprintf("urn:decentraland:matic:collections-v2:0xabc:%d", i)
			f.deploy(entitytest.Build(dcl, entity.Wearable, []string{urn}, time.Now(), map[string]any{"id": urn, "rarity": "epic"}, nil))
			worn = append(worn, urn+":42") // with a token id
		}
		f.deploy(entitytest.Scene(id, time.Now(), []string{"5,5"}, nil))
		meta := entitytest.ProfileMetadata(id, "pro")
		meta["avatars"].([]any)[0].(map[string]any)["avatar"].(map[string]any)["wearables"] = worn
		f.deploy(entitytest.Build(id, entity.Profile, []string{id.Address}, time.Now(), meta, nil))
		f.feedLog()
		for _, b := range []string{"land_architect", "profile_pro", "epic_ensemble"} {
			if f.progress(id.Address, b).CompletedAt == 0 {
				t.Errorf("%s not granted", b)
			}
		}
		if f.progress(id.Address, "regally_rare").CompletedAt != 0 {
			t.Error("regally_rare granted for epic wearables")
		}
	})
}

func (f *fixture) scene(id *entitytest.Identity, title, parcel string) string {
	d := entitytest.Build(id, entity.Scene, []string{parcel}, time.Now(), map[string]any{
		"main": "bin/index.js", "scene": map[string]any{"base": parcel, "parcels": []string{parcel}}, "display": map[string]any{"title": title},
	}, nil)
	f.deploy(d)
	return d.ID
}

func (f *fixture) deploy(d *entitytest.Deployment) {
	f.t.Helper()
	e, err := entity.Parse(d.ID, d.File)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.st.Deploy(context.Background(), e, d.AuthChain, nil); err != nil {
		f.t.Fatal(err)
	}
}

// feedLog hands the store's event log (deployments' events) to the
// processor.
func (f *fixture) feedLog() {
	f.t.Helper()
	evs, err := f.st.ReadEvents(context.Background(), f.seq, 10000)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(evs) > 0 {
		if err := f.s.process(context.Background(), evs); err != nil {
			f.t.Fatal(err)
		}
		f.seq = evs[len(evs)-1].Seq
	}
}

// Events counted once, whatever is read again; each grant announced once.
func TestReplayCountsNothingTwice(t *testing.T) {
	f := newFixture(t)
	user := "0x" + strings.Repeat("d", 40)
	t0 := time.Now().UnixMilli()
	var evs []events.StoredEvent
	for i := range 120 {
		f.seq++
		evs = append(evs, events.StoredEvent{Seq: f.seq, Event: client("used-emote", user, t0+int64(i)*minute, nil)})
	}
	for range 3 {
		if err := f.s.process(context.Background(), evs); err != nil {
			t.Fatal(err)
		}
	}
	if p := f.progress(user, "moves_master"); p.Steps != 120 {
		t.Fatalf("steps %d after reading the batch three times", p.Steps)
	}
	log, _ := f.st.ReadEvents(context.Background(), 0, 100)
	grants := 0
	for _, e := range log {
		if e.SubType == "badge-granted" {
			grants++
			var m map[string]any
			json.Unmarshal(e.Metadata, &m)
			if m["badgeId"] != "moves_master" || m["badgeTierName"] != "Starter" || m["address"] != user || !strings.HasSuffix(m["badgeImageUrl"].(string), "/moves_master/starter/2d/normal.png") {
				t.Fatalf("grant %v", m)
			}
		}
	}
	if grants != 1 {
		t.Fatalf("%d grants", grants)
	}
}

func (f *fixture) get(path string, out any) int {
	f.t.Helper()
	res, err := http.Get(f.srv.URL + path)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	json.NewDecoder(res.Body).Decode(out)
	return res.StatusCode
}

func TestAPI(t *testing.T) {
	f := newFixture(t)
	var all struct{ Data []Badge }
	f.get("/badges/badges", &all)
	if len(all.Data) != 24 || all.Data[0].ID != "dclcitizen" || all.Data[8].ID != "traveler" || all.Data[8].Tiers[0].TierID != "traveler-starter" {
		t.Fatalf("badges %d %+v", len(all.Data), all.Data[0])
	}
	if a := all.Data[8].Tiers[1].Assets.TwoD["normal"]; a != "https://assets.example/traveler/bronze/2d/normal.png" {
		t.Fatalf("tier asset %s", a)
	}
	var one map[string]map[string]Badge
	if status := f.get("/badges/badges/profile_pro", &one); status != 200 || one["data"]["badge"].Name != "Profile Pro" {
		t.Fatalf("one badge: %d %v", status, one)
	}
	var missing map[string]string
	if status := f.get("/badges/badges/nope", &missing); status != 404 || missing["error"] != "Badge not found" {
		t.Fatalf("unknown badge: %d %v", status, missing)
	}
	var tiers map[string]map[string][]Tier
	if f.get("/badges/badges/profile_pro/tiers", &tiers); tiers["data"]["tiers"] == nil || len(tiers["data"]["tiers"]) != 0 {
		t.Fatalf("tiers of a badge without %v", tiers)
	}
	var cats map[string]map[string][]string
	f.get("/badges/categories", &cats)
	if strings.Join(cats["data"]["categories"], ",") != "Explorer,Collector,Creator,Socializer,Builder" {
		t.Fatalf("categories %v", cats)
	}

	user := "0x" + strings.Repeat("e", 40)
	t0 := time.Now().UnixMilli()
	f.feed(client("move-to-parcel", user, t0, map[string]any{"parcel": map[string]any{"newParcel": "0,0"}}))
	for i := range 100 {
		f.feed(client("used-emote", user, t0+int64(i)*minute, nil))
	}
	var ub struct {
		Data struct {
			Achieved    []map[string]any `json:"achieved"`
			NotAchieved []map[string]any `json:"notAchieved"`
		} `json:"data"`
	}
	f.get("/badges/users/"+strings.ToUpper(user[2:3])+"x"+user[3:]+"/badges", &ub) // not an address
	f.get("/badges/users/"+user+"/badges?includeNotAchieved=true", &ub)
	if len(ub.Data.Achieved) != 2 || len(ub.Data.NotAchieved) != 22 {
		t.Fatalf("achieved %d, not %d", len(ub.Data.Achieved), len(ub.Data.NotAchieved))
	}
	citizen, moves := ub.Data.Achieved[0], ub.Data.Achieved[1]
	cp := citizen["progress"].(map[string]any)
	if citizen["id"] != "dclcitizen" || citizen["completedAt"] == nil || cp["stepsDone"] != float64(1) || cp["nextStepsTarget"] != nil {
		t.Fatalf("citizen %v", citizen)
	}
	mp := moves["progress"].(map[string]any)
	if moves["isTier"] != true || moves["completedAt"] != nil || mp["nextStepsTarget"] != float64(1000) || mp["totalStepsTarget"] != float64(500000) ||
		mp["lastCompletedTierName"] != "Starter" || len(mp["achievedTiers"].([]any)) != 1 {
		t.Fatalf("moves master %v", moves)
	}
	notYet := ub.Data.NotAchieved[0]
	if notYet["completedAt"] != nil || notYet["progress"].(map[string]any)["stepsDone"] != float64(0) {
		t.Fatalf("not achieved %v", notYet)
	}
	f.get("/badges/users/"+user+"/badges", &ub)
	if len(ub.Data.NotAchieved) != 0 {
		t.Fatal("notAchieved without the flag")
	}
	var pv struct {
		Data struct {
			Latest []map[string]any `json:"latestAchievedBadges"`
		} `json:"data"`
	}
	f.get("/badges/users/"+user+"/preview", &pv)
	if len(pv.Data.Latest) != 2 || pv.Data.Latest[0]["id"] != "moves_master" || pv.Data.Latest[0]["tierName"] != "Starter" {
		t.Fatalf("preview %v", pv.Data.Latest)
	}

	// Admin: a festival badge granted by backfill; the token guards it.
	body := `{"users":[{"address":"` + user + `","steps":1}]}`
	req, _ := http.NewRequest("POST", f.srv.URL+"/badges/badges/music_festival_2024/backfill", strings.NewReader(body))
	res, _ := http.DefaultClient.Do(req)
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Fatalf("backfill without the token: %d", res.StatusCode)
	}
	req, _ = http.NewRequest("POST", f.srv.URL+"/badges/badges/music_festival_2024/backfill", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer secret")
	res, _ = http.DefaultClient.Do(req)
	res.Body.Close()
	if res.StatusCode != 200 || f.progress(user, "music_festival_2024").CompletedAt == 0 {
		t.Fatalf("backfill: %d", res.StatusCode)
	}
}
