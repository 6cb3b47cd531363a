package node

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// chromium finds a Chromium to drive. Without one the browser test is
// skipped, unless TEST_REQUIRE_CHROMIUM is set (CI installs it).
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("TEST_REQUIRE_CHROMIUM") != "" {
		t.Fatal("chromium is required (apt-get install chromium)")
	}
	t.Skip("chromium not installed")
	return ""
}

type browserReport struct {
	Error    string   `json:"error"`
	Identity string   `json:"identity"`
	Room     string   `json:"room"`
	Remotes  []string `json:"remotes"`
	Log      []string `json:"log"`
	Received []struct {
		From  string `json:"from"`
		Text  string `json:"text"`
		Kind  int    `json:"kind"`
		Topic string `json:"topic"`
	} `json:"received"`
}

// jsExplorer runs testdata/js/explorer.js — the archipelago handshake and
// heartbeats with @dcl/protocol and @dcl/crypto — and streams the
// island_changed messages it prints.
type jsExplorer struct {
	Address, IslandID, ConnStr string
}

func startJSExplorer(t *testing.T, base string, x, z int) <-chan jsExplorer {
	t.Helper()
	cmd := exec.Command("node", "explorer.js", "ws"+strings.TrimPrefix(base, "http")+"/archipelago/ws", fmt.Sprint(x), fmt.Sprint(z))
	cmd.Dir = filepath.Join("..", "testdata", "js")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	ch := make(chan jsExplorer, 16)
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var e struct {
				Address  string `json:"address"`
				IslandID string `json:"islandId"`
				ConnStr  string `json:"connStr"`
			}
			if json.Unmarshal(sc.Bytes(), &e) == nil {
				ch <- jsExplorer{e.Address, e.IslandID, e.ConnStr}
			}
		}
	}()
	return ch
}

// TestBrowserExplorersExchangeData is the path an explorer takes, with the
// real client packages at every step: two explorers built on @dcl/protocol
// and @dcl/crypto do the archipelago handshake and land on one island;
// the conn_str each receives is joined with livekit-client in headless
// Chromium, from a page on another origin. Both must hear each other,
// stamped with the right identity.
func TestBrowserExplorersExchangeData(t *testing.T) {
	bin := chromium(t)
	if _, err := os.Stat(filepath.Join("..", "testdata", "js", "node_modules", "livekit-client")); err != nil {
		t.Fatal("testdata/js/node_modules is missing: run npm ci there (bash .ci/test does)")
	}
	_, base := startNode(t, nil)
	chA, chB := startJSExplorer(t, base, 8, 8), startJSExplorer(t, base, 20, 12)
	var a, b jsExplorer
	timeout := time.After(30 * time.Second)
	for a.IslandID == "" || a.IslandID != b.IslandID {
		select {
		case a = <-chA:
		case b = <-chB:
		case <-timeout:
			t.Fatalf("the explorers never shared an island: %+v, %+v", a, b)
		}
	}
	if !strings.HasPrefix(a.ConnStr, "livekit:ws://") {
		t.Fatalf("conn_str %q", a.ConnStr)
	}

	reports := make(chan browserReport, 2)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join("..", "testdata", "js", "livekit.html"))
	})
	mux.HandleFunc("GET /livekit-client.umd.js", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join("..", "testdata", "js", "node_modules", "livekit-client", "dist", "livekit-client.umd.js"))
	})
	mux.HandleFunc("POST /report", func(w http.ResponseWriter, r *http.Request) {
		var rep browserReport
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &rep); err != nil {
			rep.Error = "unreadable report: " + string(body)
		}
		reports <- rep
	})
	page := httptest.NewServer(mux)
	defer page.Close()

	var logs []string
	for _, ic := range []string{a.ConnStr, b.ConnStr} {
		dir := t.TempDir()
		logFile := filepath.Join(dir, "chromium.log")
		out, _ := os.Create(logFile)
		cmd := exec.Command(bin,
			"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
			"--no-default-browser-check", "--disable-background-networking", "--disable-extensions",
			"--disable-features=WebRtcHideLocalIpsWithMdns", "--allow-loopback-in-peer-connection",
			"--user-data-dir="+filepath.Join(dir, "profile"), "--remote-debugging-port=0",
			page.URL+"/?expect=1&connStr="+url.QueryEscape(ic))
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		logs = append(logs, logFile)
		t.Cleanup(func() {
			cmd.Process.Kill()
			cmd.Wait()
			out.Close()
		})
	}
	dump := func() {
		for _, l := range logs {
			raw, _ := os.ReadFile(l)
			t.Logf("%s:\n%s", l, tail(string(raw), 3000))
		}
	}

	got := map[string]browserReport{}
	timeout = time.After(90 * time.Second)
	for len(got) < 2 {
		select {
		case rep := <-reports:
			if rep.Error != "" {
				dump()
				t.Fatalf("browser: %s (log %v)", rep.Error, rep.Log)
			}
			got[rep.Identity] = rep
		case <-timeout:
			dump()
			t.Fatalf("browsers reported %d of 2", len(got))
		}
	}
	for self, other := range map[string]string{a.Address: b.Address, b.Address: a.Address} {
		rep, ok := got[self]
		if !ok {
			t.Fatalf("no report from %s (got %v)", self, got)
		}
		if rep.Room != "island-"+a.IslandID {
			t.Errorf("%s joined %q, want island-%s", self, rep.Room, a.IslandID)
		}
		if !slices.Contains(rep.Remotes, other) {
			t.Errorf("%s sees %v in the room, want %s", self, rep.Remotes, other)
		}
		reliable, lossy, seq := 0, 0, -1
		for _, r := range rep.Received {
			if r.From != other {
				t.Errorf("%s received %q stamped %q, want %s", self, r.Text, r.From, other)
			}
			if rest, ok := strings.CutPrefix(r.Text, "hello from "+other+" #"); ok {
				var k int
				fmt.Sscan(rest, &k)
				if k <= seq || r.Topic != "greeting" {
					t.Errorf("%s: reliable packet #%d after #%d (topic %q)", self, k, seq, r.Topic)
				}
				seq = k
				reliable++
			} else if r.Text == "lossy from "+other {
				lossy++
			}
		}
		if reliable < 3 || lossy == 0 {
			t.Errorf("%s heard %d reliable and %d lossy packets from %s", self, reliable, lossy, other)
		}
	}
	// The stats show both explorers on their island.
	var islands struct {
		Islands []struct {
			ID    string   `json:"id"`
			Peers []string `json:"peers"`
		} `json:"islands"`
	}
	res, err := http.Get(base + "/comms/islands")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(res.Body).Decode(&islands)
	res.Body.Close()
	if len(islands.Islands) != 1 || islands.Islands[0].ID != a.IslandID || len(islands.Islands[0].Peers) != 2 {
		t.Fatalf("/comms/islands = %+v", islands)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
