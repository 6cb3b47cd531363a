package node

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

// Badges from what users really do on a node: a scene deployed grants
// land_architect, a profile with a description profile_pro, an
// archipelago session dclcitizen — each within seconds, each announced
// once on the bus.
func TestBadgesFromActivity(t *testing.T) {
	n, base := startNode(t, nil)
	c := client{t, base}
	id := entitytest.NewIdentity()
	if status, body := c.deploy(entitytest.Scene(id, time.Now(), []string{"3,3"}, map[string][]byte{"bin/index.js": []byte("x")})); status != 200 {
		t.Fatalf("scene: %d %v", status, body)
	}
	if status, body := c.deploy(entitytest.Profile(id, time.Now(), "builder")); status != 200 {
		t.Fatalf("profile: %d %v", status, body)
	}
	e, err := handshake(t, base, id)
	if err != nil {
		t.Fatal(err)
	}
	e.heartbeat(t, 3*16+8, 3*16+8)

	deadline := time.Now().Add(10 * time.Second)
	for {
		var got struct {
			Data struct {
				Achieved []struct {
					ID          string `json:"id"`
					CompletedAt *int64 `json:"completedAt"`
				} `json:"achieved"`
			} `json:"data"`
		}
		c.json("GET", "/badges/users/"+id.Address+"/badges", nil, &got)
		var ids []string
		for _, b := range got.Data.Achieved {
			if b.CompletedAt != nil {
				ids = append(ids, b.ID)
			}
		}
		slices.Sort(ids)
		if slices.Equal(ids, []string{"dclcitizen", "land_architect", "profile_pro"}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("achieved %v", ids)
		}
		time.Sleep(20 * time.Millisecond)
	}
	grants := map[string]int{}
	deadline = time.Now().Add(5 * time.Second)
	for len(grants) < 3 && time.Now().Before(deadline) {
		clear(grants)
		evs, _ := n.Store.ReadEvents(t.Context(), 0, 100000)
		for _, e := range evs {
			if e.SubType == "badge-granted" {
				grants[e.Key]++
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(grants) != 3 {
		t.Fatalf("grants %v", grants)
	}
	for k, n := range grants {
		if n != 1 {
			t.Fatalf("%s announced %d times", k, n)
		}
	}

	// Each grant is a notification in the user's inbox, read with signed
	// fetch for the full path.
	deadline = time.Now().Add(5 * time.Second)
	for {
		req, _ := http.NewRequest("GET", base+"/notifications/notifications", nil)
		id.SignRequest(req, `{"signer":"dcl:explorer"}`)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var inbox struct {
			Notifications []struct {
				Type     string         `json:"type"`
				Metadata map[string]any `json:"metadata"`
			} `json:"notifications"`
		}
		json.NewDecoder(res.Body).Decode(&inbox)
		res.Body.Close()
		var badges []string
		for _, n := range inbox.Notifications {
			if n.Type == "badge_granted" {
				badges = append(badges, n.Metadata["id"].(string))
			}
		}
		slices.Sort(badges)
		if slices.Equal(badges, []string{"dclcitizen", "land_architect", "profile_pro"}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("inbox %d %v", res.StatusCode, badges)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// BenchmarkDeploymentToBadge measures the time from a scene deployment's
// answer to its land_architect badge-granted event in the log.
//
//	go test -run X -bench DeploymentToBadge -benchtime 300x ./node/
func BenchmarkDeploymentToBadge(b *testing.B) {
	n, _ := startNode(b, func(c *Config) { c.RateLimits = map[entity.Type]time.Duration{entity.Scene: 0} })
	granted := make(chan string, 1024)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		seq := n.Store.LastEventSeq()
		for {
			select {
			case <-ctx.Done():
				return
			case <-n.Store.EventsAfter(seq):
			}
			evs, err := n.Store.ReadEvents(ctx, seq, 1000)
			if err != nil {
				return
			}
			for _, e := range evs {
				if e.SubType == "badge-granted" {
					granted <- e.Key
				}
				seq = e.Seq
			}
		}
	}()
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		id := entitytest.NewIdentity()
		d := entitytest.Scene(id, time.Now(), []string{fmt.Sprintf("%d,%d", i%300-150, i/300-150)}, nil)
		if _, err := n.Pipeline.Deploy(context.Background(), request(d, deploy.Local)); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		want := "badge-granted-" + id.Address + "-land_architect"
		for k := range granted {
			if k == want {
				break
			}
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// The real clients (testdata/js/badges.js): dcl-catalyst-client deploys,
// decentraland-crypto-fetch signs a client event and the inbox requests.
func TestBadgesWithRealClients(t *testing.T) {
	if testing.Short() {
		t.Skip("needs node and testdata/js/node_modules")
	}
	_, base := startNode(t, nil)
	runScript(t, "badges.js", base)
}
