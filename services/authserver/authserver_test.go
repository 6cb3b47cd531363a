package authserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// create posts a request that must be created.
func (f *fixture) create(body any, mod ...func(*http.Request)) (string, time.Time, int) {
	f.t.Helper()
	status, b := f.do("POST", "/auth/requests", body, mod...)
	return created(f.t, status, b)
}

func created(t *testing.T, status int, body []byte) (id string, exp time.Time, code int) {
	t.Helper()
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	var r struct {
		RequestID  string
		Expiration string
		Code       int
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	exp, err := time.Parse(time.RFC3339Nano, r.Expiration)
	if err != nil || !uuidV4.MatchString(r.RequestID) || r.Code < 0 || r.Code > 99 {
		t.Fatalf("create answered %s", body)
	}
	return r.RequestID, exp, r.Code
}

func TestHTTPRequestToOutcomeRoundTrip(t *testing.T) {
	f := start(t, Config{})
	w := newWallet(t, time.Now().Add(time.Hour))
	status, body := f.do("POST", "/auth/requests", map[string]any{
		"method": "personal_sign", "params": []any{"hello", w.lower()}, "authChain": w.login(),
	})
	id, exp, code := created(t, status, body)
	if want := f.clock.Now().Add(DefaultRequestExpiration); !exp.Equal(want) {
		t.Fatalf("expiration %v, want %v", exp, want)
	}

	// The browser recovers it.
	status, body = f.do("GET", "/auth/v2/requests/"+id, nil)
	rec := decode(t, body)
	if status != 200 || rec["method"] != "personal_sign" || rec["sender"] != w.lower() || rec["code"] != float64(code) ||
		jsonOf(rec["params"]) != `["hello","`+w.lower()+`"]` {
		t.Fatalf("recover: %d %s", status, body)
	}
	// It asks for the code to be checked.
	if status, body = f.do("GET", "/auth/v2/requests/"+id+"/validation", nil); status != 200 || string(body) != "{\"requiresValidation\":false}\n" {
		t.Fatalf("validation status: %d %s", status, body)
	}
	if status, _ = f.do("POST", "/auth/v2/requests/"+id+"/validation", nil); status != http.StatusNoContent {
		t.Fatalf("validation: %d", status)
	}
	if status, body = f.do("GET", "/auth/v2/requests/"+id+"/validation", nil); status != 200 || !strings.Contains(string(body), "true") {
		t.Fatalf("validation status after: %d %s", status, body)
	}

	// The desktop polls: nothing yet.
	if status, body = f.do("GET", "/auth/requests/"+id, nil); status != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("poll before the outcome: %d %q", status, body)
	}
	if status, body = f.do("POST", "/auth/v2/requests/"+id+"/outcome", map[string]any{"sender": w.lower(), "result": "0xsig"}); status != 200 {
		t.Fatalf("outcome: %d %s", status, body)
	}
	status, body = f.do("GET", "/auth/requests/"+id, nil)
	if status != 200 || string(body) != `{"requestId":"`+id+`","sender":"`+w.lower()+`","result":"0xsig"}`+"\n" {
		t.Fatalf("poll: %d %s", status, body)
	}
	// Once: then the request is fulfilled everywhere.
	for _, p := range []string{"/auth/requests/" + id, "/auth/v2/requests/" + id, "/auth/v2/requests/" + id + "/validation"} {
		status, body = f.do("GET", p, nil)
		if status != http.StatusGone || !strings.Contains(string(body), "has already been fulfilled") {
			t.Fatalf("%s after delivery: %d %s", p, status, body)
		}
	}
	if status, _ = f.do("POST", "/auth/v2/requests/"+id+"/outcome", map[string]any{"sender": w.lower(), "result": "again"}); status != http.StatusGone {
		t.Fatalf("outcome after delivery: %d", status)
	}
}

func TestErrorOutcomeAndSecondOutcome(t *testing.T) {
	f := start(t, Config{})
	id, _, _ := f.create(map[string]any{"method": MethodSignIn, "params": []string{"msg"}})
	outcome := map[string]any{"sender": "0x1234567890123456789012345678901234567890", "error": map[string]any{"code": 4001, "message": "User rejected", "data": map[string]any{"x": 1}}}
	if status, body := f.do("POST", "/auth/v2/requests/"+id+"/outcome", outcome); status != 200 {
		t.Fatalf("outcome: %d %s", status, body)
	}
	status, body := f.do("POST", "/auth/v2/requests/"+id+"/outcome", map[string]any{"sender": "0x1234567890123456789012345678901234567890", "result": 1})
	if status != http.StatusBadRequest || !strings.Contains(string(body), "already has a response") {
		t.Fatalf("second outcome: %d %s", status, body)
	}
	status, body = f.do("GET", "/auth/requests/"+id, nil)
	if status != 200 || string(body) != `{"requestId":"`+id+`","sender":"0x1234567890123456789012345678901234567890","error":{"code":4001,"message":"User rejected","data":{"x":1}}}`+"\n" {
		t.Fatalf("poll: %d %s", status, body)
	}
}

func TestExpiry(t *testing.T) {
	f := start(t, Config{})
	w := newWallet(t, time.Now().Add(time.Hour))
	signIn, exp, _ := f.create(map[string]any{"method": MethodSignIn, "params": []string{"msg"}})
	if want := f.clock.Now().Add(DefaultSignInExpiration); !exp.Equal(want) {
		t.Fatalf("sign-in expiration %v, want %v", exp, want)
	}
	tx, _, _ := f.create(map[string]any{"method": "eth_sendTransaction", "params": []any{map[string]string{"to": "0x0"}}, "authChain": w.login()})

	f.clock.Add(DefaultRequestExpiration + time.Millisecond)
	status, body := f.do("GET", "/auth/v2/requests/"+tx, nil)
	if status != http.StatusGone || !strings.Contains(string(body), "has expired") {
		t.Fatalf("expired request: %d %s", status, body)
	}
	if status, _ = f.do("GET", "/auth/v2/requests/"+tx, nil); status != http.StatusNotFound {
		t.Fatalf("expired request, again: %d", status)
	}
	if status, _ = f.do("GET", "/auth/v2/requests/"+signIn, nil); status != 200 {
		t.Fatalf("the sign-in lives longer: %d", status)
	}
	if status, _ = f.do("POST", "/auth/v2/requests/"+signIn+"/outcome", map[string]any{"sender": w.lower(), "result": "0x"}); status != 200 {
		t.Fatalf("outcome: %d", status)
	}

	// The sweep drops what expired, the answered sign-in included.
	f.clock.Add(DefaultSignInExpiration)
	f.svc.Sweep()
	if n, _ := f.held(); n != 0 {
		t.Fatalf("%d requests left after the sweep", n)
	}
	if status, _ = f.do("GET", "/auth/requests/"+signIn, nil); status != http.StatusNotFound {
		t.Fatalf("swept request: %d", status)
	}
}

func TestBadRequestsStoreNothing(t *testing.T) {
	f := start(t, Config{})
	w := newWallet(t, time.Now().Add(time.Hour))
	other := newWallet(t, time.Now().Add(time.Hour))
	forged := w.login()
	forged[1].Signature = other.delegate.Signature
	lapsed := newWallet(t, time.Now().Add(-time.Minute)).login()
	entity := append(w.login(), authchain.Link{Type: authchain.SignedEntity, Payload: "x", Signature: "0x00"})
	for _, tc := range []struct {
		name string
		body any
		want int
		text string
	}{
		{"too large", `{"method":"personal_sign","params":["` + strings.Repeat("a", MaxBodyBytes) + `"]}`, 413, "too large"},
		{"not JSON", `{"method":`, 400, "not valid JSON"},
		{"not an object", `[1]`, 400, "must be object"},
		{"trailing data", `{"method":"a","params":[]} {}`, 400, "not valid JSON"},
		{"extra member", map[string]any{"method": "a", "params": []any{}, "sender": "x"}, 400, "additional properties"},
		{"no method", map[string]any{"params": []any{}}, 400, "'method'"},
		{"method not a string", map[string]any{"method": 1, "params": []any{}}, 400, "must be string"},
		{"method too long", map[string]any{"method": strings.Repeat("m", MaxMethodChars+1), "params": []any{}}, 400, "more than 256"},
		{"params not an array", map[string]any{"method": MethodSignIn, "params": "x"}, 400, "must be array"},
		{"too many params", map[string]any{"method": MethodSignIn, "params": make([]int, MaxParams+1)}, 400, "more than 10 items"},
		{"no chain", map[string]any{"method": "personal_sign", "params": []any{}}, 400, "Auth chain is required"},
		{"empty chain", map[string]any{"method": "personal_sign", "params": []any{}, "authChain": []any{}}, 400, "Auth chain is required"},
		{"bad link type", map[string]any{"method": "personal_sign", "params": []any{}, "authChain": []any{map[string]any{"type": "X", "payload": "p"}}}, 400, "allowed values"},
		{"forged chain", map[string]any{"method": "personal_sign", "params": []any{}, "authChain": forged}, 400, "invalid auth chain"},
		{"expired key", map[string]any{"method": "personal_sign", "params": []any{}, "authChain": lapsed}, 400, "expired"},
		{"signed-fetch chain", map[string]any{"method": "personal_sign", "params": []any{}, "authChain": entity}, 400, "invalid auth chain"},
		{"signer only", map[string]any{"method": "personal_sign", "params": []any{}, "authChain": w.login()[:1]}, 400, "final authority"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.do("POST", "/auth/requests", tc.body)
			if status != tc.want || !strings.Contains(string(body), tc.text) {
				t.Fatalf("%d %s, want %d ~%q", status, body, tc.want, tc.text)
			}
			if n, _ := f.held(); n != 0 {
				t.Fatalf("%d requests stored", n)
			}
		})
	}
}

func TestBadOutcomesChangeNothing(t *testing.T) {
	f := start(t, Config{})
	id, _, _ := f.create(map[string]any{"method": MethodSignIn, "params": []string{"m"}})
	sender := "0x1234567890123456789012345678901234567890"
	for _, tc := range []struct {
		name string
		id   string
		body any
		want int
		text string
	}{
		{"unknown id", "2b1c7c5e-3f4a-4b7e-9a51-000000000000", map[string]any{"sender": sender, "result": 1}, 404, "not found"},
		{"long unknown id", strings.Repeat("z", 500), map[string]any{"sender": sender, "result": 1}, 404, "not found"},
		{"too large", id, `{"sender":"` + sender + `","result":"` + strings.Repeat("r", MaxBodyBytes) + `"}`, 413, "too large"},
		{"no sender", id, map[string]any{"result": 1}, 400, "'sender'"},
		{"bad sender", id, map[string]any{"sender": "alice", "result": 1}, 400, "pattern"},
		{"both", id, map[string]any{"sender": sender, "result": 1, "error": map[string]any{"code": 1, "message": "m"}}, 400, "exactly one"},
		{"neither", id, map[string]any{"sender": sender}, 400, "exactly one"},
		{"error without code", id, map[string]any{"sender": sender, "error": map[string]any{"message": "m"}}, 400, "'code'"},
		{"error code a string", id, map[string]any{"sender": sender, "error": map[string]any{"code": "1", "message": "m"}}, 400, "must be number"},
		{"error extra member", id, map[string]any{"sender": sender, "error": map[string]any{"code": 1, "message": "m", "stack": "s"}}, 400, "additional"},
		{"error message too long", id, map[string]any{"sender": sender, "error": map[string]any{"code": 1, "message": strings.Repeat("e", MaxErrorMessageChars+1)}}, 400, "more than"},
		{"extra member", id, map[string]any{"sender": sender, "result": 1, "x": 1}, 400, "additional"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.do("POST", "/auth/v2/requests/"+tc.id+"/outcome", tc.body)
			if status != tc.want || !strings.Contains(string(body), tc.text) {
				t.Fatalf("%d %s, want %d ~%q", status, body, tc.want, tc.text)
			}
			if status, _ := f.do("GET", "/auth/requests/"+id, nil); status != http.StatusNoContent {
				t.Fatalf("the request changed: poll answers %d", status)
			}
		})
	}
	for _, p := range []string{"/auth/requests/nope", "/auth/v2/requests/nope", "/auth/v2/requests/nope/validation"} {
		if status, _ := f.do("GET", p, nil); status != http.StatusNotFound {
			t.Fatalf("%s: %d", p, status)
		}
	}
	if status, _ := f.do("POST", "/auth/v2/requests/nope/validation", nil); status != http.StatusNotFound {
		t.Fatalf("validation of an unknown request: %d", status)
	}
}

func TestTooManyPending(t *testing.T) {
	f := start(t, Config{MaxRequests: 3, MaxRequestsPerIP: 2})
	req := map[string]any{"method": MethodSignIn, "params": []string{"m"}}
	f.create(req, fromIP("10.0.0.1"))
	f.create(req, fromIP("10.0.0.1"))
	if status, body := f.do("POST", "/auth/requests", req, fromIP("10.0.0.1")); status != http.StatusTooManyRequests {
		t.Fatalf("third from one address: %d %s", status, body)
	}
	f.create(req, fromIP("10.0.0.2"))
	if status, _ := f.do("POST", "/auth/requests", req, fromIP("10.0.0.3")); status != http.StatusTooManyRequests {
		t.Fatalf("past the overall cap: %d", status)
	}
	if n, _ := f.held(); n != 3 {
		t.Fatalf("%d held, want 3", n)
	}
	if f.svc.guard.Hits("requests") != 1 || f.svc.guard.Hits("requests_per_ip") != 1 {
		t.Fatal("the limits were not counted")
	}
	// Room again once they expire.
	f.clock.Add(DefaultSignInExpiration + time.Second)
	f.svc.Sweep()
	f.create(req, fromIP("10.0.0.1"))
}
