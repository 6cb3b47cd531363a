package authserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// The original's bounds (src/ports/server/constants.ts): a method name, the
// number of params, an outcome error's message and a request id.
const (
	MaxMethodChars       = 256
	MaxParams            = 10
	MaxErrorMessageChars = 10024
	MaxRequestIDChars    = 36
	// MaxBodyBytes bounds an HTTP body and a Socket.IO event's payload
	// (the original's MAX_BODY_SIZE, 16 KiB).
	MaxBodyBytes = 16 << 10
)

// MethodSignIn is the desktop's sign-in: a personal_sign of its ephemeral
// key's message by whichever wallet the browser has. It needs no auth chain
// (the user has none yet) and lives longer than other requests.
const MethodSignIn = "dcl_personal_sign"

// inputError is a message that breaks the original's schema; its text is
// the answer's error.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

func badInput(format string, a ...any) error { return &inputError{fmt.Sprintf(format, a...)} }

// requestMessage is a desktop client's request: POST /requests and the
// socket's "request" ({method, params[], authChain?}, nothing else).
type requestMessage struct {
	Method    string
	Params    json.RawMessage // a compact JSON array
	AuthChain authchain.Chain // nil when absent
}

// outcomeMessage is the browser's answer to a request: POST
// /v2/requests/:id/outcome and the socket's "outcome". Exactly one of
// result and error is present; result may be any JSON value, null too.
type outcomeMessage struct {
	RequestID string // the socket's; over HTTP the path's
	Sender    string
	Result    json.RawMessage // nil when absent
	Error     *outcomeError
}

type outcomeError struct {
	Code    json.Number     `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// MarshalJSON writes the outcome as the original relays it:
// {requestId, sender, result} or {requestId, sender, error}.
func (o outcomeMessage) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"requestId":`)
	writeJSONString(&b, o.RequestID)
	b.WriteString(`,"sender":`)
	writeJSONString(&b, o.Sender)
	if o.Error != nil {
		e, err := json.Marshal(o.Error)
		if err != nil {
			return nil, err
		}
		b.WriteString(`,"error":`)
		b.Write(e)
	} else {
		b.WriteString(`,"result":`)
		b.Write(o.Result)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s)
	b.Write(enc)
}

// identityMessage is POST /identities: {identity: AuthIdentity, isMobile?}.
type identityMessage struct {
	Identity  json.RawMessage // as sent (compact), served back once
	Ephemeral struct{ Address, PrivateKey, PublicKey string }
	Chain     authchain.Chain
	IsMobile  bool
}

// fields decodes a JSON object into its members, refusing anything else,
// duplicate members and members outside allowed (nil: any).
func fields(raw []byte, what string, allowed ...string) (map[string]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		if json.Valid(raw) {
			return nil, badInput("%s must be object", what)
		}
		return nil, badInput("%s is not valid JSON", what)
	}
	if !json.Valid(raw) {
		return nil, badInput("%s is not valid JSON", what)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return nil, badInput("%s is not valid JSON", what)
	}
	out := map[string]json.RawMessage{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, badInput("%s is not valid JSON", what)
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, badInput("%s is not valid JSON", what)
		}
		if allowed != nil && !contains(allowed, key) {
			return nil, badInput("%s must NOT have additional properties (%q)", what, truncate(key, 40))
		}
		if _, dup := out[key]; dup {
			return nil, badInput("%s has %q twice", what, truncate(key, 40))
		}
		out[key] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, badInput("%s is not valid JSON", what)
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func str(m map[string]json.RawMessage, key, what string, required bool, maxChars int) (string, bool, error) {
	raw, ok := m[key]
	if !ok {
		if required {
			return "", false, badInput("%s must have required property '%s'", what, key)
		}
		return "", false, nil
	}
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", true, badInput("%s/%s must be string", what, key)
	}
	if maxChars > 0 && utf8.RuneCountInString(s) > maxChars {
		return "", true, badInput("%s/%s must NOT have more than %d characters", what, key, maxChars)
	}
	return s, true, nil
}

func compact(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

// parseRequest checks a request message against the original's schema
// (src/ports/server/validations.ts).
func parseRequest(raw []byte) (requestMessage, error) {
	var msg requestMessage
	m, err := fields(raw, "request", "method", "params", "authChain")
	if err != nil {
		return msg, err
	}
	if msg.Method, _, err = str(m, "method", "request", true, MaxMethodChars); err != nil {
		return msg, err
	}
	params, ok := m["params"]
	if !ok {
		return msg, badInput("request must have required property 'params'")
	}
	var items []json.RawMessage
	if len(params) == 0 || params[0] != '[' || json.Unmarshal(params, &items) != nil {
		return msg, badInput("request/params must be array")
	}
	if len(items) > MaxParams {
		return msg, badInput("request/params must NOT have more than %d items", MaxParams)
	}
	msg.Params = compact(params)
	if chain, ok := m["authChain"]; ok {
		if msg.AuthChain, err = parseChain(chain, "request/authChain"); err != nil {
			return msg, err
		}
	}
	return msg, nil
}

var linkTypes = map[authchain.LinkType]bool{
	authchain.Signer: true, authchain.Ephemeral: true, authchain.SignedEntity: true,
	authchain.EIP1654Ephemeral: true, authchain.EIP1654SignedEntity: true,
}

// parseChain checks an auth chain against @dcl/schemas' AuthChain schema:
// an array of links {type, payload, signature?}, at most MaxLinks of them.
func parseChain(raw json.RawMessage, what string) (authchain.Chain, error) {
	var items []json.RawMessage
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		return nil, badInput("%s must be array", what)
	}
	if len(items) > authchain.MaxLinks {
		return nil, badInput("%s must NOT have more than %d items", what, authchain.MaxLinks)
	}
	chain := make(authchain.Chain, 0, len(items))
	for i, item := range items {
		lw := fmt.Sprintf("%s/%d", what, i)
		m, err := fields(item, lw)
		if err != nil {
			return nil, err
		}
		t, _, err := str(m, "type", lw, true, 0)
		if err != nil {
			return nil, err
		}
		if !linkTypes[authchain.LinkType(t)] {
			return nil, badInput("%s/type must be equal to one of the allowed values", lw)
		}
		payload, _, err := str(m, "payload", lw, true, authchain.MaxFieldChars)
		if err != nil {
			return nil, err
		}
		var sig string
		if raw, ok := m["signature"]; ok && string(raw) != "null" {
			if sig, _, err = str(m, "signature", lw, false, authchain.MaxFieldChars); err != nil {
				return nil, err
			}
		}
		chain = append(chain, authchain.Link{Type: authchain.LinkType(t), Payload: payload, Signature: sig})
	}
	return chain, nil
}

var senderPattern = regexp.MustCompile(`^0x[a-fA-F0-9]{40}$`)

// parseOutcome checks an outcome against the original's schema: the socket
// message needs requestId, the HTTP one takes it from the path (and
// ignores one in the body, as the original's spread does).
func parseOutcome(raw []byte, needID bool) (outcomeMessage, error) {
	var msg outcomeMessage
	m, err := fields(raw, "outcome", "requestId", "sender", "result", "error")
	if err != nil {
		return msg, err
	}
	if msg.RequestID, _, err = str(m, "requestId", "outcome", needID, MaxRequestIDChars); err != nil {
		return msg, err
	}
	if msg.Sender, _, err = str(m, "sender", "outcome", true, 0); err != nil {
		return msg, err
	}
	if !senderPattern.MatchString(msg.Sender) {
		return msg, badInput(`outcome/sender must match pattern "^0x[a-fA-F0-9]{40}$"`)
	}
	result, hasResult := m["result"]
	errRaw, hasError := m["error"]
	if hasResult == hasError {
		return msg, badInput("outcome must have exactly one of 'result' and 'error'")
	}
	if hasResult {
		msg.Result = compact(result)
		return msg, nil
	}
	em, err := fields(errRaw, "outcome/error", "code", "message", "data")
	if err != nil {
		return msg, err
	}
	code, ok := em["code"]
	if !ok {
		return msg, badInput("outcome/error must have required property 'code'")
	}
	var n json.Number
	if len(code) == 0 || code[0] == '"' || json.Unmarshal(code, &n) != nil {
		return msg, badInput("outcome/error/code must be number")
	}
	oe := &outcomeError{Code: n}
	if oe.Message, _, err = str(em, "message", "outcome/error", true, MaxErrorMessageChars); err != nil {
		return msg, err
	}
	if d, ok := em["data"]; ok {
		oe.Data = compact(d)
	}
	msg.Error = oe
	return msg, nil
}

// parseRequestID reads the {requestId} of the socket's "recover" (nothing
// else allowed) and "request-validation-status" (other members ignored, as
// the original's schema does) messages.
func parseRequestID(raw []byte, strict bool) (string, error) {
	var allowed []string
	if strict {
		allowed = []string{"requestId"}
	}
	m, err := fields(raw, "message", allowed...)
	if err != nil {
		return "", err
	}
	id, _, err := str(m, "requestId", "message", true, MaxRequestIDChars)
	return id, err
}

// parseIdentity checks POST /identities against the original's schema: an
// AuthIdentity {expiration (date-time), ephemeralIdentity {address,
// privateKey, publicKey}, authChain[]} and an optional isMobile.
func parseIdentity(raw []byte) (identityMessage, error) {
	var msg identityMessage
	m, err := fields(raw, "body", "identity", "isMobile")
	if err != nil {
		return msg, err
	}
	idRaw, ok := m["identity"]
	if !ok {
		return msg, badInput("body must have required property 'identity'")
	}
	if mob, ok := m["isMobile"]; ok {
		if err := json.Unmarshal(mob, &msg.IsMobile); err != nil || (string(mob) != "true" && string(mob) != "false") {
			return msg, badInput("body/isMobile must be boolean")
		}
	}
	id, err := fields(idRaw, "body/identity")
	if err != nil {
		return msg, err
	}
	exp, _, err := str(id, "expiration", "body/identity", true, 64)
	if err != nil {
		return msg, err
	}
	if _, err := time.Parse(time.RFC3339Nano, exp); err != nil {
		return msg, badInput(`body/identity/expiration must match format "date-time"`)
	}
	ephRaw, ok := id["ephemeralIdentity"]
	if !ok {
		return msg, badInput("body/identity must have required property 'ephemeralIdentity'")
	}
	eph, err := fields(ephRaw, "body/identity/ephemeralIdentity")
	if err != nil {
		return msg, err
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"address", &msg.Ephemeral.Address}, {"privateKey", &msg.Ephemeral.PrivateKey}, {"publicKey", &msg.Ephemeral.PublicKey}} {
		if *f.dst, _, err = str(eph, f.key, "body/identity/ephemeralIdentity", true, 256); err != nil {
			return msg, err
		}
	}
	chainRaw, ok := id["authChain"]
	if !ok {
		return msg, badInput("body/identity must have required property 'authChain'")
	}
	if msg.Chain, err = parseChain(chainRaw, "body/identity/authChain"); err != nil {
		return msg, err
	}
	msg.Identity = compact(idRaw)
	return msg, nil
}

var uuidV4 = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$`)

// errNoFinalAuthority: the chain has no ephemeral link to take the final
// authority from.
var errNoFinalAuthority = errors.New("Could not get final authority from auth chain")

// finalAuthority is the ephemeral address an identity's chain delegates to:
// the "Ephemeral address:" line of its (last) ephemeral link, as
// @dcl/crypto's parseEmphemeralPayload reads it.
func finalAuthority(chain authchain.Chain) (string, error) {
	for i := len(chain) - 1; i >= 0; i-- {
		l := chain[i]
		if l.Type != authchain.Ephemeral && l.Type != authchain.EIP1654Ephemeral {
			continue
		}
		for _, line := range strings.Split(strings.ReplaceAll(l.Payload, "\r", ""), "\n") {
			if addr, ok := strings.CutPrefix(line, "Ephemeral address: "); ok && authchain.IsAddress(addr) {
				return addr, nil
			}
		}
		return "", errNoFinalAuthority
	}
	return "", errNoFinalAuthority
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// jsTime marshals as JavaScript's Date#toJSON does
// ("2006-01-02T15:04:05.000Z"), the form the clients parse.
type jsTime time.Time

func (t jsTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}
