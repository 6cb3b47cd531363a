package authserver

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func ackField(t *testing.T, ack json.RawMessage, key string) any {
	t.Helper()
	return decode(t, ack)[key]
}

// The desktop as unity-explorer connects (WebSocket, io("<node>/auth")),
// the browser as the auth dapp may (polling, path /auth/socket.io): the
// whole sign-in over Socket.IO.
func TestSocketIORoundTrip(t *testing.T) {
	f := start(t, Config{})
	desktop := dialWS(t, f.srv.URL, "/socket.io/", "/auth")
	browser := dialPolling(t, f.srv.URL, "/auth/socket.io/", "/")

	ack := desktop.emitAck("request", map[string]any{"method": MethodSignIn, "params": []string{"Decentraland Login\nEphemeral address: 0xabc"}})
	id, _ := ackField(t, ack, "requestId").(string)
	code := ackField(t, ack, "code")
	if !uuidV4.MatchString(id) || code == nil || ackField(t, ack, "expiration") == nil {
		t.Fatalf("request ack: %s", ack)
	}

	rec := decode(t, browser.emitAck("recover", map[string]any{"requestId": id}))
	if rec["method"] != MethodSignIn || rec["code"] != code || rec["sender"] != nil {
		t.Fatalf("recover ack: %v", rec)
	}
	if a := browser.emitAck("request-validation-status", map[string]any{"requestId": id}); string(a) != "{}" {
		t.Fatalf("validation ack: %s", a)
	}
	ev := desktop.event("request-validation-status", 5*time.Second)
	if ev == nil || ackField(t, ev, "requestId") != id || ackField(t, ev, "code") != code {
		t.Fatalf("validation event: %s", ev)
	}

	sender := "0x1234567890123456789012345678901234567890"
	if a := browser.emitAck("outcome", map[string]any{"requestId": id, "sender": sender, "result": "0xsignature"}); string(a) != "{}" {
		t.Fatalf("outcome ack: %s", a)
	}
	out := desktop.event("outcome", 5*time.Second)
	if string(out) != `{"requestId":"`+id+`","sender":"`+sender+`","result":"0xsignature"}` {
		t.Fatalf("outcome event: %s", out)
	}

	// Delivered once: every later look finds it fulfilled.
	if a := browser.emitAck("recover", map[string]any{"requestId": id}); !strings.Contains(string(a), "has already been fulfilled") {
		t.Fatalf("recover after delivery: %s", a)
	}
	if a := browser.emitAck("outcome", map[string]any{"requestId": id, "sender": sender, "result": "again"}); !strings.Contains(string(a), "has already been fulfilled") {
		t.Fatalf("second outcome: %s", a)
	}
	if status, _ := f.do("GET", "/auth/requests/"+id, nil); status != http.StatusGone {
		t.Fatalf("poll after socket delivery: %d", status)
	}
}

func TestSocketRequestWithChainAndHTTPOutcome(t *testing.T) {
	f := start(t, Config{})
	w := newWallet(t, time.Now().Add(time.Hour))
	desktop := dialWS(t, f.srv.URL, "/auth/socket.io/", "/")
	bad := desktop.emitAck("request", map[string]any{"method": "eth_sendTransaction", "params": []any{}})
	if !strings.Contains(string(bad), "Auth chain is required") {
		t.Fatalf("no chain: %s", bad)
	}
	ack := desktop.emitAck("request", map[string]any{"method": "eth_sendTransaction", "params": []any{map[string]string{"to": "0x0"}}, "authChain": w.login()})
	id, _ := ackField(t, ack, "requestId").(string)
	status, body := f.do("GET", "/auth/v2/requests/"+id, nil)
	if status != 200 || decode(t, body)["sender"] != w.lower() {
		t.Fatalf("recover over HTTP: %d %s", status, body)
	}
	if status, _ := f.do("POST", "/auth/v2/requests/"+id+"/validation", nil); status != http.StatusNoContent {
		t.Fatalf("validation: %d", status)
	}
	if ev := desktop.event("request-validation-status", 5*time.Second); ev == nil || ackField(t, ev, "requestId") != id {
		t.Fatalf("validation event: %s", ev)
	}
	if status, _ := f.do("POST", "/auth/v2/requests/"+id+"/outcome", map[string]any{"sender": w.lower(), "result": "0xhash"}); status != 200 {
		t.Fatalf("outcome: %d", status)
	}
	if out := desktop.event("outcome", 5*time.Second); ackField(t, out, "result") != "0xhash" {
		t.Fatalf("outcome event: %s", out)
	}
	if status, _ := f.do("GET", "/auth/requests/"+id, nil); status != http.StatusGone {
		t.Fatalf("poll after socket delivery: %d", status)
	}
}

func TestSocketHasOneRequestAndOutcomeWaitsWhenItIsGone(t *testing.T) {
	f := start(t, Config{})
	desktop := dialWS(t, f.srv.URL, "/socket.io/", "/auth")
	req := map[string]any{"method": MethodSignIn, "params": []string{"m"}}
	first, _ := ackField(t, desktop.emitAck("request", req), "requestId").(string)
	second, _ := ackField(t, desktop.emitAck("request", req), "requestId").(string)
	if status, _ := f.do("GET", "/auth/v2/requests/"+first, nil); status != http.StatusNotFound {
		t.Fatalf("the replaced request: %d", status)
	}
	if n, _ := f.held(); n != 1 {
		t.Fatalf("%d requests held, want 1", n)
	}
	desktop.close()
	waitFor(t, "the socket to go", func() bool { return f.svc.sio.socket(desktop.sid) == nil })
	if status, _ := f.do("POST", "/auth/v2/requests/"+second+"/outcome", map[string]any{"sender": "0x1234567890123456789012345678901234567890", "result": true}); status != 200 {
		t.Fatalf("outcome: %d", status)
	}
	status, body := f.do("GET", "/auth/requests/"+second, nil)
	if status != 200 || decode(t, body)["result"] != true {
		t.Fatalf("polled outcome: %d %s", status, body)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSocketBadMessagesStoreNothing(t *testing.T) {
	f := start(t, Config{})
	c := dialPolling(t, f.srv.URL, "/socket.io/", "/auth")
	for _, tc := range []struct {
		event string
		data  any
		text  string
	}{
		{"request", nil, "must be object"},
		{"request", map[string]any{"method": "x"}, "'params'"},
		{"request", map[string]any{"method": MethodSignIn, "params": []string{strings.Repeat("p", MaxBodyBytes)}}, "too large"},
		{"recover", map[string]any{"requestId": "x", "more": 1}, "additional"},
		{"recover", map[string]any{"requestId": strings.Repeat("x", 37)}, "more than 36"},
		{"recover", map[string]any{"requestId": "nope"}, "not found"},
		{"outcome", map[string]any{"sender": "0x1234567890123456789012345678901234567890", "result": 1}, "'requestId'"},
		{"outcome", map[string]any{"requestId": "nope", "sender": "0x1234567890123456789012345678901234567890", "result": 1}, "not found"},
		{"request-validation-status", map[string]any{}, "'requestId'"},
	} {
		if a := c.emitAck(tc.event, tc.data); !strings.Contains(string(ackField(t, a, "error").(string)), tc.text) {
			t.Errorf("%s %v: %s, want ~%q", tc.event, tc.data, a, tc.text)
		}
	}
	if n, _ := f.held(); n != 0 {
		t.Fatalf("%d requests stored", n)
	}
}

func TestEngineIORefusals(t *testing.T) {
	f := start(t, Config{MaxSocketsPerIP: 2})
	for _, tc := range []struct {
		query string
		code  string
	}{
		{"EIO=3&transport=polling", `"code":5`},
		{"EIO=4&transport=flash", `"code":0`},
		{"EIO=4&transport=polling&sid=nope", `"code":1`},
		{"EIO=4&transport=polling&j=0", `"code":3`},
		{"EIO=4&transport=websocket", `"code":3`}, // not an upgrade request
	} {
		status, body := f.do("GET", "/socket.io/?"+tc.query, nil)
		if status != http.StatusBadRequest || !strings.Contains(string(body), tc.code) {
			t.Errorf("%s: %d %s", tc.query, status, body)
		}
	}

	// A namespace that is not served.
	c := dialWS(t, f.srv.URL, "/socket.io/", "/auth")
	c.send("40/other,")
	select {
	case e := <-c.errs:
		if !strings.Contains(e, "Invalid namespace") {
			t.Fatalf("connect error: %s", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no CONNECT_ERROR for an unknown namespace")
	}

	// The per-address bound (c is one session).
	dialPolling(t, f.srv.URL, "/socket.io/", "/")
	if status, _ := f.do("GET", "/socket.io/?EIO=4&transport=polling", nil); status != http.StatusTooManyRequests {
		t.Fatalf("a third session from one address: %d", status)
	}

	// A binary frame ends the session.
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(f.srv.URL, "http")+"/auth/socket.io/?EIO=4&transport=websocket", http.Header{testIPHeader: {"10.9.9.9"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.ReadMessage() // open
	conn.WriteMessage(websocket.BinaryMessage, []byte{4, 1, 2})
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := conn.ReadMessage()
		if err == nil {
			continue
		}
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("the session stayed open: %v", err)
		}
		break
	}
}

// A client that stops answering pings is dropped.
func TestHeartbeatTimeout(t *testing.T) {
	f := start(t, Config{PingInterval: 20 * time.Millisecond, PingTimeout: 30 * time.Millisecond})
	res, err := http.Get(f.srv.URL + "/socket.io/?EIO=4&transport=polling")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var open struct{ Sid string }
	json.Unmarshal(body[1:], &open)
	waitFor(t, "the silent session to close", func() bool {
		f.svc.sio.mu.Lock()
		defer f.svc.sio.mu.Unlock()
		return f.svc.sio.sessions[open.Sid] == nil
	})
	// One that answers stays.
	c := dialWS(t, f.srv.URL, "/socket.io/", "/auth")
	waitFor(t, "three pings answered", func() bool { return c.pings.Load() >= 3 })
	if f.svc.sio.socket(c.sid) == nil {
		t.Fatal("a session that answers pings was dropped")
	}
	if a := c.emitAck("recover", map[string]any{"requestId": "x"}); !strings.Contains(string(a), "not found") {
		t.Fatalf("after pings: %s", a)
	}
}

func TestStopClosesSockets(t *testing.T) {
	f := start(t, Config{})
	c := dialWS(t, f.srv.URL, "/socket.io/", "/auth")
	f.svc.Close()
	select {
	case <-c.closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the socket outlived Close")
	}
	if status, _ := f.do("GET", "/socket.io/?EIO=4&transport=polling", nil); status != http.StatusServiceUnavailable {
		t.Fatalf("a session after Close: %d", status)
	}
}

func TestSocketIOPacketCodec(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want sioPacket
		bad  bool
	}{
		{in: "0", want: sioPacket{Type: 0, Nsp: "/", ID: -1}},
		{in: "0/auth,", want: sioPacket{Type: 0, Nsp: "/auth", ID: -1}},
		{in: `0/auth,{"token":"x"}`, want: sioPacket{Type: 0, Nsp: "/auth", ID: -1, Data: json.RawMessage(`{"token":"x"}`)}},
		{in: `2["a",1]`, want: sioPacket{Type: 2, Nsp: "/", ID: -1, Data: json.RawMessage(`["a",1]`)}},
		{in: `2/auth,12["a"]`, want: sioPacket{Type: 2, Nsp: "/auth", ID: 12, Data: json.RawMessage(`["a"]`)}},
		{in: `312[{}]`, want: sioPacket{Type: 3, Nsp: "/", ID: 12, Data: json.RawMessage(`[{}]`)}},
		{in: "1/auth,", want: sioPacket{Type: 1, Nsp: "/auth", ID: -1}},
		{in: "", bad: true},
		{in: "7", bad: true},
		{in: `51-["a",{"_placeholder":true,"num":0}]`, bad: true},
		{in: `2{"a":1}`, bad: true},
		{in: `2["a"`, bad: true},
		{in: `4{"message":"x"}`, bad: true},
		{in: `21234567890123456["a"]`, bad: true},
		{in: "0/" + strings.Repeat("n", 100) + ",", bad: true},
	} {
		got, err := decodeSIO(tc.in)
		if tc.bad != (err != nil) {
			t.Errorf("%q: err %v", tc.in, err)
			continue
		}
		if !tc.bad && (got.Type != tc.want.Type || got.Nsp != tc.want.Nsp || got.ID != tc.want.ID || string(got.Data) != string(tc.want.Data)) {
			t.Errorf("%q: %+v, want %+v", tc.in, got, tc.want)
		}
		if !tc.bad {
			if re := encodeSIO(got.Type, got.Nsp, got.ID, got.Data); re != tc.in {
				t.Errorf("%q encodes back as %q", tc.in, re)
			}
		}
	}
}
