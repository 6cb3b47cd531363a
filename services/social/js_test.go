package social

import (
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

// TestRealClient drives the socket with @dcl/rpc's own client and
// @dcl/protocol's generated SocialService (testdata/js/social.js): two
// users befriend, see each other's updates and connectivity, block and
// unblock; a third cannot read their requests.
func TestRealClient(t *testing.T) {
	if testing.Short() {
		t.Skip("runs node")
	}
	dir, _ := filepath.Abs("../../testdata/js")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@dcl", "rpc")); err != nil {
		t.Skip("testdata/js/node_modules is missing: run npm ci there")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	f := newFixture(t, nil)
	hook := http.NewServeMux()
	hook.HandleFunc("POST /test/online", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Address string `json:"address"`
			Online  bool   `json:"online"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1024)).Decode(&body); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		if body.Online {
			f.svc.Connected(body.Address)
		} else {
			f.svc.Disconnected(body.Address)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	hookSrv := newLoopback(t, hook)
	args := []string{"social.js", "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/social/ws", hookSrv + "/test/online"}
	for _, name := range []string{"alice", "bob", "carol"} {
		id := f.user(t, name)
		args = append(args, "0x"+hex.EncodeToString(crypto.FromECDSA(id.Key)))
	}
	cmd := exec.Command("node", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "social: 1 passed, 0 failed") {
		t.Fatalf("social.js: %v\n%s", err, out)
	}
}
