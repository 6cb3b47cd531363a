package authchain

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// vectors is testdata/authchain-vectors.json, produced by the real
// @dcl/crypto (testdata/js/vectors.js): each case says whether
// Authenticator.validateSignature accepts the chain.
type vectors struct {
	Owner     string `json:"owner"`
	Ephemeral string `json:"ephemeral"`
	Cases     []struct {
		Name          string `json:"name"`
		AuthChain     Chain  `json:"authChain"`
		FinalPayload  string `json:"finalPayload"`
		ReferenceTime int64  `json:"referenceTime"`
		Valid         bool   `json:"valid"`
		Message       string `json:"message"`
	} `json:"cases"`
	SignedFetch struct {
		Method    string            `json:"method"`
		Path      string            `json:"path"`
		Timestamp int64             `json:"timestamp"`
		Metadata  string            `json:"metadata"`
		Headers   map[string]string `json:"headers"`
		Signer    string            `json:"signer"`
		Valid     bool              `json:"valid"`
	} `json:"signedFetch"`
}

func loadVectors(t testing.TB) vectors {
	raw, err := os.ReadFile("../../testdata/authchain-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestGoldenVectors(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Cases {
		t.Run(c.Name, func(t *testing.T) {
			signer, err := Verifier{}.Verify(context.Background(), c.AuthChain, c.FinalPayload, time.UnixMilli(c.ReferenceTime))
			if (err == nil) != c.Valid {
				t.Fatalf("Verify = %v, @dcl/crypto says valid=%v (%s)", err, c.Valid, c.Message)
			}
			if err == nil && signer != strings.ToLower(v.Owner) {
				t.Errorf("signer = %s, want %s", signer, strings.ToLower(v.Owner))
			}
		})
	}
}

func TestEIP1654(t *testing.T) {
	key, _ := crypto.GenerateKey()
	wallet := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	eph := crypto.PubkeyToAddress(key.PublicKey)
	exp := time.Now().Add(time.Hour)
	payload := EphemeralPayload(eph, exp)
	chain := Chain{
		{Type: Signer, Payload: wallet.Hex()},
		{Type: EIP1654Ephemeral, Payload: payload, Signature: "0x1234"},
		{Type: SignedEntity, Payload: "entity", Signature: Sign(key, "entity")},
	}
	if _, err := (Verifier{}).Verify(context.Background(), chain, "entity", time.Now()); err == nil || !strings.Contains(err.Error(), "--eth-rpc") {
		t.Fatalf("without an RPC: err = %v, want a clear rejection naming --eth-rpc", err)
	}
	fake := fakeContracts{wallet: wallet, msg: payload}
	signer, err := Verifier{Contracts: fake}.Verify(context.Background(), chain, "entity", time.Now())
	if err != nil || signer != strings.ToLower(wallet.Hex()) {
		t.Fatalf("with an RPC: signer %s, err %v", signer, err)
	}
	chain[1].Payload = EphemeralPayload(eph, exp.Add(time.Second))
	if _, err := (Verifier{Contracts: fake}).Verify(context.Background(), chain, "entity", time.Now()); err == nil {
		t.Fatal("a contract that refuses the signature must fail the chain")
	}
}

type fakeContracts struct {
	wallet common.Address
	msg    string
}

func (f fakeContracts) IsValidSignature(_ context.Context, w common.Address, msg string, _ []byte) (bool, error) {
	return w == f.wallet && msg == f.msg, nil
}

func TestSignRoundTrip(t *testing.T) {
	key, _ := crypto.GenerateKey()
	eph, _ := crypto.GenerateKey()
	owner := crypto.PubkeyToAddress(key.PublicKey)
	ephAddr := crypto.PubkeyToAddress(eph.PublicKey)
	p := EphemeralPayload(ephAddr, time.Now().Add(time.Minute))
	chain := Chain{
		{Type: Signer, Payload: owner.Hex()},
		{Type: Ephemeral, Payload: p, Signature: Sign(key, p)},
		{Type: SignedEntity, Payload: "x", Signature: Sign(eph, "x")},
	}
	if _, err := (Verifier{}).Verify(context.Background(), chain, "x", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := (Verifier{}).Verify(context.Background(), chain, "x", time.Now().Add(2*time.Minute)); err == nil {
		t.Fatal("expired ephemeral accepted")
	}
}

func BenchmarkVerifyEphemeralChain(b *testing.B) {
	v := loadVectors(b)
	c := v.Cases[1] // ephemeral chain
	at := time.UnixMilli(c.ReferenceTime)
	for b.Loop() {
		if _, err := (Verifier{}).Verify(context.Background(), c.AuthChain, c.FinalPayload, at); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzVerify(f *testing.F) {
	v := loadVectors(f)
	for _, c := range v.Cases {
		raw, _ := json.Marshal(c.AuthChain)
		f.Add(raw, c.FinalPayload)
	}
	f.Add([]byte(`[{"type":"SIGNER","payload":"0x0","signature":null}]`), "x")
	f.Fuzz(func(t *testing.T, raw []byte, payload string) {
		var chain Chain
		if json.Unmarshal(raw, &chain) != nil {
			return
		}
		_, _ = Verifier{}.Verify(context.Background(), chain, payload, time.UnixMilli(0))
	})
}

func TestSignedFetchVector(t *testing.T) {
	sf := loadVectors(t).SignedFetch
	if !sf.Valid {
		t.Fatal("the vector must be valid per @dcl/crypto")
	}
	h := http.Header{}
	for k, v := range sf.Headers {
		h.Set(k, v)
	}
	now := time.UnixMilli(sf.Timestamp + 1000)
	req, err := (Verifier{}).VerifyRequest(context.Background(), sf.Method, sf.Path, h, now)
	if err != nil {
		t.Fatal(err)
	}
	if req.Signer != strings.ToLower(sf.Signer) || !strings.Contains(string(req.Metadata), "comms-handshake") {
		t.Errorf("got %+v", req)
	}
	for name, mutate := range map[string]func(h http.Header) (string, string, time.Time){
		"other path":   func(http.Header) (string, string, time.Time) { return sf.Method, "/other", now },
		"other method": func(http.Header) (string, string, time.Time) { return "GET", sf.Path, now },
		"stale":        func(http.Header) (string, string, time.Time) { return sf.Method, sf.Path, now.Add(2 * time.Minute) },
		"metadata changed": func(h http.Header) (string, string, time.Time) {
			h.Set(HeaderMetadata, `{}`)
			return sf.Method, sf.Path, now
		},
		"no chain": func(h http.Header) (string, string, time.Time) {
			h.Del(HeaderChainPrefix + "0")
			return sf.Method, sf.Path, now
		},
		"bad timestamp": func(h http.Header) (string, string, time.Time) {
			h.Set(HeaderTimestamp, "soon")
			return sf.Method, sf.Path, now
		},
	} {
		t.Run(name, func(t *testing.T) {
			h2 := h.Clone()
			m, p, at := mutate(h2)
			if _, err := (Verifier{}).VerifyRequest(context.Background(), m, p, h2, at); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
