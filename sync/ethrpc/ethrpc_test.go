package ethrpc

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/p2pcatalyst/catalyst/store/authchain"
)

// rpcServer answers eth_call like a wallet contract that accepts exactly
// one (hash, signature) pair.
func rpcServer(t *testing.T, wallet common.Address, hash []byte, sig []byte) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	want := "0x" + hex.EncodeToString(mustPack(hash, sig))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID     json.RawMessage   `json:"id"`
			Method string            `json:"method"`
			Params []json.RawMessage `json:"params"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		resp := map[string]any{"jsonrpc": "2.0", "id": req.ID}
		switch req.Method {
		case "eth_call":
			calls.Add(1)
			var call struct {
				To    string `json:"to"`
				Input string `json:"input"`
				Data  string `json:"data"`
			}
			json.Unmarshal(req.Params[0], &call)
			input := call.Input + call.Data
			if strings.EqualFold(call.To, wallet.Hex()) && input == want {
				resp["result"] = "0x1626ba7e00000000000000000000000000000000000000000000000000000000"
			} else {
				resp["result"] = "0xffffffff00000000000000000000000000000000000000000000000000000000"
			}
		default:
			resp["error"] = map[string]any{"code": -32601, "message": "no such method"}
		}
		json.NewEncoder(w).Encode(resp)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func mustPack(hash, sig []byte) []byte {
	var d [32]byte
	copy(d[:], hash)
	b, err := validatorABI.Pack("isValidSignature", d, sig)
	if err != nil {
		panic(err)
	}
	return b
}

func TestContractWalletSignature(t *testing.T) {
	wallet := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	sig := []byte{1, 2, 3}
	msg := "Decentraland Login\nEphemeral address: 0x1\nExpiration: 2030-01-01T00:00:00.000Z"
	srv, calls := rpcServer(t, wallet, authchain.PersonalHash(msg), sig)
	ctx := context.Background()
	c, err := Dial(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ok, err := c.IsValidSignature(ctx, wallet, msg, sig)
	if err != nil || !ok {
		t.Fatalf("accepted signature: %v, %v", ok, err)
	}
	if calls.Load() != 2 {
		t.Fatalf("%d calls: keccak256 first, then the personal_sign hash", calls.Load())
	}
	if ok, err := c.IsValidSignature(ctx, wallet, msg, []byte{9}); err != nil || ok {
		t.Fatalf("wrong signature: %v, %v", ok, err)
	}
	// Through a whole chain.
	eph, _ := crypto.GenerateKey()
	payload := authchain.EphemeralPayload(crypto.PubkeyToAddress(eph.PublicKey), time.Now().Add(time.Hour))
	srv2, _ := rpcServer(t, wallet, crypto.Keccak256([]byte(payload)), sig)
	c2, _ := Dial(ctx, srv2.URL)
	defer c2.Close()
	chain := authchain.Chain{
		{Type: authchain.Signer, Payload: wallet.Hex()},
		{Type: authchain.EIP1654Ephemeral, Payload: payload, Signature: "0x010203"},
		{Type: authchain.SignedEntity, Payload: "entity", Signature: authchain.Sign(eph, "entity")},
	}
	signer, err := authchain.Verifier{Contracts: c2}.Verify(ctx, chain, "entity", time.Now())
	if err != nil || signer != strings.ToLower(wallet.Hex()) {
		t.Fatalf("chain: %s, %v", signer, err)
	}
}

func TestUnreachableRPCIsAnError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) }))
	defer srv.Close()
	c, err := Dial(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.IsValidSignature(context.Background(), common.Address{}, "m", []byte{1}); err == nil {
		t.Fatal("a failing RPC must be an error, not a refusal")
	}
}

// A revert is the contract's "no" for that hash form; any other JSON-RPC
// error (a rate limit, say) decides nothing and is an error.
func TestRevertIsNoOtherErrorsAreErrors(t *testing.T) {
	for _, tc := range []struct {
		code   int
		errors bool
	}{{3, false}, {-32015, false}, {-32005, true}, {-32000, true}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var req struct {
				ID json.RawMessage `json:"id"`
			}
			json.NewDecoder(r.Body).Decode(&req)
			json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": req.ID,
				"error": map[string]any{"code": tc.code, "message": "execution reverted", "data": "0x"}})
		}))
		c, err := Dial(context.Background(), srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		ok, err := c.IsValidSignature(context.Background(), common.Address{}, "m", []byte{1})
		if ok || (err != nil) != tc.errors {
			t.Fatalf("code %d: %v, %v", tc.code, ok, err)
		}
		c.Close()
		srv.Close()
	}
}
