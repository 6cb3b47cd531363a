package authserver

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// sioClient is a minimal Socket.IO v5 client over Engine.IO v4 for the
// tests: WebSocket or polling, one namespace, events with acks.
type sioClient struct {
	t      *testing.T
	nsp    string
	sid    string // the namespace socket's id
	send   func(pkt string) error
	mu     sync.Mutex
	nextID int64
	acks   map[int64]chan json.RawMessage
	events chan [2]json.RawMessage // [name, data]
	closed chan struct{}
	once   sync.Once
	stop   func()
	errs   chan string // CONNECT_ERROR payloads
	pings  atomic.Int64
}

func (c *sioClient) close() {
	c.once.Do(func() {
		close(c.closed)
		c.stop()
	})
}

func newClient(t *testing.T, nsp string) *sioClient {
	return &sioClient{t: t, nsp: nsp, acks: map[int64]chan json.RawMessage{}, events: make(chan [2]json.RawMessage, 16),
		closed: make(chan struct{}), errs: make(chan string, 1)}
}

func nspPrefix(nsp string) string {
	if nsp == "/" {
		return ""
	}
	return nsp + ","
}

// dispatch handles one engine packet from the server.
func (c *sioClient) dispatch(pkt string) {
	if pkt == "" {
		return
	}
	switch pkt[0] {
	case '2':
		c.pings.Add(1)
		c.send("3")
	case '1':
		c.close()
	case '4':
		p, err := decodeServer(pkt[1:])
		if err != nil {
			c.t.Errorf("bad packet from server %q: %v", pkt, err)
			return
		}
		switch p.Type {
		case sioConnect:
			var m struct{ Sid string }
			json.Unmarshal(p.Data, &m)
			c.mu.Lock()
			c.sid = m.Sid
			c.mu.Unlock()
			c.events <- [2]json.RawMessage{json.RawMessage(`"connect"`), p.Data}
		case sioConnectError:
			c.errs <- string(p.Data)
		case sioAck:
			var args []json.RawMessage
			json.Unmarshal(p.Data, &args)
			c.mu.Lock()
			ch := c.acks[p.ID]
			delete(c.acks, p.ID)
			c.mu.Unlock()
			if ch != nil && len(args) > 0 {
				ch <- args[0]
			}
		case sioEvent:
			var args []json.RawMessage
			json.Unmarshal(p.Data, &args)
			var data json.RawMessage
			if len(args) > 1 {
				data = args[1]
			}
			c.events <- [2]json.RawMessage{args[0], data}
		}
	}
}

// decodeServer decodes server packets (CONNECT_ERROR included, which the
// server-side decoder refuses from clients).
func decodeServer(s string) (sioPacket, error) {
	if strings.HasPrefix(s, "4") {
		p := sioPacket{Type: sioConnectError, Nsp: "/"}
		rest := s[1:]
		if strings.HasPrefix(rest, "/") {
			i := strings.IndexByte(rest, ',')
			p.Nsp, rest = rest[:i], rest[i+1:]
		}
		p.Data = json.RawMessage(rest)
		return p, nil
	}
	return decodeSIO(s)
}

// connect joins the client's namespace and waits for the server's CONNECT.
func (c *sioClient) connect() {
	c.t.Helper()
	if err := c.send("40" + nspPrefix(c.nsp)); err != nil {
		c.t.Fatal(err)
	}
	if ev := c.event("connect", 5*time.Second); ev == nil {
		c.t.Fatal("no CONNECT from the server")
	}
}

// emitAck sends an event and waits for its acknowledgement.
func (c *sioClient) emitAck(event string, data any) json.RawMessage {
	c.t.Helper()
	c.mu.Lock()
	id := c.nextID
	c.nextID++
	ch := make(chan json.RawMessage, 1)
	c.acks[id] = ch
	c.mu.Unlock()
	args, _ := json.Marshal([]any{event, data})
	if err := c.send("42" + nspPrefix(c.nsp) + strconv.FormatInt(id, 10) + string(args)); err != nil {
		c.t.Fatal(err)
	}
	select {
	case a := <-ch:
		return a
	case <-time.After(5 * time.Second):
		c.t.Fatalf("no ack for %s", event)
	case <-c.closed:
		c.t.Fatalf("closed before the ack for %s", event)
	}
	return nil
}

// event waits for the named event (others in between are dropped).
func (c *sioClient) event(name string, within time.Duration) json.RawMessage {
	c.t.Helper()
	deadline := time.After(within)
	for {
		select {
		case ev := <-c.events:
			var n string
			json.Unmarshal(ev[0], &n)
			if n == name {
				return ev[1]
			}
		case <-deadline:
			return nil
		case <-c.closed:
			return nil
		}
	}
}

// dialWS opens a WebSocket session at path (e.g. "/socket.io/").
func dialWS(t *testing.T, base, path, nsp string) *sioClient {
	t.Helper()
	url := "ws" + strings.TrimPrefix(base, "http") + path + "?EIO=4&transport=websocket"
	conn, res, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		if res != nil {
			b, _ := io.ReadAll(res.Body)
			t.Fatalf("dial %s: %v %d %s", url, err, res.StatusCode, b)
		}
		t.Fatalf("dial %s: %v", url, err)
	}
	c := newClient(t, nsp)
	var wmu sync.Mutex
	c.send = func(pkt string) error {
		wmu.Lock()
		defer wmu.Unlock()
		return conn.WriteMessage(websocket.TextMessage, []byte(pkt))
	}
	c.stop = func() { conn.Close() }
	_, open, err := conn.ReadMessage()
	if err != nil || open[0] != '0' {
		t.Fatalf("open packet: %q %v", open, err)
	}
	go func() {
		defer c.close()
		for {
			_, b, err := conn.ReadMessage()
			if err != nil {
				return
			}
			c.dispatch(string(b))
		}
	}()
	t.Cleanup(c.close)
	c.connect()
	return c
}

// dialPolling opens a long-polling session at path.
func dialPolling(t *testing.T, base, path, nsp string) *sioClient {
	t.Helper()
	url := base + path + "?EIO=4&transport=polling"
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || len(body) == 0 || body[0] != '0' {
		t.Fatalf("handshake: %d %q", res.StatusCode, body)
	}
	var open struct {
		Sid      string
		Upgrades []string
	}
	if err := json.Unmarshal(body[1:], &open); err != nil || open.Sid == "" || len(open.Upgrades) != 0 {
		t.Fatalf("open packet %q: %v", body, err)
	}
	c := newClient(t, nsp)
	url += "&sid=" + open.Sid
	c.send = func(pkt string) error {
		res, err := http.Post(url, "text/plain;charset=UTF-8", strings.NewReader(pkt))
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || string(b) != "ok" {
			return fmt.Errorf("post: %d %s", res.StatusCode, b)
		}
		return nil
	}
	c.stop = func() {}
	go func() {
		defer c.close()
		for {
			select {
			case <-c.closed:
				return
			default:
			}
			res, err := http.Get(url)
			if err != nil {
				return
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				return
			}
			for _, pkt := range strings.Split(string(b), recordSeparator) {
				c.dispatch(pkt)
			}
		}
	}()
	t.Cleanup(func() { c.send("1"); c.close() })
	c.connect()
	return c
}
