package rpc

import (
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/p2pcatalyst/catalyst/services/social/protocol/rpcpb"
)

// frames is a transport that delivers some frames, then ends.
type frames struct {
	mu     sync.Mutex
	in     [][]byte
	out    [][]byte
	want   int           // end once this many frames were written
	enough chan struct{} // closed then
}

func (f *frames) Read() ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.in) == 0 {
		f.mu.Unlock()
		if f.enough != nil {
			select {
			case <-f.enough:
			case <-time.After(5 * time.Second):
			}
		}
		f.mu.Lock()
		return nil, io.EOF
	}
	b := f.in[0]
	f.in = f.in[1:]
	return b, nil
}

func (f *frames) Write(b []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.out = append(f.out, b)
	if f.enough != nil && len(f.out) == f.want {
		close(f.enough)
	}
	return nil
}

func testModule() *Module {
	return &Module{Name: "Test", Procedures: []Procedure{
		{Name: "Echo", Unary: func(_ context.Context, p []byte) ([]byte, error) { return p, nil }},
		{Name: "Fail", Unary: func(context.Context, []byte) ([]byte, error) { return nil, errors.New("no") }},
		{Name: "Panic", Unary: func(context.Context, []byte) ([]byte, error) { panic("boom") }},
		{Name: "Count", Stream: func(ctx context.Context, _ []byte) (<-chan []byte, func(), error) {
			ch := make(chan []byte, 2)
			ch <- []byte("1")
			ch <- []byte("2")
			close(ch)
			return ch, nil, nil
		}},
	}}
}

func enc(m proto.Message) []byte { b, _ := proto.Marshal(m); return b }

func seedFrames() [][]byte {
	return [][]byte{
		enc(&rpcpb.CreatePort{MessageIdentifier: MessageID(TypeCreatePort, 1), PortName: "p"}),
		enc(&rpcpb.RequestModule{MessageIdentifier: MessageID(TypeRequestModule, 2), PortId: 1, ModuleName: "Test"}),
		enc(&rpcpb.Request{MessageIdentifier: MessageID(TypeRequest, 3), PortId: 1, ProcedureId: 1, Payload: []byte("hi")}),
		enc(&rpcpb.Request{MessageIdentifier: MessageID(TypeRequest, 4), PortId: 1, ProcedureId: 4}),
		enc(&rpcpb.StreamMessage{MessageIdentifier: MessageID(TypeStreamAck, 4), PortId: 1, SequenceId: 0, Ack: true}),
		enc(&rpcpb.StreamMessage{MessageIdentifier: MessageID(TypeStreamAck, 4), PortId: 1, SequenceId: 1, Ack: true}),
		enc(&rpcpb.StreamMessage{MessageIdentifier: MessageID(TypeStreamAck, 4), PortId: 1, SequenceId: 2, Ack: true}),
		enc(&rpcpb.Request{MessageIdentifier: MessageID(TypeRequest, 5), PortId: 1, ProcedureId: 3}),
		enc(&rpcpb.DestroyPort{MessageIdentifier: MessageID(TypeDestroyPort, 0), PortId: 1}),
	}
}

// A session of frames: answers come for every call, in the protocol's
// shape, and a panicking procedure fails its call only.
func TestServe(t *testing.T) {
	// ready, port, module, echo, stream offer, 2 elements, close, panic error
	tr := &frames{in: seedFrames()[:8], want: 9, enough: make(chan struct{})}
	panics := 0
	err := Serve(context.Background(), tr, []*Module{testModule()}, DefaultLimits, Hooks{Panic: func(string, any) { panics++ }})
	if !errors.Is(err, io.EOF) {
		t.Fatalf("Serve: %v", err)
	}
	got := map[Type]int{}
	for _, b := range tr.out {
		f, err := Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		got[f.Type]++
		if f.Type == TypeResponse && string(f.Msg.(*rpcpb.Response).GetPayload()) != "hi" {
			t.Fatalf("echo: %v", f.Msg)
		}
	}
	if got[TypeServerReady] != 1 || got[TypeCreatePortResponse] != 1 || got[TypeRequestModuleResponse] != 1 ||
		got[TypeResponse] != 1 || got[TypeRemoteError] != 1 || got[TypeStreamMessage] != 4 || panics != 1 {
		t.Fatalf("answers: %v, panics %d", got, panics)
	}
}

// Limits: a flood of frames ends the connection.
func TestTooFast(t *testing.T) {
	in := make([][]byte, 50)
	for i := range in {
		in[i] = enc(&rpcpb.StreamMessage{MessageIdentifier: MessageID(TypeStreamAck, 9), PortId: 1})
	}
	lim := DefaultLimits
	lim.MessagesPerSecond, lim.Burst = 1, 10
	if err := Serve(context.Background(), &frames{in: in}, nil, lim, Hooks{}); !errors.Is(err, ErrTooFast) {
		t.Fatalf("Serve: %v", err)
	}
}

// FuzzFrame feeds a frame, after a valid opening, to the server: it must
// never panic, and a frame Parse refuses ends the connection.
func FuzzFrame(f *testing.F) {
	for _, b := range seedFrames() {
		f.Add(b)
	}
	f.Add([]byte{0x0d, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0x0d, 0x01, 0x00, 0x00, 0x08, 0x22, 0x05})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, perr := Parse(b)
		in := append(seedFrames()[:2], b)
		err := Serve(context.Background(), &frames{in: in}, []*Module{testModule()}, DefaultLimits, Hooks{})
		if perr != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("a malformed frame (%v) did not end the connection: %v", perr, err)
		}
	})
}
