package node

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// The node's social RPC with the real @dcl/rpc client
// (testdata/js/social.js): two users with profiles befriend, block and
// unblock, a third cannot read their requests, and each sees the other's
// connectivity change when that user really joins and leaves the node's
// comms (the script's hook runs an archipelago handshake for the user).
func TestSocialWithRealClient(t *testing.T) {
	if testing.Short() {
		t.Skip("needs node and testdata/js/node_modules")
	}
	n, base := startNode(t, nil)
	ids := map[string]*entitytest.Identity{}
	args := []string{"social.js", "ws" + strings.TrimPrefix(base, "http") + "/social/ws", ""}
	for _, name := range []string{"alice", "bob", "carol"} {
		id := entitytest.NewIdentity()
		deployTo(t, n, entitytest.Profile(id, time.Now(), name))
		ids[id.Address] = id
		args = append(args, "0x"+hex.EncodeToString(crypto.FromECDSA(id.Key)))
	}
	var mu sync.Mutex
	joined := map[string]*explorer{}
	hook := http.NewServeMux()
	hook.HandleFunc("POST /test/online", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Address string `json:"address"`
			Online  bool   `json:"online"`
		}
		json.NewDecoder(http.MaxBytesReader(w, r.Body, 1024)).Decode(&body)
		mu.Lock()
		defer mu.Unlock()
		id := ids[strings.ToLower(body.Address)]
		if id == nil {
			http.Error(w, "unknown user", 400)
			return
		}
		if body.Online {
			e, err := handshake(t, base, id)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			joined[id.Address] = e
		} else if e := joined[id.Address]; e != nil {
			e.conn.Close()
			delete(joined, id.Address)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: hook}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	args[2] = "http://" + ln.Addr().String() + "/test/online"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = filepath.Join(repoRoot(t), "testdata", "js")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "social: 1 passed, 0 failed") {
		t.Fatalf("social.js: %v\n%s", err, out)
	}
}
