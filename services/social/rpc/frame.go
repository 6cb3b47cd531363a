// Package rpc is the server side of the @dcl/rpc wire protocol
// (decentraland/rpc: src/server.ts, src/stream-protocol.ts,
// src/protocol/index.proto, at the npm package's 1.1.2), which no Go
// library implements: binary frames, each one protobuf message whose
// first field (fixed32 message_identifier) packs the message type in bits
// 27–30 and the message number in bits 0–26. A client creates a port,
// loads a module on it (getting procedure ids by name) and calls
// procedures: a unary call is answered with a RESPONSE, a server stream
// with STREAM_MESSAGEs the client pulls one at a time with STREAM_ACKs.
//
// It holds no service logic and trusts no byte: frame size, ports,
// modules, calls in flight, open streams and messages per second are
// bounded per connection; a frame that does not parse ends the
// connection, as @dcl/rpc's transport error does.
package rpc

import (
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/p2pcatalyst/catalyst/services/social/protocol/rpcpb"
)

// Type is a frame's message type (RpcMessageTypes).
type Type = rpcpb.RpcMessageTypes

// The message types of the protocol.
const (
	TypeRequest               = rpcpb.RpcMessageTypes_RpcMessageTypes_REQUEST
	TypeResponse              = rpcpb.RpcMessageTypes_RpcMessageTypes_RESPONSE
	TypeStreamMessage         = rpcpb.RpcMessageTypes_RpcMessageTypes_STREAM_MESSAGE
	TypeStreamAck             = rpcpb.RpcMessageTypes_RpcMessageTypes_STREAM_ACK
	TypeCreatePort            = rpcpb.RpcMessageTypes_RpcMessageTypes_CREATE_PORT
	TypeCreatePortResponse    = rpcpb.RpcMessageTypes_RpcMessageTypes_CREATE_PORT_RESPONSE
	TypeRequestModule         = rpcpb.RpcMessageTypes_RpcMessageTypes_REQUEST_MODULE
	TypeRequestModuleResponse = rpcpb.RpcMessageTypes_RpcMessageTypes_REQUEST_MODULE_RESPONSE
	TypeRemoteError           = rpcpb.RpcMessageTypes_RpcMessageTypes_REMOTE_ERROR_RESPONSE
	TypeDestroyPort           = rpcpb.RpcMessageTypes_RpcMessageTypes_DESTROY_PORT
	TypeServerReady           = rpcpb.RpcMessageTypes_RpcMessageTypes_SERVER_READY
)

// MessageID packs a type and a message number as the header does.
func MessageID(t Type, number uint32) uint32 {
	return (uint32(t)&0xf)<<27 | number&0x07ffffff
}

// SplitID unpacks a message identifier.
func SplitID(id uint32) (Type, uint32) { return Type((id >> 27) & 0xf), id & 0x07ffffff }

// Frame is one parsed client frame: its type, number and message (one of
// *rpcpb.Request, *rpcpb.StreamMessage, *rpcpb.CreatePort,
// *rpcpb.RequestModule, *rpcpb.DestroyPort, or nil for SERVER_READY).
type Frame struct {
	Type   Type
	Number uint32
	Msg    proto.Message
}

// ErrMalformed is a frame that is not a message of the protocol.
var ErrMalformed = errors.New("rpc: malformed frame")

var unmarshal = proto.UnmarshalOptions{DiscardUnknown: true}

// header reads field 1 (fixed32) wherever it is in the message, as
// RpcMessageHeader.decode does (the last occurrence wins).
func header(b []byte) (uint32, bool) {
	var id uint32
	found := false
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return 0, false
		}
		b = b[n:]
		if num == 1 && typ == protowire.Fixed32Type {
			v, m := protowire.ConsumeFixed32(b)
			if m < 0 {
				return 0, false
			}
			id, found = v, true
			b = b[m:]
			continue
		}
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return 0, false
		}
		b = b[m:]
	}
	return id, found
}

// Parse decodes a client frame (parseProtocolMessage in
// src/protocol/helpers.ts). A frame without a header, with a type the
// protocol does not define, or whose body does not decode is
// ErrMalformed.
func Parse(b []byte) (Frame, error) {
	id, ok := header(b)
	if !ok {
		return Frame{}, ErrMalformed
	}
	t, number := SplitID(id)
	var m proto.Message
	switch t {
	case TypeRequest:
		m = &rpcpb.Request{}
	case TypeStreamMessage, TypeStreamAck:
		m = &rpcpb.StreamMessage{}
	case TypeCreatePort:
		m = &rpcpb.CreatePort{}
	case TypeRequestModule:
		m = &rpcpb.RequestModule{}
	case TypeDestroyPort:
		m = &rpcpb.DestroyPort{}
	case TypeResponse:
		m = &rpcpb.Response{}
	case TypeCreatePortResponse:
		m = &rpcpb.CreatePortResponse{}
	case TypeRequestModuleResponse:
		m = &rpcpb.RequestModuleResponse{}
	case TypeRemoteError:
		m = &rpcpb.RemoteError{}
	case TypeServerReady:
		return Frame{Type: t, Number: number}, nil
	default:
		return Frame{}, fmt.Errorf("%w: unknown message type %d", ErrMalformed, t)
	}
	if err := unmarshal.Unmarshal(b, m); err != nil {
		return Frame{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return Frame{Type: t, Number: number, Msg: m}, nil
}

func marshal(m proto.Message) []byte {
	b, _ := proto.Marshal(m)
	return b
}

// ServerReady is the frame a server sends when it attaches a transport.
func ServerReady() []byte {
	return marshal(&rpcpb.RpcMessageHeader{MessageIdentifier: MessageID(TypeServerReady, 0)})
}

func remoteError(number uint32, msg string) []byte {
	return marshal(&rpcpb.RemoteError{MessageIdentifier: MessageID(TypeRemoteError, number), ErrorMessage: msg})
}

func streamMessage(number, port, seq uint32, payload []byte, closed bool) []byte {
	return marshal(&rpcpb.StreamMessage{MessageIdentifier: MessageID(TypeStreamMessage, number), PortId: port, SequenceId: seq, Payload: payload, Closed: closed})
}
