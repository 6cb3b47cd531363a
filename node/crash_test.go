package node

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// catalystBinary builds cmd/catalyst once per test run.
func catalystBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "catalyst-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "catalyst")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/catalyst")
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

var startedRe = regexp.MustCompile(`catalyst started.* http=(\S+)`)

// process is the real binary running as a child.
type process struct {
	cmd  *exec.Cmd
	base string
}

func startProcess(t testing.TB, dataDir string, args ...string) *process {
	t.Helper()
	return startCatalyst(t, append([]string{"run", "--data", dataDir, "--http", "127.0.0.1:0", "--listen", "/ip4/127.0.0.1/tcp/0", "--rtc-udp-port", "0"}, args...)...)
}

// startCatalyst runs the binary with args and waits for its start line;
// a binary that exits first fails the test with what it printed.
func startCatalyst(t testing.TB, args ...string) *process {
	t.Helper()
	cmd := exec.Command(catalystBinary(t), args...)
	cmd.Env = append(os.Environ(), "CATALYST_LOG_LEVEL=info")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	started := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		var seen []string
		for sc.Scan() {
			if m := startedRe.FindStringSubmatch(sc.Text()); m != nil {
				started <- m[1]
			}
			if len(seen) < 50 {
				seen = append(seen, sc.Text())
			}
		}
		started <- "exited: " + strings.Join(seen, "\n")
	}()
	select {
	case a := <-started:
		if strings.HasPrefix(a, "exited: ") {
			t.Fatalf("catalyst %v %s", args, a)
		}
		return &process{cmd: cmd, base: "http://" + a}
	case <-time.After(60 * time.Second):
		t.Fatalf("catalyst %v did not start", args)
	}
	return nil
}

// A node killed with SIGKILL in the middle of a stream of deployments
// keeps every one it acknowledged, with consistent pointers.
func TestCrashKeepsAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	data := t.TempDir()
	p := startProcess(t, data, "--rate-limit", "profile=0s")
	c := client{t, p.base}

	const workers = 4
	type ack struct {
		d    *entitytest.Deployment
		addr string
	}
	var mu sync.Mutex
	var acked []ack
	ids := make([]*entitytest.Identity, 64)
	for i := range ids {
		ids[i] = entitytest.NewIdentity()
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ctx.Err() == nil && i < 10000; i++ {
				id := ids[(i*workers+w)%len(ids)]
				d := entitytest.Profile(id, time.Now().Add(time.Duration(i)*time.Millisecond), fmt.Sprint("n", i))
				body, ct := d.Multipart()
				status, err := post(p.base+"/content/entities", ct, body)
				if err != nil {
					return // the node is gone
				}
				if status == 200 {
					mu.Lock()
					acked = append(acked, ack{d, id.Address})
					mu.Unlock()
				}
			}
		}(w)
	}
	// Let the deployments flow, then kill without warning.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
	cancel()
	wg.Wait()
	if len(acked) < 300 {
		t.Fatalf("only %d deployments acknowledged before the kill", len(acked))
	}

	p2 := startProcess(t, data)
	c = client{t, p2.base}
	newest := map[string]int64{}
	for _, a := range acked {
		var audit map[string]any
		if status := c.json("GET", "/content/audit/profile/"+a.d.ID, nil, &audit); status != 200 {
			t.Fatalf("acknowledged deployment %s lost after SIGKILL", a.d.ID)
		}
		e, err := entity.Parse(a.d.ID, a.d.File)
		if err != nil {
			t.Fatal(err)
		}
		newest[a.addr] = max(newest[a.addr], e.Timestamp)
	}
	// Every pointer has exactly one active profile, and it is no older than
	// the newest acknowledged one (a deployment may commit and die before
	// its answer left).
	for addr := range newest {
		var got []entity.Entity
		c.json("POST", "/content/entities/active", map[string]any{"pointers": []string{addr}}, &got)
		if len(got) != 1 {
			t.Fatalf("pointer %s has %d active entities", addr, len(got))
		}
		if got[0].Timestamp < newest[addr] {
			t.Fatalf("pointer %s went back to %d, but %d was acknowledged", addr, got[0].Timestamp, newest[addr])
		}
	}
	// Every user with an acknowledged profile (it has a description) has
	// profile_pro after the restart — the badges consumer resumes from its
	// cursor — and exactly one notification of it, however much of the
	// log was read twice.
	byAddress := map[string]*entitytest.Identity{}
	for _, id := range ids {
		byAddress[id.Address] = id
	}
	deadline = time.Now().Add(20 * time.Second)
	for addr := range newest {
		for {
			req, _ := http.NewRequest("GET", p2.base+"/notifications/notifications", nil)
			byAddress[addr].SignRequest(req, "")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var inbox struct {
				Notifications []struct {
					Metadata map[string]any `json:"metadata"`
				} `json:"notifications"`
			}
			json.NewDecoder(res.Body).Decode(&inbox)
			res.Body.Close()
			n := 0
			for _, note := range inbox.Notifications {
				if note.Metadata["id"] == "profile_pro" {
					n++
				}
			}
			if n > 1 {
				t.Fatalf("%s was told of profile_pro %d times", addr, n)
			}
			if n == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s has no profile_pro notification after the restart", addr)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// The event log holds one event for every stored deployment, and
	// none for a deployment that is not there: they commit together.
	p2.cmd.Process.Signal(syscall.SIGKILL)
	p2.cmd.Wait()
	st, err := store.Open(store.Options{Dir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	evs, err := st.ReadEvents(context.Background(), 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	events := map[string]int{}
	for _, e := range evs {
		if e.Type == store.DeploymentEventType {
			events[strings.TrimPrefix(e.Key, "deployment-")]++
		}
	}
	for _, a := range acked {
		if events[a.d.ID] != 1 {
			t.Fatalf("acknowledged deployment %s has %d events", a.d.ID, events[a.d.ID])
		}
	}
	for id, n := range events {
		if has, _ := st.Has(id); !has || n != 1 {
			t.Fatalf("event of %s: %d, stored %v", id, n, has)
		}
	}
	t.Logf("%d deployments acknowledged before SIGKILL, all present after restart, each with one event (%d events in all)", len(acked), len(events))
}

func post(url, ct string, body []byte) (int, error) {
	res, err := httpClient.Post(url, ct, bytesReader(body))
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}
