package node

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/services/eventsnotifier"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// A client event a user signs and posts to one node reaches the other
// node's bus too (verified again there), once, and moves the user's
// badges there: opening a passport is social_butterfly's first tier.
func TestClientEventsReachTheNetwork(t *testing.T) {
	nodes := testnet(t, 2, nil)
	waitMesh(t, nodes)
	deadline := time.Now().Add(10 * time.Second)
	for len(nodes[0].Host.PubSub.ListPeers(nodes[0].Host.Topic("client-events/1"))) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no peer on the client events topic")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for len(nodes[1].Host.PubSub.ListPeers(nodes[1].Host.Topic("client-events/1"))) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no peer on the client events topic")
		}
		time.Sleep(20 * time.Millisecond)
	}
	alice := entitytest.NewIdentity()
	body, _ := json.Marshal(map[string]any{"type": "client", "subType": "passport-opened", "key": "passport-1", "timestamp": time.Now().UnixMilli(),
		"metadata": map[string]any{"userAddress": alice.Address, "passport": map[string]any{"receiver": entitytest.NewIdentity().Address}}})
	req, _ := http.NewRequest("POST", "http://"+nodes[0].Addr()+eventsnotifier.ForwardPath, bytes.NewReader(body))
	sum := sha256.Sum256(body)
	alice.SignRequest(req, `{"signer":"dcl:explorer","eventHash":"`+hex.EncodeToString(sum[:])+`"}`)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("forward: %d", res.StatusCode)
	}
	deadline = time.Now().Add(10 * time.Second)
	for {
		evs, _ := nodes[1].Store.ReadEvents(context.Background(), 0, 1000)
		n := 0
		for _, e := range evs {
			if e.SubType == "passport-opened" {
				n++
			}
		}
		var got struct {
			Data struct {
				Achieved []struct{ ID string } `json:"achieved"`
			} `json:"data"`
		}
		client{t, "http://" + nodes[1].Addr()}.json("GET", "/badges/users/"+alice.Address+"/badges", nil, &got)
		if n == 1 && len(got.Data.Achieved) == 1 && got.Data.Achieved[0].ID == "social_butterfly" {
			break
		}
		if time.Now().After(deadline) {
			_, _, m := client{t, "http://" + nodes[1].Addr()}.do("GET", "/metrics", nil, "")
			t.Fatalf("node 1 has %d copies of the event\n%s", n, grepLines(string(m), "panics")+grepLines(string(m), "events_"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
