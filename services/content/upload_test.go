package content

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store"
	"github.com/p2pcatalyst/catalyst/store/authchain"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
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

func newService(t testing.TB, limits UploadLimits) (*Service, string) {
	dir := t.TempDir()
	s, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return New(Config{Store: s, Pipeline: deploy.New(deploy.Config{Store: s}), Uploads: limits}), filepath.Join(dir, "blobs", "tmp")
}

func TestTooManyFiles(t *testing.T) {
	svc, _ := newService(t, UploadLimits{})
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

// FuzzUpload feeds arbitrary multipart bodies to POST /entities, through
// the upload reader and the pipeline: it must answer with a status, never
// panic, and leave no spool file behind (files past the small memory
// budget of the test are spooled).
func FuzzUpload(f *testing.F) {
	id := entitytest.NewIdentity()
	scene := entitytest.Scene(id, time.Now(), []string{"1,1"}, map[string][]byte{"a.bin": bytes.Repeat([]byte("a"), 3000), "b.txt": []byte("b")})
	body, ct := scene.Multipart()
	_, params, _ := mime.ParseMediaType(ct)
	f.Add(body, params["boundary"])
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("entityId", "bafkrei")
	w.WriteField("authChain[0][type]", "SIGNER")
	fw, _ := w.CreateFormFile("bafkrei", "bafkrei")
	fw.Write([]byte(`{"type":"scene"}`))
	w.Close()
	f.Add(b.Bytes(), w.Boundary())
	f.Add(body[:len(body)/2], params["boundary"])
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--\r\n"), "b")
	f.Add([]byte("--b\r\n\r\n"), "b")
	limits := DefaultUploadLimits
	limits.Memory = 1024
	svc, spool := newService(f, limits)
	f.Fuzz(func(t *testing.T, body []byte, boundary string) {
		if boundary == "" || len(boundary) > 70 {
			return
		}
		r := httptest.NewRequest("POST", "/content/entities", bytes.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary=\""+strings.ReplaceAll(boundary, `"`, "")+"\"")
		rec := httptest.NewRecorder()
		svc.postEntity(rec, r)
		if rec.Code >= 500 {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		if left, _ := os.ReadDir(spool); len(left) != 0 {
			t.Fatalf("%d spool files left after a %d", len(left), rec.Code)
		}
	})
}

// A body that stops arriving is cut with 408 once it pauses past
// IdleRead, and one that trickles is cut once it falls behind MinRate;
// the upload's slot and spool files are freed.
func TestSlowBodies(t *testing.T) {
	limits := DefaultUploadLimits
	limits.IdleRead, limits.BodyGrace, limits.MinRate = 300*time.Millisecond, 300*time.Millisecond, 64<<10
	limits.Concurrent, limits.Wait = 1, 50*time.Millisecond
	svc, spool := newService(t, limits)
	srv := httptest.NewServer(http.HandlerFunc(svc.postEntity))
	defer srv.Close()
	for name, pace := range map[string]func(w io.Writer){
		"stalled": func(w io.Writer) { w.Write(make([]byte, 2<<20)); time.Sleep(5 * time.Second) },
		"trickling": func(w io.Writer) {
			for range 100 {
				w.Write(make([]byte, 1024))
				time.Sleep(50 * time.Millisecond)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			pr, pw := io.Pipe()
			mw := multipart.NewWriter(pw)
			go func() {
				fw, _ := mw.CreateFormFile("f", "f")
				pace(fw)
				pw.CloseWithError(mw.Close())
			}()
			start := time.Now()
			res, err := http.Post(srv.URL, mw.FormDataContentType(), pr)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			pr.Close()
			// The trickle would take 5 s, the stall as long: both are cut first.
			if res.StatusCode != http.StatusRequestTimeout || time.Since(start) > 4*time.Second {
				t.Fatalf("%d after %s: %s", res.StatusCode, time.Since(start), body)
			}
			if left, _ := os.ReadDir(spool); len(left) != 0 {
				t.Fatalf("%d spool files left", len(left))
			}
		})
	}
	// The slot was freed: an honest (if invalid) upload is read at once.
	res, err := http.Post(srv.URL, "multipart/form-data; boundary=x", strings.NewReader("--x--\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("after the slow bodies: %d", res.StatusCode)
	}
}

// Past Concurrent uploads, a request waits up to Wait and then gets 503
// with Retry-After.
func TestConcurrentUploadsBounded(t *testing.T) {
	limits := DefaultUploadLimits
	limits.Concurrent, limits.Wait = 1, 100*time.Millisecond
	svc, _ := newService(t, limits)
	srv := httptest.NewServer(http.HandlerFunc(svc.postEntity))
	defer srv.Close()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	held := make(chan struct{})
	go func() {
		fw, _ := mw.CreateFormFile("f", "f")
		fw.Write([]byte("x"))
		close(held)
		time.Sleep(time.Second)
		pw.CloseWithError(mw.Close())
	}()
	first := make(chan int, 1)
	go func() {
		res, err := http.Post(srv.URL, mw.FormDataContentType(), pr)
		if err != nil {
			first <- 0
			return
		}
		res.Body.Close()
		first <- res.StatusCode
	}()
	<-held
	for len(svc.uploads) == 0 { // until the first holds the slot
		time.Sleep(time.Millisecond)
	}
	res, err := http.Post(srv.URL, "multipart/form-data; boundary=x", strings.NewReader("--x--\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("second upload: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if code := <-first; code != http.StatusBadRequest {
		t.Fatalf("first upload: %d", code)
	}
	if svc.guard.Hits("uploads") == 0 {
		t.Fatal("the limit bit without a metric")
	}
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
