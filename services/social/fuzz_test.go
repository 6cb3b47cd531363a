package social

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// FuzzAuthFrame reaches the first frame's checks: the parser, then the
// signed-fetch verification; nothing authenticates but a real signature.
func FuzzAuthFrame(f *testing.F) {
	id := entitytest.NewIdentity()
	f.Add(authFrame(id, ""))
	f.Add(authFrame(id, `{"signer":"decentraland-kernel-scene"}`))
	f.Add([]byte(`{"x-identity-auth-chain-0":"{}","x-identity-timestamp":"1"}`))
	f.Add([]byte(`{"X-IDENTITY-AUTH-CHAIN-0":"[]","x-identity-timestamp":"nan","x-identity-metadata":"{"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"a":1}`))
	s := New(Config{})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseAuthFrame(b)
		if err != nil {
			return
		}
		if h.Get("X-Identity-Auth-Chain-0") == "" {
			t.Fatal("parsed a frame without a chain")
		}
		addr, err := s.verifyAuthFrame(context.Background(), b)
		if err != nil {
			return
		}
		// Only the chain's signer (seeds are made in another process when
		// fuzzing, with another identity).
		var signer struct {
			Payload string `json:"payload"`
		}
		json.Unmarshal([]byte(h.Get("X-Identity-Auth-Chain-0")), &signer)
		if addr != strings.ToLower(signer.Payload) {
			t.Fatalf("authenticated %q for a chain of %q", addr, signer.Payload)
		}
	})
}
