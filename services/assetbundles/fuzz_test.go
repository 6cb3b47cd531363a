package assetbundles

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/p2pcatalyst/catalyst/store"
)

// fuzzService is a registry on a store of its own, without a bus.
func fuzzService(f *testing.F) http.Handler {
	st, err := store.Open(store.Options{Dir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	svc := New(Config{Store: st, AdminToken: func() string { return token }})
	mux := http.NewServeMux()
	svc.Routes(mux)
	return mux
}

func post(h http.Handler, path string, body []byte, auth bool) int {
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	if auth {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// FuzzReport: a converter's report is applied (an unknown entity: 404)
// or refused with a 400, never a failure.
func FuzzReport(f *testing.F) {
	h := fuzzService(f)
	for _, s := range []string{
		`{"type":"asset-bundle","subType":"converted","key":"k","timestamp":1,"metadata":{"entityId":"bafkreiaaaa","platform":"mac","statusCode":0,"isLods":false,"isWorld":false}}`,
		`{"type":"asset-bundle","subType":"manually-queued","key":"k","timestamp":1,"metadata":{"entityId":"Qm1","platform":"webgl","isLods":true}}`,
		`{"type":"asset-bundle","subType":"converted","key":"","timestamp":-1,"metadata":null}`,
		`{"type":"asset-bundle","subType":"converted","key":"k","timestamp":1.5,"metadata":{"entityId":"x","platform":"mac","statusCode":1e300}}`,
		`[]`, `null`, `{}`, `"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rep, err := ParseReport(body)
		code := post(h, Prefix+"/events", body, true)
		switch {
		case err != nil && code != 400 && code != 413:
			t.Fatalf("a refused report answered %d: %s", code, body)
		case err == nil && code != 200 && code != 404:
			t.Fatalf("an accepted report (%+v) answered %d", rep, code)
		}
	})
}

// FuzzPointers: /entities/active and /versions answer 200 or 400.
func FuzzPointers(f *testing.F) {
	h := fuzzService(f)
	for _, s := range []string{`{"pointers":["0,0","urn:decentraland:matic:collections-v2:0x1:0"]}`, `{"pointers":[]}`, `{"pointers":[1]}`,
		`{"pointers":["a/b"]}`, `{"pointers":"0,0"}`, `{}`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := ParsePointers(body)
		for _, path := range []string{"/entities/active", "/entities/versions"} {
			code := post(h, Prefix+path, body, false)
			if (err == nil) != (code == 200) || (err != nil && code != 400 && code != 413) {
				t.Fatalf("%s answered %d (parse: %v): %q", path, code, err, body)
			}
		}
	})
}

// FuzzIDs: the profile and registry bodies answer 200 or 400.
func FuzzIDs(f *testing.F) {
	h := fuzzService(f)
	for _, s := range []string{`{"ids":["0x1"]}`, `{"ids":[""]}`, `{"entityIds":["bafkreiaaaa"]}`, `{"entityIds":[]}`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if code := post(h, Prefix+"/profiles", body, false); code != 200 && code != 400 {
			t.Fatalf("/profiles answered %d: %q", code, body)
		}
		_, err := ParseEntityIDs(body)
		if code := post(h, Prefix+"/registry", body, true); (err == nil) != (code == 200) {
			t.Fatalf("/registry answered %d (parse: %v): %q", code, err, body)
		}
	})
}
