package node

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	pb "github.com/p2pcatalyst/catalyst/comms/protocol/archipelago"
	commonpb "github.com/p2pcatalyst/catalyst/comms/protocol/common"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// peakRSS is a process's high-water resident set (VmHWM), in bytes.
func peakRSS(t testing.TB, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

// The real binary under a mix of hostile clients at once — a thousand
// sockets that never authenticate, a heartbeat flood, oversized uploads
// and uploads past the slots — keeps answering /about within a second,
// stays under 1 GiB of resident memory, and serves an honest explorer and
// deployment afterwards.
func TestProcessSurvivesHostileClients(t *testing.T) {
	if testing.Short() {
		t.Skip("a real process under load")
	}
	p := startProcess(t, t.TempDir())
	ws := "ws" + strings.TrimPrefix(p.base, "http") + "/archipelago/ws"

	var slowest atomic.Int64
	var failures atomic.Int32
	stop := make(chan struct{})
	var pinger sync.WaitGroup
	pinger.Add(1)
	go func() {
		defer pinger.Done()
		c := http.Client{Timeout: time.Second}
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			start := time.Now()
			res, err := c.Get(p.base + "/about")
			if err != nil || res.StatusCode != 200 {
				failures.Add(1)
			} else {
				res.Body.Close()
			}
			if d := time.Since(start); int64(d) > slowest.Load() {
				slowest.Store(int64(d))
			}
		}
	}()

	var attacks sync.WaitGroup
	run := func(fn func()) { attacks.Add(1); go func() { defer attacks.Done(); fn() }() }
	var refused atomic.Int32
	run(func() { // sockets that never sign
		var conns []*websocket.Conn
		d := websocket.Dialer{Subprotocols: []string{"archipelago"}, HandshakeTimeout: 5 * time.Second}
		for range 1000 {
			c, res, err := d.Dial(ws, nil)
			if err != nil {
				if res != nil && res.StatusCode == http.StatusServiceUnavailable {
					refused.Add(1)
				}
				continue
			}
			conns = append(conns, c)
		}
		time.Sleep(2 * time.Second)
		for _, c := range conns {
			c.Close()
		}
	})
	run(func() { // a heartbeat flood from a signed-in explorer
		e, err := handshake(t, p.base, entitytest.NewIdentity())
		if err != nil {
			t.Errorf("flooder handshake: %v", err)
			return
		}
		for i := 0; i < 100000; i++ {
			b, _ := proto.Marshal(&pb.ClientPacket{Message: &pb.ClientPacket_Heartbeat{Heartbeat: &pb.Heartbeat{Position: &commonpb.Position{X: float32(i % 5000), Z: 3}}}})
			if e.conn.WriteMessage(websocket.BinaryMessage, b) != nil {
				return // closed for flooding
			}
		}
		t.Error("a heartbeat flood of 100,000 was never cut")
	})
	for range 4 {
		run(func() { // a file past 100 MB, streamed
			pr, pw := io.Pipe()
			mw := multipart.NewWriter(pw)
			go func() {
				fw, _ := mw.CreateFormFile("f", "f")
				chunk := make([]byte, 1<<20)
				for range 120 {
					if _, err := fw.Write(chunk); err != nil {
						break
					}
				}
				pw.CloseWithError(mw.Close())
			}()
			res, err := http.Post(p.base+"/content/entities", mw.FormDataContentType(), pr)
			pr.Close()
			if err == nil {
				res.Body.Close()
				if res.StatusCode != http.StatusRequestEntityTooLarge {
					t.Errorf("a 120 MB file: %d", res.StatusCode)
				}
			}
		})
	}
	attacks.Wait()

	// Honest users carry on.
	if _, err := handshake(t, p.base, entitytest.NewIdentity()); err != nil {
		t.Fatalf("an honest explorer after the attacks: %v", err)
	}
	status, res := client{t, p.base}.deploy(entitytest.Profile(entitytest.NewIdentity(), time.Now(), "honest"))
	if status != 200 {
		t.Fatalf("an honest deployment after the attacks: %d %v", status, res)
	}
	close(stop)
	pinger.Wait()
	if failures.Load() > 0 || time.Duration(slowest.Load()) > time.Second {
		t.Fatalf("/about failed %d times, slowest %s", failures.Load(), time.Duration(slowest.Load()))
	}
	if refused.Load() == 0 {
		t.Fatal("a thousand pending sockets from one address were all admitted")
	}
	if rss := peakRSS(t, p.cmd.Process.Pid); rss > 1<<30 {
		t.Fatalf("peak RSS %d MiB", rss>>20)
	}
	t.Logf("/about slowest %s; %d sockets refused; peak RSS %d MiB", time.Duration(slowest.Load()), refused.Load(), peakRSS(t, p.cmd.Process.Pid)>>20)
}
