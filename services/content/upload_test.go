package content

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/sync/deploy"
)

func TestAuthChainForms(t *testing.T) {
	link := func(typ, payload, sig string) authchain.Link {
		return authchain.Link{Type: authchain.LinkType(typ), Payload: payload, Signature: sig}
	}
	want := authchain.Chain{link("SIGNER", "0xabc", ""), link("ECDSA_SIGNED_ENTITY", "bafy", "0x01")}
	raw, _ := json.Marshal(want)
	cases := []struct {
		name   string
		fields map[string]string
		err    string
	}{
		{"json field", map[string]string{"authChain": string(raw)}, ""},
		{"indexed fields", map[string]string{
			"authChain[0][type]": "SIGNER", "authChain[0][payload]": "0xabc", "authChain[0][signature]": "",
			"authChain[1][type]": "ECDSA_SIGNED_ENTITY", "authChain[1][payload]": "bafy", "authChain[1][signature]": "0x01",
		}, ""},
		{"legacy pair", map[string]string{"entityId": "bafy", "ethAddress": "0xabc", "signature": "0x01"}, ""},
		{"none", map[string]string{"entityId": "bafy"}, "No auth chain can be derivated"},
		{"json not array", map[string]string{"authChain": `{"a":1}`}, "Invalid auth chain"},
		{"gap", map[string]string{"authChain[0][type]": "SIGNER", "authChain[0][payload]": "0xabc", "authChain[2][type]": "X"}, "index 1"},
		{"too long", map[string]string{"authChain[10][type]": "X"}, "too long"},
		{"signer only", map[string]string{"authChain": `[{"type":"SIGNER","payload":"0xabc","signature":""}]`}, "Invalid auth chain"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			chain, err := authChainOf(tc.fields)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.msg, tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(chain) != fmt.Sprint(want) {
				t.Fatalf("chain = %v, want %v", chain, want)
			}
		})
	}
}

func newService(t testing.TB) *Service {
	s, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return New(Config{Store: s})
}

func TestTooManyFiles(t *testing.T) {
	svc := newService(t)
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("entityId", "x")
	for i := 0; i <= deploy.MaxFiles; i++ {
		fw, _ := w.CreateFormFile(fmt.Sprint(i), fmt.Sprint(i))
		fw.Write([]byte{byte(i)})
	}
	w.Close()
	r := httptest.NewRequest("POST", "/content/entities", &b)
	r.Header.Set("Content-Type", w.FormDataContentType())
	rec := httptest.NewRecorder()
	svc.postEntity(rec, r)
	if rec.Code != 413 || !strings.Contains(rec.Body.String(), "at most 3000 files") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

// FuzzUpload feeds arbitrary multipart bodies to the upload reader: it must
// answer with an error or a parsed upload, never panic or leak spool files.
func FuzzUpload(f *testing.F) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("entityId", "bafkrei")
	w.WriteField("authChain[0][type]", "SIGNER")
	fw, _ := w.CreateFormFile("bafkrei", "bafkrei")
	fw.Write([]byte(`{"type":"scene"}`))
	w.Close()
	f.Add(b.Bytes(), w.Boundary())
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--\r\n"), "b")
	f.Add([]byte("--b\r\n\r\n"), "b")
	svc := newService(f)
	f.Fuzz(func(t *testing.T, body []byte, boundary string) {
		if boundary == "" || len(boundary) > 70 {
			return
		}
		r := httptest.NewRequest("POST", "/content/entities", bytes.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary=\""+strings.ReplaceAll(boundary, `"`, "")+"\"")
		up, err := svc.readUpload(r)
		if up != nil {
			if err == nil {
				authChainOf(up.fields)
			}
			up.cleanup()
		}
	})
}

func FuzzAuthChainFields(f *testing.F) {
	f.Add("authChain[0][type]", "SIGNER", "authChain[1][payload]", "x")
	f.Add("authChain", `[{"type":"SIGNER","payload":"0x1"}]`, "ethAddress", "0x1")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		chain, err := authChainOf(map[string]string{k1: v1, k2: v2, "entityId": "e"})
		if err == nil && len(chain) > authchain.MaxLinks {
			t.Fatalf("accepted a chain of %d links", len(chain))
		}
	})
}
