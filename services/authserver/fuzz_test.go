package authserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fuzzService is a service without a network: handlers are driven with
// httptest recorders.
func fuzzService(t testing.TB) (*Service, *http.ServeMux) {
	svc := New(Config{})
	mux := http.NewServeMux()
	svc.Routes(mux)
	return svc, mux
}

func serve(mux *http.ServeMux, method, path string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	return rec
}

// FuzzRequest sends POST /auth/requests bodies: a refusal is a 4xx and
// stores nothing; an acceptance stores one request that can be recovered
// with the method and params sent.
func FuzzRequest(f *testing.F) {
	w := newWallet(f, time.Now().Add(time.Hour))
	chain, _ := json.Marshal(w.login())
	for _, s := range []string{
		`{"method":"dcl_personal_sign","params":["Decentraland Login\nEphemeral address: 0x1"]}`,
		`{"method":"personal_sign","params":["hi","0x1"],"authChain":` + string(chain) + `}`,
		`{"method":"personal_sign","params":[],"authChain":[{"type":"SIGNER","payload":"0x1","signature":null}]}`,
		`{"method":"x","params":{}}`, `{"method":1}`, `[]`, `{"method":"dcl_personal_sign","params":[],"method":"x"}`,
		`{"method":"dcl_personal_sign","params":[1,2,3,4,5,6,7,8,9,10,11]}`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	svc, mux := fuzzService(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		before, _ := svc.st.counts()
		rec := serve(mux, "POST", "/auth/requests", body)
		after, _ := svc.st.counts()
		switch {
		case rec.Code == http.StatusCreated:
			if after != before+1 {
				t.Fatalf("created, but %d → %d requests", before, after)
			}
			var res struct{ RequestID string }
			json.Unmarshal(rec.Body.Bytes(), &res)
			msg, err := parseRequest(body)
			if err != nil {
				t.Fatalf("created from a body the parser refuses: %v", err)
			}
			got := serve(mux, "GET", "/auth/v2/requests/"+res.RequestID, nil)
			var view struct {
				Method string
				Params json.RawMessage
			}
			if json.Unmarshal(got.Body.Bytes(), &view) != nil || view.Method != msg.Method || !bytes.Equal(view.Params, msg.Params) {
				t.Fatalf("recovered %s for %q", got.Body, body)
			}
		case rec.Code >= 400 && rec.Code < 500:
			if after != before {
				t.Fatalf("refused with %d, but %d → %d requests", rec.Code, before, after)
			}
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		if after >= 30 { // under the per-address cap (every recorder request comes from one address)
			svc.st.sweep(time.Now().Add(time.Hour))
		}
	})
}

// FuzzOutcome posts outcome bodies to a pending request: a refusal leaves
// it pending; an acceptance is polled back once, as parsed.
func FuzzOutcome(f *testing.F) {
	for _, s := range []string{
		`{"sender":"0x1234567890123456789012345678901234567890","result":"0xsig"}`,
		`{"sender":"0x1234567890123456789012345678901234567890","result":null}`,
		`{"sender":"0x1234567890123456789012345678901234567890","error":{"code":4001,"message":"no","data":[1]}}`,
		`{"sender":"0x1234567890123456789012345678901234567890","error":{"code":1.5e3,"message":"m"},"requestId":"x"}`,
		`{"sender":"0x12","result":1}`, `{"sender":"0x1234567890123456789012345678901234567890"}`, `{"result":1}`, `nul`,
	} {
		f.Add([]byte(s))
	}
	svc, mux := fuzzService(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		res, _, err := svc.create(t.Context(), []byte(`{"method":"dcl_personal_sign","params":[]}`), "fuzz", "")
		if err != nil {
			t.Fatal(err)
		}
		id := res.RequestID
		rec := serve(mux, "POST", "/auth/v2/requests/"+id+"/outcome", body)
		poll := serve(mux, "GET", "/auth/requests/"+id, nil)
		switch {
		case rec.Code == http.StatusOK:
			msg, err := parseOutcome(body, false)
			if err != nil {
				t.Fatalf("accepted a body the parser refuses: %v", err)
			}
			msg.RequestID = id
			want, _ := json.Marshal(msg)
			if poll.Code != http.StatusOK || strings.TrimSpace(poll.Body.String()) != string(want) {
				t.Fatalf("polled %d %s, want %s", poll.Code, poll.Body, want)
			}
			if again := serve(mux, "GET", "/auth/requests/"+id, nil); again.Code != http.StatusGone {
				t.Fatalf("polled twice: %d", again.Code)
			}
			var v any
			if json.Unmarshal(want, &v) != nil {
				t.Fatalf("the outcome is not JSON: %s", want)
			}
		case rec.Code >= 400 && rec.Code < 500:
			if poll.Code != http.StatusNoContent {
				t.Fatalf("refused with %d, but the request polls %d", rec.Code, poll.Code)
			}
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		svc.st.mu.Lock()
		svc.st.dropLocked(id)
		svc.st.mu.Unlock()
	})
}

// FuzzSocketIOPacket feeds engine packets to a session: none panics, a
// decodable one encodes back to itself, and the session's answers are
// engine packets.
func FuzzSocketIOPacket(f *testing.F) {
	for _, s := range []string{
		"40/auth,", "40", `42/auth,1["request",{"method":"dcl_personal_sign","params":[]}]`, `420["recover",{"requestId":"x"}]`,
		`421["outcome",{"requestId":"x","sender":"0x1234567890123456789012345678901234567890","result":1}]`,
		`42["request-validation-status",{"requestId":"x"}]`, `42["unknown"]`, "41/auth,", "3", "6", "1", "2probe", "5",
		`451-["a",{"_placeholder":true,"num":0}]`, `42/auth,99999999999999999999["a"]`, "4", "",
	} {
		f.Add(s)
	}
	svc, _ := fuzzService(f)
	f.Fuzz(func(t *testing.T, pkt string) {
		if p, err := decodeSIO(strings.TrimPrefix(pkt, "4")); err == nil {
			re := encodeSIO(p.Type, p.Nsp, p.ID, p.Data)
			q, err := decodeSIO(re)
			if err != nil || q.Type != p.Type || q.Nsp != p.Nsp || q.ID != p.ID || !bytes.Equal(q.Data, p.Data) {
				t.Fatalf("%q re-encodes as %q, which decodes as %+v (%v)", pkt, re, q, err)
			}
		}
		ss, _ := svc.sio.admit("fuzz", nil)
		if ss == nil {
			t.Fatal("no session")
		}
		defer ss.close("done")
		ss.handlePacket("40/auth,")
		ss.handlePacket("40")
		ss.handlePacket(pkt)
		for {
			select {
			case out := <-ss.out:
				if out == "" || out[0] < '0' || out[0] > '6' {
					t.Fatalf("sent %q", out)
				}
				continue
			default:
			}
			break
		}
		svc.st.sweep(time.Now().Add(time.Hour))
	})
}
