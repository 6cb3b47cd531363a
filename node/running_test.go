package node

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// hold takes a port the way another program would; when something else
// holds it already, it is just as taken.
func hold(t *testing.T, network, addr string) {
	t.Helper()
	var c io.Closer
	var err error
	if strings.HasPrefix(network, "udp") {
		c, err = net.ListenPacket(network, addr)
	} else {
		c, err = net.Listen(network, addr)
	}
	if err != nil {
		t.Logf("%s %s is held elsewhere already: %v", network, addr, err)
		return
	}
	t.Cleanup(func() { c.Close() })
}

// defaultConfig is the configuration of `catalyst run` with no flag but
// --data: the default ports.
func defaultConfig(t *testing.T, dataDir string) Config {
	cfg := DefaultConfig()
	cfg.DataDir = dataDir
	cfg.Network = "test-" + strings.ReplaceAll(t.Name(), "/", "_")
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	return cfg
}

// A node started with the default ports while another program holds one
// of them refuses to start, naming the port; asked for free ports, it
// starts on others and keeps them across a restart.
func TestDefaultPortsTaken(t *testing.T) {
	for _, c := range []struct{ name, network, addr, want string }{
		{"libp2p tcp", "tcp4", "0.0.0.0:4001", "/ip4/0.0.0.0/tcp/4001"},
		{"libp2p quic", "udp4", "0.0.0.0:4001", "/ip4/0.0.0.0/udp/4001/quic-v1"},
		{"webrtc", "udp4", "0.0.0.0:7882", "udp port 7882"},
		{"http", "tcp", ":6969", "http: cannot listen on :6969"},
	} {
		t.Run(c.name, func(t *testing.T) {
			hold(t, c.network, c.addr)
			n, err := New(defaultConfig(t, t.TempDir()))
			if err != nil {
				t.Fatal(err)
			}
			err = n.Start(context.Background())
			if err == nil {
				n.Close(context.Background())
				t.Fatal("started on a taken port")
			}
			if !errors.Is(err, ErrPortTaken) || !errors.Is(err, syscall.EADDRINUSE) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q: want ErrPortTaken naming %q", err, c.want)
			}
		})
	}

	t.Run("free ports", func(t *testing.T) {
		hold(t, "tcp4", "0.0.0.0:4001")
		hold(t, "udp4", "0.0.0.0:4001")
		hold(t, "udp4", "0.0.0.0:7882")
		hold(t, "tcp", ":6969")
		cfg := defaultConfig(t, t.TempDir())
		cfg.FreePorts = true
		var first []string
		for i := range 2 {
			n, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := n.Start(context.Background()); err != nil {
				t.Fatalf("start %d with free ports: %v", i, err)
			}
			got := append(slices.Sorted(func(yield func(string) bool) {
				for _, a := range n.Host.Bound() {
					if !yield(a) {
						return
					}
				}
			}), fmt.Sprint("rtc ", n.SFU.UDPPort()), "http "+n.Addr())
			n.Close(context.Background())
			for _, a := range got {
				for _, taken := range []string{"/4001", "rtc 7882", ":6969"} {
					if strings.HasSuffix(a, taken) || strings.Contains(a, taken+"/") {
						t.Fatalf("start %d listened on the taken %s: %v", i, taken, got)
					}
				}
			}
			if i == 0 {
				first = got
			} else if !slices.Equal(got, first) {
				t.Fatalf("the restarted node chose other ports: %v, before %v", got, first)
			}
		}
	})
}

// Ports chosen at the first start (port 0) are kept: a restarted node
// has the same multiaddrs, WebRTC port and HTTP address.
func TestRestartKeepsAddresses(t *testing.T) {
	cfg := testConfig(t)
	cfg.Listen = []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}
	var first []string
	for i := range 3 {
		n, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		got := append(slices.Sorted(slices.Values(n.Host.Info().Addrs)), fmt.Sprint(n.SFU.UDPPort()), n.Addr())
		n.Close(context.Background())
		if len(got) != 4 {
			t.Fatalf("addresses %v", got)
		}
		if i == 0 {
			first = got
		} else if !slices.Equal(got, first) {
			t.Fatalf("restart %d: %v, first %v", i, got, first)
		}
	}
}

// /about is always 200 and says what answers: each part's health is
// whether its routes answer.
func TestAboutHealthMatchesWhatAnswers(t *testing.T) {
	_, base := startNode(t, nil)
	c := client{t, base}
	var about struct {
		Healthy        bool                      `json:"healthy"`
		AcceptingUsers bool                      `json:"acceptingUsers"`
		Parts          map[string]map[string]any `json:"-"`
		Content        struct{ Healthy bool }    `json:"content"`
		Lambdas        struct{ Healthy bool }    `json:"lambdas"`
		Comms          struct{ Healthy bool }    `json:"comms"`
	}
	if status := c.json("GET", "/about", nil, &about); status != 200 {
		t.Fatalf("/about: %d", status)
	}
	for _, p := range []struct {
		name, path string
		healthy    bool
	}{
		{"content", "/content/status", about.Content.Healthy},
		{"lambdas", "/lambdas/status", about.Lambdas.Healthy},
		{"comms", "/comms/islands", about.Comms.Healthy},
	} {
		status, _, _ := c.do("GET", p.path, nil, "")
		if answers := status == 200; answers != p.healthy {
			t.Errorf("%s: /about says healthy=%v, %s answers %d", p.name, p.healthy, p.path, status)
		}
	}
	if all := about.Content.Healthy && about.Lambdas.Healthy && about.Comms.Healthy; about.Healthy != all || !about.AcceptingUsers || !all {
		t.Errorf("healthy=%v acceptingUsers=%v, parts %+v", about.Healthy, about.AcceptingUsers, about)
	}
}

// A known path asked with the wrong method is 405 with Allow; an unknown
// path 404; both JSON.
func TestMethodNotAllowed(t *testing.T) {
	_, base := startNode(t, nil)
	c := client{t, base}
	for _, r := range []struct{ method, path, allow string }{
		{"POST", "/about", "GET, HEAD"},
		{"DELETE", "/content/entities/active", "GET, HEAD, POST"}, // GET /content/entities/{type} too
		{"PUT", "/p2p/info", "GET, HEAD"},
	} {
		status, h, body := c.do(r.method, r.path, nil, "")
		if status != 405 || h.Get("Allow") != r.allow || !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s %s: %d Allow=%q %s", r.method, r.path, status, h.Get("Allow"), body)
		}
	}
	if status, _, body := c.do("GET", "/status", nil, ""); status != 404 || !strings.Contains(string(body), `"error"`) {
		t.Errorf("GET /status: %d %s", status, body)
	}
	if status, _, _ := c.do("GET", "/content/status", nil, ""); status != 200 {
		t.Errorf("GET /content/status: %d", status)
	}
}

// The store's metrics read what is there: bytes on disk and entities by
// type.
func TestStoreMetrics(t *testing.T) {
	_, base := startNode(t, nil)
	c := client{t, base}
	id := entitytest.NewIdentity()
	if status, body := c.deploy(entitytest.Profile(id, time.Now(), "m")); status != 200 {
		t.Fatalf("deploy: %d %v", status, body)
	}
	_, _, raw := c.do("GET", "/metrics", nil, "")
	metrics := string(raw)
	if !regexp.MustCompile(`catalyst_store_bytes\{part="db"\} [1-9]`).MatchString(metrics) {
		t.Errorf("store bytes:\n%s", grepLines(metrics, "catalyst_store_bytes"))
	}
	if !strings.Contains(metrics, `catalyst_store_entities{state="active",type="profile"} 1`) {
		t.Errorf("entities:\n%s", grepLines(metrics, "catalyst_store_entities"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// The README's multi-node example, run as written (the real binary for
// `go run ./cmd/catalyst`, temporary data dirs for /tmp/a…): every node
// comes up and lists the other two in /p2p/info; A restarted keeps its
// multiaddr, so B's and C's --bootstrap stays right.
func TestReadmeMultiNodeExample(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	lines := readmeBlock(t, "A three-node network on one machine:")
	var commands [][]string
	for _, l := range lines {
		if strings.HasPrefix(l, "go run ./cmd/catalyst ") {
			commands = append(commands, strings.Fields(strings.TrimPrefix(l, "go run ./cmd/catalyst ")))
		}
	}
	if len(commands) != 3 {
		t.Fatalf("the README's example has %d nodes: %q", len(commands), lines)
	}
	dirs := map[string]string{}
	network := fmt.Sprint("readme-", time.Now().UnixNano())
	run := func(args []string, boot string) (*exec.Cmd, string) {
		args = slices.Clone(args)
		for i, a := range args {
			if strings.HasPrefix(a, "/tmp/") {
				if dirs[a] == "" {
					dirs[a] = t.TempDir()
				}
				args[i] = dirs[a]
			}
			if a == "<addrs[0]>" {
				args[i] = boot
			}
		}
		p := startCatalyst(t, append(args, "--network", network)...)
		return p.cmd, p.base
	}
	// The network flag keeps this test's nodes apart from any other; the
	// README's nodes share the default network.
	aCmd, a := run(commands[0], "")
	boot := p2pInfo(t, a).Addrs[0]
	_, b := run(commands[1], boot)
	_, c := run(commands[2], boot)
	nodes := []string{a, b, c}
	ids := map[string]string{}
	for _, n := range nodes {
		ids[n] = p2pInfo(t, n).PeerID
	}
	deadline := time.Now().Add(60 * time.Second)
	for _, n := range nodes {
		for {
			var peers []string
			for _, p := range p2pInfo(t, n).Peers {
				peers = append(peers, p.PeerID)
			}
			all := true
			for _, other := range nodes {
				if other != n && !slices.Contains(peers, ids[other]) {
					all = false
				}
			}
			if all {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s lists %v, want the other two of %v", n, peers, ids)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	before := p2pInfo(t, a).Addrs
	aCmd.Process.Signal(os.Interrupt)
	if err := aCmd.Wait(); err != nil {
		t.Fatalf("A after SIGINT: %v", err)
	}
	_, a2 := run(commands[0], "")
	if after := p2pInfo(t, a2).Addrs; !slices.Equal(after, before) {
		t.Fatalf("A restarted on %v, before %v: B's and C's --bootstrap went stale", after, before)
	}
}

// readmeBlock is the first code block after a line of the README.
func readmeBlock(t *testing.T, after string) []string {
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(raw), after)
	if !ok {
		t.Fatalf("README has no %q", after)
	}
	_, rest, _ = strings.Cut(rest, "```sh\n")
	block, _, _ := strings.Cut(rest, "```")
	return strings.Split(strings.TrimSpace(block), "\n")
}

// A dashboard left open does not hold a stopping node: the live stream
// ends when HTTP shuts down.
func TestCloseEndsLiveStreams(t *testing.T) {
	cfg := testConfig(t)
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	res, err := httpClient.Get("http://" + n.Addr() + "/dashboard/api/live")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if _, err := bufio.NewReader(res.Body).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := n.Close(ctx); err != nil {
		t.Fatalf("close with a live stream open: %v", err)
	}
}
