package node

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func testConfig(t testing.TB) Config {
	cfg := DefaultConfig()
	cfg.DataDir = t.TempDir()
	cfg.HTTPAddr = "127.0.0.1:0"
	cfg.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.RTCUDPPort, cfg.RTCIPs = 0, []string{"127.0.0.1"}
	cfg.Network = "test-" + strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	return cfg
}

// Starting and closing a node, again and again on the same data dir,
// leaves no goroutine behind: every part stops what it started.
func TestStartCloseLeavesNothingBehind(t *testing.T) {
	before := goleak.IgnoreCurrent()
	cfg := testConfig(t)
	for i := range 3 {
		n, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Start(context.Background()); err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		c := client{t, "http://" + n.Addr()}
		if status, _, _ := c.do("GET", "/about", nil, ""); status != 200 {
			t.Fatalf("start %d: /about %d", i, status)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := n.Close(ctx); err != nil {
			t.Fatalf("close %d: %v", i, err)
		}
		cancel()
	}
	goleak.VerifyNone(t, before,
		// Process-wide workers of libraries, started once and shared.
		goleak.IgnoreTopFunction("github.com/ipfs/go-log/v2/writer.(*MirrorWriter).logRoutine"),
		goleak.IgnoreTopFunction("go.opencensus.io/stats/view.(*worker).start"),
	)
}

// A part that fails to start stops the parts started before it, so the
// data dir is free for the next try.
func TestFailedStartStopsWhatStarted(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	cfg := testConfig(t)
	cfg.HTTPAddr = taken.Addr().String() // the last part to start fails
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	err = n.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "start http") {
		t.Fatalf("start with a taken port: %v", err)
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Fatalf("the cause is lost: %v", err)
	}
	// The store was closed: the same data dir opens again.
	cfg.HTTPAddr = "127.0.0.1:0"
	n2, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n2.Start(context.Background()); err != nil {
		t.Fatalf("restart on the same data dir: %v", err)
	}
	n2.Close(context.Background())
}
