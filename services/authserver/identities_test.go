package authserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func (f *fixture) storeIdentity(w *wallet, body any, mod ...func(*http.Request)) (int, []byte) {
	f.t.Helper()
	return f.do("POST", "/auth/identities", body, append([]func(*http.Request){func(r *http.Request) { w.sign(r, `{"signer":"dcl:explorer"}`) }}, mod...)...)
}

// stored stores an identity that must be accepted and returns its id.
func (f *fixture) stored(w *wallet, body any, mod ...func(*http.Request)) string {
	f.t.Helper()
	status, b := f.storeIdentity(w, body, mod...)
	return identityID(f.t, status, b)
}

func identityID(t *testing.T, status int, body []byte) string {
	t.Helper()
	m := decode(t, body)
	id, _ := m["identityId"].(string)
	if status != http.StatusCreated || !uuidV4.MatchString(id) || m["expiration"] == nil {
		t.Fatalf("store identity: %d %s", status, body)
	}
	return id
}

func TestIdentityServedOnceToItsAddress(t *testing.T) {
	f := start(t, Config{})
	w := newWallet(t, time.Now().Add(time.Hour))
	ident := w.identity()
	id := f.stored(w, map[string]any{"identity": ident}, fromIP("203.0.113.7"))

	// Another /24 may not take it: the identity is gone.
	other := f.stored(w, map[string]any{"identity": ident}, fromIP("203.0.113.7"))
	if status, body := f.do("GET", "/auth/identities/"+other, nil, fromIP("198.51.100.1")); status != http.StatusForbidden || !strings.Contains(string(body), "IP address mismatch") {
		t.Fatalf("from another address: %d %s", status, body)
	}
	if status, body := f.do("GET", "/auth/identities/"+other, nil, fromIP("203.0.113.7")); status != http.StatusNotFound || !strings.Contains(string(body), "IP mismatch") {
		t.Fatalf("after the mismatch: %d %s", status, body)
	}

	// The same /24 may, once.
	status, body := f.do("GET", "/auth/identities/"+id, nil, fromIP("203.0.113.99"))
	var got struct{ Identity map[string]any }
	if status != 200 || json.Unmarshal(body, &got) != nil || jsonOf(got.Identity) != jsonOf(roundTrip(ident)) {
		t.Fatalf("served: %d %s", status, body)
	}
	if status, body = f.do("GET", "/auth/identities/"+id, nil, fromIP("203.0.113.7")); status != http.StatusNotFound || !strings.Contains(string(body), "already consumed") {
		t.Fatalf("served twice: %d %s", status, body)
	}
}

func TestMobileIdentityAndExpiry(t *testing.T) {
	f := start(t, Config{})
	w := newWallet(t, time.Now().Add(time.Hour))
	mobile := f.stored(w, map[string]any{"identity": w.identity(), "isMobile": true}, fromIP("203.0.113.7"))
	if status, body := f.do("GET", "/auth/identities/"+mobile, nil, fromIP("198.51.100.1")); status != 200 {
		t.Fatalf("a mobile identity from elsewhere: %d %s", status, body)
	}
	late := f.stored(w, map[string]any{"identity": w.identity()})
	f.clock.Add(DefaultIdentityExpiration + time.Second)
	if status, body := f.do("GET", "/auth/identities/"+late, nil); status != http.StatusGone || !strings.Contains(string(body), "expired") {
		t.Fatalf("expired: %d %s", status, body)
	}
	if status, body := f.do("GET", "/auth/identities/"+late, nil); status != http.StatusNotFound || !strings.Contains(string(body), "Identity has expired") {
		t.Fatalf("expired, again: %d %s", status, body)
	}
	f.clock.Add(DefaultIdentityExpiration + time.Second)
	f.svc.Sweep()
	if _, n := f.held(); n != 0 {
		t.Fatalf("%d identities left after the sweep", n)
	}
	if status, body := f.do("GET", "/auth/identities/"+late, nil); status != http.StatusNotFound || !strings.Contains(string(body), "not found") {
		t.Fatalf("swept: %d %s", status, body)
	}
}

func TestBadIdentitiesStoreNothing(t *testing.T) {
	f := start(t, Config{MaxIdentitiesPerIP: 1})
	w := newWallet(t, time.Now().Add(time.Hour))
	stranger := newWallet(t, time.Now().Add(time.Hour))
	wrongKey := w.identity()
	wrongKey["ephemeralIdentity"].(map[string]any)["privateKey"] = "0x" + strings.Repeat("11", 32)
	wrongAddress := w.identity()
	wrongAddress["ephemeralIdentity"].(map[string]any)["address"] = stranger.ephAddress()
	noExp := w.identity()
	delete(noExp, "expiration")
	for _, tc := range []struct {
		name   string
		signer *wallet
		body   any
		want   int
		text   string
	}{
		{"unsigned", nil, map[string]any{"identity": w.identity()}, 401, "signed"},
		{"signed by someone else", stranger, map[string]any{"identity": w.identity()}, 403, "does not match identity owner"},
		{"private key of another address", w, map[string]any{"identity": wrongKey}, 403, "private key"},
		{"ephemeral address not the chain's", w, map[string]any{"identity": wrongAddress}, 403, "final authority"},
		{"no expiration", w, map[string]any{"identity": noExp}, 400, "'expiration'"},
		{"extra member", w, map[string]any{"identity": w.identity(), "x": 1}, 400, "additional"},
		{"isMobile not a boolean", w, map[string]any{"identity": w.identity(), "isMobile": "yes"}, 400, "boolean"},
		{"too large", w, `{"identity":"` + strings.Repeat("i", MaxBodyBytes) + `"}`, 413, "too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var status int
			var body []byte
			if tc.signer == nil {
				status, body = f.do("POST", "/auth/identities", tc.body)
			} else {
				status, body = f.storeIdentity(tc.signer, tc.body)
			}
			if status != tc.want || !strings.Contains(string(body), tc.text) {
				t.Fatalf("%d %s, want %d ~%q", status, body, tc.want, tc.text)
			}
			if _, n := f.held(); n != 0 {
				t.Fatalf("%d identities stored", n)
			}
		})
	}
	f.stored(w, map[string]any{"identity": w.identity()})
	if status, _ := f.storeIdentity(w, map[string]any{"identity": w.identity()}); status != http.StatusTooManyRequests {
		t.Fatalf("past the per-address cap: %d", status)
	}
	if status, _ := f.do("GET", "/auth/identities/not-a-uuid", nil); status != http.StatusBadRequest {
		t.Fatalf("bad id: %d", status)
	}
	if status, _ := f.do("GET", "/auth/identities/2b1c7c5e-3f4a-4b7e-9a51-000000000000", nil); status != http.StatusNotFound {
		t.Fatalf("unknown id: %d", status)
	}
}

func TestIPsMatch(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"1.2.3.4", "1.2.3.4", true},
		{"::ffff:1.2.3.4", "1.2.3.9", true},
		{"1.2.3.4", "1.2.4.4", false},
		{"::1", "::1", true},
		{"2001:db8::1", "2001:db8::2", false},
		{"", "", false},
		{"unknown", "unknown", false},
	} {
		if got := ipsMatch(tc.a, tc.b); got != tc.want {
			t.Errorf("ipsMatch(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

// roundTrip is v as JSON decodes it (maps with sorted keys).
func roundTrip(v any) any {
	b, _ := json.Marshal(v)
	var out any
	json.Unmarshal(b, &out)
	return out
}
