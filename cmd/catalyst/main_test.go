package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/node"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// Text from a node cannot drive the terminal.
func TestPrintable(t *testing.T) {
	if got := printable("ok\x1b[2J\x07 line\nnext\ttab", 100); got != "ok\uFFFD[2J\uFFFD line\nnext\ttab" {
		t.Fatalf("printable = %q", got)
	}
	if got := printable(strings.Repeat("a", 10), 4); got != "aaaa…" {
		t.Fatalf("cut: %q", got)
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1024": 1024, "1GiB": 1 << 30, "512 MiB": 512 << 20, "8KiB": 8 << 10} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1GB", "lots", "1.5GiB"} {
		if _, err := parseBytes(in); err == nil {
			t.Errorf("parseBytes(%q) accepted", in)
		}
	}
}

// cli runs the command line as main does and returns its exit code and
// outputs.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- exitCode(run(args, &out, &errs), &errs) }()
	select {
	case code = <-done:
	case <-time.After(60 * time.Second):
		t.Fatalf("catalyst %v did not return", args)
	}
	return code, out.String(), errs.String()
}

func TestExitCodes(t *testing.T) {
	t.Setenv("CATALYST_DATA", "")
	os.Unsetenv("CATALYST_DATA")
	dir := filepath.Join(t.TempDir(), "data")
	for _, c := range []struct {
		args []string
		code int
		out  string // in stdout (0) or stderr
	}{
		{[]string{"--help"}, 0, "Usage:"},
		{[]string{"help"}, 0, "catalyst status"},
		{[]string{"help", "deploy"}, 0, "scene.json"},
		{[]string{"run", "--help"}, 0, "-free-ports"},
		{[]string{"run", "-h"}, 0, "-rtc-ip"},
		{[]string{"status", "--help"}, 0, "-json"},
		{[]string{"keys", "--help"}, 0, "operator.key"},
		{[]string{"keys", "show", "--help"}, 0, "-data"},
		{[]string{"deploy", "--help"}, 0, ".dclignore"},
		{[]string{"version", "--help"}, 0, "version"},
		{[]string{"version"}, 0, "catalyst "},
		{[]string{"frob"}, 2, `unknown command "frob"`},
		{[]string{"version", "extra"}, 2, "unexpected arguments: extra"},
		{[]string{"run", "--bogus"}, 2, "flag provided but not defined"},
		{[]string{"run", "--data", dir, "--http", "127.0.0.1:99999"}, 2, `port "99999"`},
		{[]string{"run", "--data", dir, "--http", "127.0.0.1:x"}, 2, `port "x"`},
		{[]string{"run", "--data", dir, "--rtc-ip", "::1"}, 2, "rtc ip"},
		{[]string{"run", "--data", dir, "--free-ports=maybe"}, 2, "free-ports"},
		{[]string{"run", "--data", dir, "--memory-limit", "lots"}, 2, "memory-limit"},
		{[]string{"run", "--data", dir, "stray"}, 2, "unexpected arguments: stray"},
		{[]string{"run", "--data", dir, "--bootstrap", "/ip4/127.0.0.1/tcp/1"}, 2, "bootstrap"},
		{[]string{"run", "--data", dir, "--listen", "/dns4/example.com/tcp/1"}, 2, "listen"},
		{[]string{"status", "--node", "localhost:6969"}, 2, "--node"},
		{[]string{"deploy", "--node", "ftp://x", "--data", dir, "."}, 2, "--node"},
		{[]string{"keys"}, 2, "new or show"},
		{[]string{"keys", "rotate", "--data", dir}, 2, `unknown subcommand "rotate"`},
		{[]string{"keys", "show", "--data", dir}, 1, "catalyst keys new"},
		{[]string{"deploy", "--data", dir}, 2, "which folder"},
		{[]string{"status", "--node", "http://127.0.0.1:1"}, 1, "no node answers"},
	} {
		code, stdout, stderr := cli(t, c.args...)
		where := stderr
		if c.code == 0 {
			where = stdout
		}
		if code != c.code || !strings.Contains(where, c.out) {
			t.Errorf("catalyst %s: exit %d, want %d with %q\nstdout: %s\nstderr: %s", strings.Join(c.args, " "), code, c.code, c.out, stdout, stderr)
		}
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("a usage error created the data dir %s", dir)
	}

	// CATALYST_NODE is status's and deploy's; run accepts it.
	t.Setenv("CATALYST_NODE", "http://127.0.0.1:1")
	if code, _, stderr := cli(t, "run", "--data", dir, "--http", "127.0.0.1:99999"); code != 2 || !strings.Contains(stderr, `port "99999"`) {
		t.Errorf("run with CATALYST_NODE set: exit %d, %s", code, stderr)
	}
	t.Setenv("CATALYST_HTTTP", ":1")
	if code, _, stderr := cli(t, "run", "--data", dir); code != 2 || !strings.Contains(stderr, "CATALYST_HTTTP") {
		t.Errorf("a misspelt variable: exit %d, %s", code, stderr)
	}
}

// A failure while running (a taken port) exits 1 and says what to do.
func TestTakenPortExitsOne(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	code, _, stderr := cli(t, "run", "--data", t.TempDir(), "--http", held.Addr().String(),
		"--listen", "/ip4/127.0.0.1/tcp/0", "--rtc-udp-port", "0", "--rtc-ip", "127.0.0.1", "--network", "cli-taken")
	if code != 1 || !strings.Contains(stderr, held.Addr().String()) || !strings.Contains(stderr, "--free-ports") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
}

// startNode runs a node in-process, as `catalyst run` would, for the
// commands that talk to one.
func startNode(t *testing.T, dataDir string) *node.Node {
	t.Helper()
	cfg := node.DefaultConfig()
	cfg.DataDir, cfg.HTTPAddr = dataDir, "127.0.0.1:0"
	cfg.Listen, cfg.RTCUDPPort, cfg.RTCIPs = []string{"/ip4/127.0.0.1/tcp/0"}, 0, []string{"127.0.0.1"}
	cfg.Network = "cli-" + t.Name()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close(context.Background()) })
	return n
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// keys, deploy and status against a running node, the operator's way:
// one data dir for all.
func TestKeysDeployStatus(t *testing.T) {
	data := t.TempDir()
	n := startNode(t, data)
	base := "http://" + n.Addr()

	code, out, _ := cli(t, "keys", "new", "--data", data)
	if code != 0 || !strings.HasPrefix(out, "address 0x") {
		t.Fatalf("keys new: %d %s", code, out)
	}
	address := strings.Fields(out)[1]
	if code, _, stderr := cli(t, "keys", "new", "--data", data); code != 1 || !strings.Contains(stderr, "exists") {
		t.Fatalf("keys new over a key: %d %s", code, stderr)
	}
	if code, out, _ := cli(t, "keys", "show", "--data", data); code != 0 || !strings.Contains(out, address) {
		t.Fatalf("keys show: %d %s", code, out)
	}

	scene := t.TempDir()
	write(t, filepath.Join(scene, "scene.json"), `{"main":"bin/index.js","scene":{"base":"3,4","parcels":["3,4","3,5"]},"display":{"title":"cli"}}`)
	write(t, filepath.Join(scene, "bin", "index.js"), "export function onStart() {}")
	write(t, filepath.Join(scene, "models", "tree.glb"), strings.Repeat("g", 300000))
	write(t, filepath.Join(scene, ".git", "HEAD"), "ref: main")
	write(t, filepath.Join(scene, "node_modules", "x", "index.js"), "x")
	write(t, filepath.Join(scene, "src", "game.ts"), "source")
	write(t, filepath.Join(scene, "notes.md"), "notes")
	write(t, filepath.Join(scene, ".dclignore"), "src\n*.md\n")

	// Without --node, deploy finds the node of --data (its remembered port).
	code, out, stderr := cli(t, "deploy", "--data", data, scene)
	if code != 0 || !strings.HasPrefix(out, "deployed scene bafkrei") {
		t.Fatalf("deploy: %d\n%s\n%s", code, out, stderr)
	}
	id := strings.Fields(out)[2]
	var active []struct {
		ID       string   `json:"id"`
		Pointers []string `json:"pointers"`
		Content  []struct {
			File, Hash string
		} `json:"content"`
	}
	postJSON(t, base+"/content/entities/active", `{"pointers":["3,5"]}`, &active)
	if len(active) != 1 || active[0].ID != id || strings.Join(active[0].Pointers, " ") != "3,4 3,5" {
		t.Fatalf("active on 3,5: %+v, want %s", active, id)
	}
	var files []string
	for _, c := range active[0].Content {
		files = append(files, c.File)
		res, err := http.Get(base + "/content/contents/" + c.Hash)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("%s not served: %v %v", c.File, err, res)
		}
		res.Body.Close()
	}
	if got := strings.Join(files, " "); got != "bin/index.js models/tree.glb scene.json" {
		t.Fatalf("deployed files %q", got)
	}

	// A refusal is the node's own words.
	if code, _, stderr := cli(t, "deploy", "--node", base, "--data", data, scene); code != 1 || !strings.Contains(stderr, "Entity rate limited") {
		t.Fatalf("a second deployment within the rate limit: %d %s", code, stderr)
	}

	profile := filepath.Join(t.TempDir(), "profile.json")
	raw, _ := json.Marshal(entitytest.ProfileMetadata(&entitytest.Identity{Address: strings.ToLower(address)}, "operator"))
	write(t, profile, string(raw))
	if code, out, stderr := cli(t, "deploy", "--node", base, "--data", data, profile); code != 0 || !strings.HasPrefix(out, "deployed profile") {
		t.Fatalf("deploy profile: %d %s %s", code, out, stderr)
	}
	write(t, profile, `{"name":"no avatars"}`)
	if code, _, stderr := cli(t, "deploy", "--node", base, "--data", data, profile); code != 1 || !strings.Contains(stderr, "avatars") {
		t.Fatalf("not a profile: %d %s", code, stderr)
	}

	code, out, _ = cli(t, "status", "--data", data)
	for _, want := range []string{n.Host.ID().String(), "profile 1 (1 stored)", "scene 1 (1 stored)", "content ok", "lambdas ok", "Syncing"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("status: %d, want %q in\n%s", code, want, out)
		}
	}
	code, out, _ = cli(t, "status", "--node", base, "--json")
	var st struct {
		Node struct {
			PeerID string `json:"peerId"`
		} `json:"node"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.Node.PeerID != n.Host.ID().String() {
		t.Fatalf("status --json: %d %s", code, out)
	}
}

func postJSON(t *testing.T, url, body string, out any) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}
