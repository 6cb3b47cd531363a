package rpc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/p2pcatalyst/catalyst/services/social/protocol/rpcpb"
)

// Unary answers one call: the request's payload in, the response's out.
// An error is sent to the client as a REMOTE_ERROR_RESPONSE with its text.
type Unary func(ctx context.Context, payload []byte) ([]byte, error)

// Stream opens a server stream: the elements come on the channel (closed
// by the procedure when the stream ends), and done is called once when
// the stream ends for any reason (the client closed it, its port or
// connection went, or the channel closed). ctx ends with the stream.
type Stream func(ctx context.Context, payload []byte) (elems <-chan []byte, done func(), err error)

// Procedure is one procedure of a module: Unary or Stream.
type Procedure struct {
	Name   string
	Unary  Unary
	Stream Stream
}

// Module is a named set of procedures (a service of the .proto, named
// as @dcl/rpc's registerService names it: the service's short name).
type Module struct {
	Name       string
	Procedures []Procedure
}

// Limits bound one connection.
type Limits struct {
	// Ports per connection (a client uses one).
	Ports int
	// Inflight unary calls at once; past it a call is answered with an
	// error at once.
	Inflight int
	// Streams open at once; past it a stream call is refused.
	Streams int
	// MessagesPerSecond and Burst bound the frames a client sends; past
	// them the connection closes.
	MessagesPerSecond float64
	Burst             int
	// SendQueue is how many frames may wait to be written; a client that
	// lets it fill is too slow and is disconnected.
	SendQueue int
	// SendBytes bounds the bytes of the frames waiting to be written (a
	// client that calls and does not read holds no more than this).
	SendBytes int64
	// CallTimeout bounds one unary call.
	CallTimeout time.Duration
}

// DefaultLimits of a connection.
var DefaultLimits = Limits{Ports: 4, Inflight: 32, Streams: 16, MessagesPerSecond: 100, Burst: 300, SendQueue: 512, SendBytes: 4 << 20, CallTimeout: 10 * time.Second}

// Transport carries frames: Read blocks for the next one, Write sends one
// (called from one goroutine at a time).
type Transport interface {
	Read() ([]byte, error)
	Write([]byte) error
}

// Errors that end a connection.
var (
	ErrTooFast = errors.New("rpc: too many messages")
	ErrTooSlow = errors.New("rpc: the client does not read its messages")
)

// Hooks observe a connection (each may be nil).
type Hooks struct {
	// Call is told of every call answered: procedure name, whether it
	// failed and how long it took.
	Call func(procedure string, failed bool, took time.Duration)
	// Panic is told of a procedure that panicked (the call fails).
	Panic func(procedure string, v any)
}

type port struct {
	id      uint32
	name    string
	procs   map[uint32]*Procedure
	byName  map[string]uint32 // loaded modules' procedures
	loaded  map[string][]*rpcpb.ModuleProcedure
	streams map[uint32]*stream
}

type stream struct {
	number uint32
	acks   chan *rpcpb.StreamMessage
	cancel context.CancelFunc
}

// conn is one served connection.
type conn struct {
	t        Transport
	mods     map[string]*Module
	lim      Limits
	hooks    Hooks
	ctx      context.Context
	cancel   context.CancelCauseFunc
	out      chan []byte
	queued   atomic.Int64 // bytes in out
	inflight chan struct{}

	mu       sync.Mutex
	ports    map[uint32]*port
	nextPort uint32
	nstreams int
	wg       sync.WaitGroup
}

// Serve speaks the protocol on t until the client goes, a limit is
// passed, a frame does not parse or ctx ends; it returns why. mods are
// the modules a port may load (built per connection, so procedures can
// close over who is connected).
func Serve(ctx context.Context, t Transport, mods []*Module, lim Limits, hooks Hooks) error {
	if lim.Ports <= 0 {
		lim = DefaultLimits
	}
	c := &conn{t: t, lim: lim, hooks: hooks, mods: map[string]*Module{}, ports: map[uint32]*port{},
		out: make(chan []byte, lim.SendQueue), inflight: make(chan struct{}, lim.Inflight)}
	for _, m := range mods {
		c.mods[m.Name] = m
	}
	c.ctx, c.cancel = context.WithCancelCause(ctx)
	defer c.wg.Wait()
	defer c.cancel(nil)
	writerDone := make(chan struct{})
	go func() { defer close(writerDone); c.writer() }()
	c.send(ServerReady())
	err := c.read()
	c.cancel(err)
	<-writerDone
	if cause := context.Cause(c.ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return err
}

func (c *conn) writer() {
	for {
		select {
		case b := <-c.out:
			c.queued.Add(-int64(len(b)))
			if err := c.t.Write(b); err != nil {
				c.cancel(err)
				return
			}
		case <-c.ctx.Done():
			return
		}
	}
}

// send queues a frame; a full queue ends the connection.
func (c *conn) send(b []byte) {
	if c.lim.SendBytes > 0 && c.queued.Add(int64(len(b))) > c.lim.SendBytes {
		c.cancel(ErrTooSlow)
		return
	}
	select {
	case c.out <- b:
	case <-c.ctx.Done():
	default:
		c.cancel(ErrTooSlow)
	}
}

func (c *conn) read() error {
	limiter := rate.NewLimiter(rate.Limit(c.lim.MessagesPerSecond), c.lim.Burst)
	frames := make(chan []byte)
	readErr := make(chan error, 1)
	go func() {
		for {
			b, err := c.t.Read()
			if err != nil {
				readErr <- err
				return
			}
			select {
			case frames <- b:
			case <-c.ctx.Done():
				return
			}
		}
	}()
	for {
		var b []byte
		select {
		case b = <-frames:
		case err := <-readErr:
			return err
		case <-c.ctx.Done():
			return context.Cause(c.ctx)
		}
		if !limiter.Allow() {
			return ErrTooFast
		}
		f, err := Parse(b)
		if err != nil {
			return err
		}
		if err := c.handle(f); err != nil {
			return err
		}
	}
}

// handle dispatches one frame (handleMessage in src/server.ts).
func (c *conn) handle(f Frame) error {
	switch f.Type {
	case TypeCreatePort:
		c.createPort(f.Number, f.Msg.(*rpcpb.CreatePort))
	case TypeRequestModule:
		c.requestModule(f.Number, f.Msg.(*rpcpb.RequestModule))
	case TypeRequest:
		c.request(f.Number, f.Msg.(*rpcpb.Request))
	case TypeDestroyPort:
		c.destroyPort(f.Msg.(*rpcpb.DestroyPort).GetPortId())
	case TypeStreamAck, TypeStreamMessage:
		c.ack(f.Number, f.Msg.(*rpcpb.StreamMessage))
	default:
		// A server's message sent by a client: @dcl/rpc's server emits a
		// transport error and closes.
		return fmt.Errorf("%w: unexpected message type %d from a client", ErrMalformed, f.Type)
	}
	return nil
}

func (c *conn) createPort(number uint32, m *rpcpb.CreatePort) {
	c.mu.Lock()
	if len(c.ports) >= c.lim.Ports {
		c.mu.Unlock()
		c.send(remoteError(number, "too many ports"))
		return
	}
	c.nextPort++
	p := &port{id: c.nextPort, name: m.GetPortName(), procs: map[uint32]*Procedure{}, byName: map[string]uint32{},
		loaded: map[string][]*rpcpb.ModuleProcedure{}, streams: map[uint32]*stream{}}
	c.ports[p.id] = p
	c.mu.Unlock()
	c.send(marshal(&rpcpb.CreatePortResponse{MessageIdentifier: MessageID(TypeCreatePortResponse, number), PortId: p.id}))
}

func (c *conn) requestModule(number uint32, m *rpcpb.RequestModule) {
	c.mu.Lock()
	p := c.ports[m.GetPortId()]
	if p == nil {
		c.mu.Unlock()
		c.send(remoteError(number, fmt.Sprintf("Cannot find port %d", m.GetPortId())))
		return
	}
	name := m.GetModuleName()
	procs, ok := p.loaded[name]
	if !ok {
		mod := c.mods[name]
		if mod == nil {
			c.mu.Unlock()
			c.send(remoteError(number, fmt.Sprintf("Module %s is not available for port %s (%d))", truncate(name, 64), truncate(p.name, 64), p.id)))
			return
		}
		for i := range mod.Procedures {
			pr := &mod.Procedures[i]
			id := uint32(len(p.procs) + 1)
			p.procs[id] = pr
			procs = append(procs, &rpcpb.ModuleProcedure{ProcedureId: id, ProcedureName: pr.Name})
		}
		p.loaded[name] = procs
	}
	c.mu.Unlock()
	c.send(marshal(&rpcpb.RequestModuleResponse{MessageIdentifier: MessageID(TypeRequestModuleResponse, number), PortId: p.id, Procedures: procs}))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (c *conn) request(number uint32, m *rpcpb.Request) {
	c.mu.Lock()
	p := c.ports[m.GetPortId()]
	if p == nil {
		c.mu.Unlock()
		c.send(remoteError(number, "invalid portId"))
		return
	}
	pr := p.procs[m.GetProcedureId()]
	if pr == nil {
		c.mu.Unlock()
		c.send(remoteError(number, fmt.Sprintf("procedureId %d is missing in %s (%d))", m.GetProcedureId(), truncate(p.name, 64), p.id)))
		return
	}
	if m.GetClientStream() != 0 {
		c.mu.Unlock()
		c.send(remoteError(number, "client streams are not supported"))
		return
	}
	if pr.Stream != nil {
		if c.nstreams >= c.lim.Streams {
			c.mu.Unlock()
			c.send(remoteError(number, "too many open streams"))
			return
		}
		if _, dup := p.streams[number]; dup {
			c.mu.Unlock()
			c.send(remoteError(number, "a stream with this message number is open"))
			return
		}
		ctx, cancel := context.WithCancel(c.ctx)
		s := &stream{number: number, acks: make(chan *rpcpb.StreamMessage, 4), cancel: cancel}
		p.streams[number] = s
		c.nstreams++
		c.mu.Unlock()
		// Opened here, in the order requests arrive: a call the client
		// sends after it finds the stream open.
		elems, done, err := c.open(ctx, pr, m.GetPayload())
		c.wg.Add(1)
		go c.serveStream(ctx, p, s, elems, done, err)
		return
	}
	c.mu.Unlock()
	select {
	case c.inflight <- struct{}{}:
	default:
		c.send(remoteError(number, "too many requests in flight"))
		return
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer func() { <-c.inflight }()
		start := time.Now()
		out, err := c.call(pr, m.GetPayload())
		if c.hooks.Call != nil {
			c.hooks.Call(pr.Name, err != nil, time.Since(start))
		}
		if err != nil {
			c.send(remoteError(number, err.Error()))
			return
		}
		c.send(marshal(&rpcpb.Response{MessageIdentifier: MessageID(TypeResponse, number), Payload: out}))
	}()
}

// call runs a unary procedure with a timeout, turning a panic into an
// error.
func (c *conn) call(pr *Procedure, payload []byte) (out []byte, err error) {
	ctx, cancel := context.WithTimeout(c.ctx, c.lim.CallTimeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			if c.hooks.Panic != nil {
				c.hooks.Panic(pr.Name, v)
			}
			out, err = nil, errors.New("Internal error processing the request")
		}
	}()
	return pr.Unary(ctx, payload)
}

// serveStream runs a server stream (sendServerStream and
// sendStreamThroughTransport): an offer with sequence 0, then one element
// per acknowledgement, then a closing message.
func (c *conn) serveStream(ctx context.Context, p *port, s *stream, elems <-chan []byte, done func(), err error) {
	defer c.wg.Done()
	defer func() {
		s.cancel()
		c.mu.Lock()
		if p.streams[s.number] == s {
			delete(p.streams, s.number)
		}
		c.nstreams--
		c.mu.Unlock()
	}()
	if err != nil {
		c.send(remoteError(s.number, err.Error()))
		return
	}
	if done != nil {
		defer done()
	}
	c.send(streamMessage(s.number, p.id, 0, nil, false))
	if !c.waitAck(ctx, s, 0) {
		return
	}
	var seq uint32
	for {
		var b []byte
		var open bool
		select {
		case b, open = <-elems:
		case <-ctx.Done():
			return
		}
		if !open {
			c.send(streamMessage(s.number, p.id, seq, nil, true))
			return
		}
		seq++
		c.send(streamMessage(s.number, p.id, seq, b, false))
		if !c.waitAck(ctx, s, seq) {
			return
		}
	}
}

func (c *conn) open(ctx context.Context, pr *Procedure, payload []byte) (elems <-chan []byte, done func(), err error) {
	defer func() {
		if v := recover(); v != nil {
			if c.hooks.Panic != nil {
				c.hooks.Panic(pr.Name, v)
			}
			elems, done, err = nil, nil, errors.New("Internal error processing the request")
		}
	}()
	return pr.Stream(ctx, payload)
}

// waitAck waits for the client to ask for the element after seq: true
// for an ack, false when it closed the stream or the stream ended.
func (c *conn) waitAck(ctx context.Context, s *stream, seq uint32) bool {
	for {
		select {
		case m := <-s.acks:
			if m.GetSequenceId() != seq {
				continue // an ack for another element (late or forged)
			}
			if m.GetAck() {
				return true
			}
			if m.GetClosed() {
				return false
			}
		case <-ctx.Done():
			return false
		}
	}
}

// ack routes a client's STREAM_ACK (or closing STREAM_MESSAGE) to its
// stream; one for no open stream is dropped, as @dcl/rpc does.
func (c *conn) ack(number uint32, m *rpcpb.StreamMessage) {
	c.mu.Lock()
	var s *stream
	if p := c.ports[m.GetPortId()]; p != nil {
		s = p.streams[number]
	}
	c.mu.Unlock()
	if s == nil {
		return
	}
	select {
	case s.acks <- m:
	default: // a client flooding acks: the stream only needs the next one
	}
}

func (c *conn) destroyPort(id uint32) {
	c.mu.Lock()
	p := c.ports[id]
	delete(c.ports, id)
	c.mu.Unlock()
	if p == nil {
		return
	}
	c.mu.Lock()
	for _, s := range p.streams {
		s.cancel()
	}
	c.mu.Unlock()
}
