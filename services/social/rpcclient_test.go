package social

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/p2pcatalyst/catalyst/services/social/protocol/rpcpb"
	"github.com/p2pcatalyst/catalyst/services/social/rpc"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// client is a Go client of the @dcl/rpc protocol, for tests and
// benchmarks: what @dcl/rpc's client does, over gorilla/websocket.
type client struct {
	conn  *websocket.Conn
	wmu   sync.Mutex
	mu    sync.Mutex
	n     uint32
	port  uint32
	procs map[string]uint32
	calls map[uint32]chan rpc.Frame
	subs  map[uint32]chan []byte
	done  chan struct{}
	err   error
}

// authFrame is the first frame of a user: the signed headers of GET /.
func authFrame(id *entitytest.Identity, metadata string) []byte {
	req, _ := http.NewRequest("GET", "http://node/", nil)
	id.SignRequest(req, metadata)
	m := map[string]string{}
	for k := range req.Header {
		m[strings.ToLower(k)] = req.Header.Get(k)
	}
	b, _ := json.Marshal(m)
	return b
}

func wsURL(base string) string { return "ws" + strings.TrimPrefix(base, "http") + "/social/ws" }

// dial connects as id and loads the SocialService.
func dial(tb testing.TB, base string, id *entitytest.Identity) *client {
	tb.Helper()
	c, err := dialErr(base, id)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.conn.Close() })
	return c
}

func dialErr(base string, id *entitytest.Identity) (*client, error) {
	conn, _, err := websocket.DefaultDialer.Dial(wsURL(base), nil)
	if err != nil {
		return nil, err
	}
	c := &client{conn: conn, calls: map[uint32]chan rpc.Frame{}, subs: map[uint32]chan []byte{}, done: make(chan struct{})}
	if err := conn.WriteMessage(websocket.BinaryMessage, authFrame(id, "")); err != nil {
		return nil, err
	}
	go c.read()
	f, err := c.request(func(n uint32) proto.Message {
		return &rpcpb.CreatePort{MessageIdentifier: rpc.MessageID(rpc.TypeCreatePort, n), PortName: "test"}
	})
	if err != nil {
		return nil, err
	}
	c.port = f.Msg.(*rpcpb.CreatePortResponse).GetPortId()
	f, err = c.request(func(n uint32) proto.Message {
		return &rpcpb.RequestModule{MessageIdentifier: rpc.MessageID(rpc.TypeRequestModule, n), PortId: c.port, ModuleName: ModuleName}
	})
	if err != nil {
		return nil, err
	}
	c.procs = map[string]uint32{}
	for _, p := range f.Msg.(*rpcpb.RequestModuleResponse).GetProcedures() {
		c.procs[p.GetProcedureName()] = p.GetProcedureId()
	}
	return c, nil
}

func (c *client) write(m proto.Message) error {
	b, _ := proto.Marshal(m)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.conn.WriteMessage(websocket.BinaryMessage, b)
}

func (c *client) read() {
	defer close(c.done)
	for {
		_, b, err := c.conn.ReadMessage()
		if err != nil {
			c.err = err
			c.mu.Lock()
			for _, ch := range c.subs {
				close(ch)
			}
			c.subs = map[uint32]chan []byte{}
			c.mu.Unlock()
			return
		}
		f, err := rpc.Parse(b)
		if err != nil || f.Number == 0 {
			continue
		}
		c.mu.Lock()
		call, sub := c.calls[f.Number], c.subs[f.Number]
		delete(c.calls, f.Number)
		c.mu.Unlock()
		switch {
		case call != nil:
			call <- f
		case sub != nil && f.Type == rpc.TypeStreamMessage:
			m := f.Msg.(*rpcpb.StreamMessage)
			if m.GetClosed() {
				c.mu.Lock()
				delete(c.subs, f.Number)
				c.mu.Unlock()
				close(sub)
				continue
			}
			sub <- m.GetPayload()
			c.write(&rpcpb.StreamMessage{MessageIdentifier: rpc.MessageID(rpc.TypeStreamAck, f.Number), PortId: c.port, SequenceId: m.GetSequenceId(), Ack: true})
		}
	}
}

// request sends a message numbered by the client and waits for its answer.
func (c *client) request(build func(n uint32) proto.Message) (rpc.Frame, error) {
	ch := make(chan rpc.Frame, 1)
	c.mu.Lock()
	c.n++
	n := c.n
	c.calls[n] = ch
	c.mu.Unlock()
	if err := c.write(build(n)); err != nil {
		return rpc.Frame{}, err
	}
	select {
	case f := <-ch:
		if f.Type == rpc.TypeRemoteError {
			return f, errors.New("remote error: " + f.Msg.(*rpcpb.RemoteError).GetErrorMessage())
		}
		return f, nil
	case <-c.done:
		return rpc.Frame{}, fmt.Errorf("connection closed: %v", c.err)
	case <-time.After(10 * time.Second):
		return rpc.Frame{}, errors.New("timed out")
	}
}

// call runs a unary procedure.
func (c *client) call(name string, req, resp proto.Message) error {
	payload, _ := proto.Marshal(req)
	f, err := c.request(func(n uint32) proto.Message {
		return &rpcpb.Request{MessageIdentifier: rpc.MessageID(rpc.TypeRequest, n), PortId: c.port, ProcedureId: c.procs[name], Payload: payload}
	})
	if err != nil {
		return err
	}
	r, ok := f.Msg.(*rpcpb.Response)
	if !ok {
		return fmt.Errorf("answered with message type %d", f.Type)
	}
	return proto.Unmarshal(r.GetPayload(), resp)
}

// subscribe opens a server stream; its elements come on the channel
// (buffered), acknowledged as they arrive.
func (c *client) subscribe(tb testing.TB, name string) <-chan []byte {
	tb.Helper()
	ch := make(chan []byte, 1024)
	c.mu.Lock()
	c.n++
	n := c.n
	offer := make(chan rpc.Frame, 1)
	c.calls[n] = offer
	c.mu.Unlock()
	if err := c.write(&rpcpb.Request{MessageIdentifier: rpc.MessageID(rpc.TypeRequest, n), PortId: c.port, ProcedureId: c.procs[name]}); err != nil {
		tb.Fatal(err)
	}
	select {
	case f := <-offer:
		if f.Type != rpc.TypeStreamMessage {
			tb.Fatalf("%s answered with message type %d", name, f.Type)
		}
	case <-time.After(10 * time.Second):
		tb.Fatalf("%s: no stream offer", name)
	}
	c.mu.Lock()
	c.subs[n] = ch
	c.mu.Unlock()
	c.write(&rpcpb.StreamMessage{MessageIdentifier: rpc.MessageID(rpc.TypeStreamAck, n), PortId: c.port, SequenceId: 0, Ack: true})
	return ch
}

// next takes the next update of a stream into m, within a deadline.
func next(tb testing.TB, ch <-chan []byte, m proto.Message) {
	tb.Helper()
	select {
	case b, ok := <-ch:
		if !ok {
			tb.Fatal("the stream ended")
		}
		if err := proto.Unmarshal(b, m); err != nil {
			tb.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		tb.Fatal("no update within 5 s")
	}
}
