package node

import (
	"encoding/json"
	"fmt"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

func p2pInfo(t testing.TB, base string) (info struct {
	PeerID string   `json:"peerId"`
	Addrs  []string `json:"addrs"`
	Peers  []struct {
		PeerID string `json:"peerId"`
	} `json:"peers"`
}) {
	t.Helper()
	res, err := http.Get(base + "/p2p/info")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	json.NewDecoder(res.Body).Decode(&info)
	return info
}

func waitActiveHTTP(t testing.TB, base, pointer, id string, within time.Duration) {
	t.Helper()
	c := client{t, base}
	deadline := time.Now().Add(within)
	for {
		var got []entity.Entity
		c.json("POST", "/content/entities/active", map[string]any{"pointers": []string{pointer}}, &got)
		if len(got) == 1 && got[0].ID == id {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: pointer %s not %s after %s (%v)", base, pointer, id, within, got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Three real binaries: B and C join through A; a deployment on A is served
// by C; B is killed, misses deployments, restarts and serves them all.
func TestProcessesReplicate(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	network := fmt.Sprintf("proc-%d", time.Now().UnixNano())
	a := startProcess(t, t.TempDir(), "--network", network)
	boot := p2pInfo(t, a.base).Addrs[0]
	bDir := t.TempDir()
	b := startProcess(t, bDir, "--network", network, "--bootstrap", boot)
	c := startProcess(t, t.TempDir(), "--network", network, "--bootstrap", boot)

	var st map[string]any
	deadline := time.Now().Add(20 * time.Second)
	for {
		client{t, c.base}.json("GET", "/content/status", nil, &st)
		if st["synchronizationStatus"].(map[string]any)["synchronizationState"] == "Syncing" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("C still %v", st)
		}
		time.Sleep(50 * time.Millisecond)
	}

	id := entitytest.NewIdentity()
	d := entitytest.Profile(id, time.Now(), "first")
	if status, res := (client{t, a.base}).deploy(d); status != 200 {
		t.Fatalf("deploy: %d %v", status, res)
	}
	waitActiveHTTP(t, c.base, id.Address, d.ID, 10*time.Second)
	waitActiveHTTP(t, b.base, id.Address, d.ID, 10*time.Second)

	bID := p2pInfo(t, b.base).PeerID
	b.cmd.Process.Signal(syscall.SIGKILL)
	b.cmd.Wait()
	var missed []*entitytest.Deployment
	for i := 0; i < 5; i++ {
		m := entitytest.Profile(entitytest.NewIdentity(), time.Now(), fmt.Sprint("missed", i))
		if status, res := (client{t, a.base}).deploy(m); status != 200 {
			t.Fatalf("deploy: %d %v", status, res)
		}
		missed = append(missed, m)
	}
	b2 := startProcess(t, bDir, "--network", network, "--bootstrap", boot)
	for _, m := range missed {
		var e entity.Entity
		json.Unmarshal(m.File, &e)
		waitActiveHTTP(t, b2.base, e.Pointers[0], m.ID, 20*time.Second)
	}
	if info := p2pInfo(t, b2.base); info.PeerID != bID || len(info.Peers) == 0 {
		t.Fatalf("restarted node: %+v, want peer id %s (kept in the data dir) and peers", info, bID)
	}
}
