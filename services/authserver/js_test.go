package authserver

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWithRealSocketIOClient runs testdata/js/authserver.js: the real
// socket.io-client against the service behind the node's middleware.
func TestWithRealSocketIOClient(t *testing.T) {
	if testing.Short() {
		t.Skip("runs node")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "js"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "socket.io-client")); err != nil {
		t.Skip("testdata/js/node_modules has no socket.io-client (npm ci there)")
	}
	f := start(t, Config{ClientIP: remoteIP})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "authserver.js", f.srv.URL)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "authserver: 1 passed, 0 failed") {
		t.Fatalf("authserver.js: %v\n%s", err, out)
	}
}
