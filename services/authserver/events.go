package authserver

import (
	"context"
	"encoding/json"
)

// The socket messages of the original (src/logic/socket-server/handlers).
const (
	eventRequest    = "request"
	eventRecover    = "recover"
	eventOutcome    = "outcome"
	eventValidation = "request-validation-status"
)

// errorAck is the original's InvalidResponseMessage.
type errorAck struct {
	Error string `json:"error"`
}

// onEvent answers one socket event; the value is the acknowledgement.
// Unknown events are ignored (socket.io has no listener for them).
func (s *Service) onEvent(ctx context.Context, sock *nsSocket, event string, data json.RawMessage) any {
	if len(data) > MaxBodyBytes {
		s.guard.Hit("socket_message_size")
		return errorAck{"Message too large"}
	}
	switch event {
	case eventRequest:
		res, _, err := s.create(ctx, data, sock.IP(), sock.id)
		if err != nil {
			return errorAck{err.Error()}
		}
		return res
	case eventRecover:
		id, err := parseRequestID(data, true)
		if err != nil {
			return errorAck{err.Error()}
		}
		v, why := s.recoverRequest(id)
		if why != ok {
			_, msg := refusalText(why, id)
			return errorAck{msg}
		}
		return v
	case eventOutcome:
		msg, err := parseOutcome(data, true)
		if err != nil {
			s.requests.WithLabelValues("invalid").Inc()
			return errorAck{err.Error()}
		}
		if why := s.answer(msg.RequestID, msg); why != ok {
			_, text := refusalText(why, msg.RequestID)
			return errorAck{text}
		}
		return struct{}{}
	case eventValidation:
		id, err := parseRequestID(data, false)
		if err != nil {
			return errorAck{err.Error()}
		}
		if why := s.needsValidation(id); why != ok {
			_, text := refusalText(why, id)
			return errorAck{text}
		}
		return struct{}{}
	}
	return nil
}
