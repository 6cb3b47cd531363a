package node

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// startNode runs a real node on a random loopback port.
func startNode(t testing.TB, mutate func(*Config)) (*Node, string) {
	t.Helper()
	cfg := testConfig(t)
	if mutate != nil {
		mutate(&cfg)
	}
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		n.Close(ctx)
	})
	return n, "http://" + n.Addr()
}

func repoRoot(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// TestInteropWithRealClient drives the node with dcl-catalyst-client and
// @dcl/crypto from npm (testdata/js; `bash .ci/test` installs them).
func TestInteropWithRealClient(t *testing.T) {
	if testing.Short() {
		t.Skip("needs node and testdata/js/node_modules")
	}
	js := filepath.Join(repoRoot(t), "testdata", "js")
	if _, err := os.Stat(filepath.Join(js, "node_modules", "dcl-catalyst-client")); err != nil {
		t.Fatalf("testdata/js/node_modules is missing: run `npm ci` there (bash .ci/test does): %v", err)
	}
	_, base := startNode(t, func(c *Config) { c.RateLimits = map[entity.Type]time.Duration{entity.Scene: time.Second} })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "interop.js", base+"/content")
	cmd.Dir = js
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("interop script failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "1 passed, 0 failed") {
		t.Fatalf("interop script output:\n%s", out)
	}
}

type client struct {
	t    testing.TB
	base string
}

func (c client) do(method, path string, body io.Reader, contentType string) (int, http.Header, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

func (c client) deploy(d *entitytest.Deployment) (int, map[string]any) {
	c.t.Helper()
	body, ct := d.Multipart()
	status, _, b := c.do("POST", "/content/entities", bytes.NewReader(body), ct)
	var m map[string]any
	json.Unmarshal(b, &m)
	return status, m
}

func (c client) json(method, path string, body any, into any) int {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	status, _, b := c.do(method, path, r, "application/json")
	if into != nil {
		if err := json.Unmarshal(b, into); err != nil {
			c.t.Fatalf("%s %s: %d %s: %v", method, path, status, b, err)
		}
	}
	return status
}

func TestEndToEnd(t *testing.T) {
	_, base := startNode(t, func(c *Config) { c.RateLimits = map[entity.Type]time.Duration{entity.Scene: 0} })
	c := client{t, base}
	alice := entitytest.NewIdentity()
	now := time.Now()

	large := bytes.Repeat([]byte("0123456789abcdef"), 200000) // 3.2 MB: a blob file
	files := map[string][]byte{"bin/index.js": []byte("main()"), "big.bin": large}
	first := entitytest.Scene(alice, now.Add(-time.Minute), []string{"20,20", "20,21"}, files)
	status, res := c.deploy(first)
	if status != 200 || res["creationTimestamp"] == nil {
		t.Fatalf("deploy: %d %v", status, res)
	}
	profile := entitytest.Profile(alice, now, "alice")
	if status, res := c.deploy(profile); status != 200 {
		t.Fatalf("deploy profile: %d %v", status, res)
	}

	// Read back: by pointers, by ids, the deprecated GET, contents.
	var active []entity.Entity
	c.json("POST", "/content/entities/active", map[string]any{"pointers": []string{"20,21", alice.Address}}, &active)
	if len(active) != 2 || active[0].ID != first.ID || active[1].ID != profile.ID {
		t.Fatalf("active by pointers = %+v", active)
	}
	c.json("POST", "/content/entities/active", map[string]any{"ids": []string{profile.ID}}, &active)
	if len(active) != 1 || active[0].Type != entity.Profile || active[0].Pointers[0] != alice.Address {
		t.Fatalf("active by ids = %+v", active)
	}
	c.json("GET", "/content/entities/scenes?pointer=20,20", nil, &active)
	if len(active) != 1 || active[0].ID != first.ID {
		t.Fatalf("GET /entities/scenes = %+v", active)
	}
	for h, want := range first.Files {
		status, hdr, got := c.do("GET", "/content/contents/"+h, nil, "")
		if status != 200 || !bytes.Equal(got, want) || hdr.Get("ETag") != `"`+h+`"` || !strings.Contains(hdr.Get("Cache-Control"), "immutable") {
			t.Fatalf("GET content %s: %d, %d bytes, %v", h, status, len(got), hdr)
		}
	}
	var bh string // the large file's hash
	for h, b := range first.Files {
		if len(b) == len(large) {
			bh = h
		}
	}
	req, _ := http.NewRequest("GET", base+"/content/contents/"+bh, nil)
	req.Header.Set("Range", "bytes=10-19")
	rr, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(rr.Body)
	rr.Body.Close()
	if rr.StatusCode != 206 || !bytes.Equal(part, large[10:20]) || rr.Header.Get("Content-Range") != fmt.Sprintf("bytes 10-19/%d", len(large)) {
		t.Fatalf("range: %d %q %v", rr.StatusCode, part, rr.Header)
	}
	req.Header.Del("Range")
	req.Header.Set("If-None-Match", `"`+bh+`"`)
	rr, _ = http.DefaultClient.Do(req)
	rr.Body.Close()
	if rr.StatusCode != 304 {
		t.Fatalf("If-None-Match: %d", rr.StatusCode)
	}
	if status, hdr, body := c.do("HEAD", "/content/contents/"+first.ID, nil, ""); status != 200 || len(body) != 0 || hdr.Get("Content-Type") != "application/json" || hdr.Get("Content-Length") != fmt.Sprint(len(first.File)) {
		t.Fatalf("HEAD entity file: %d %v", status, hdr)
	}
	var ids []string
	if c.json("GET", "/content/contents/"+bh+"/active-entities", nil, &ids); len(ids) != 1 || ids[0] != first.ID {
		t.Fatalf("active-entities = %v", ids)
	}
	var avail []map[string]any
	c.json("GET", "/content/available-content?cid="+bh+"&cid=bafkreinope", nil, &avail)
	if len(avail) != 2 || avail[0]["available"] != true || avail[1]["available"] != false {
		t.Fatalf("available-content = %v", avail)
	}

	// Overwrite one of the two parcels: the other is cleared.
	second := entitytest.Scene(alice, now, []string{"20,20"}, map[string][]byte{"bin/index.js": []byte("main()")})
	body, ct := second.Multipart()
	// The content is stored already: upload only the entity file, like the client.
	var only bytes.Buffer
	mw := multipartWithout(t, body, ct, &only, second.ID)
	if status, _, b := c.do("POST", "/content/entities", &only, mw); status != 200 {
		t.Fatalf("overwrite: %d %s", status, b)
	}
	c.json("POST", "/content/entities/active", map[string]any{"pointers": []string{"20,20", "20,21"}}, &active)
	if len(active) != 1 || active[0].ID != second.ID {
		t.Fatalf("after overwrite = %+v", active)
	}
	var auditInfo map[string]any
	if c.json("GET", "/content/audit/scene/"+first.ID, nil, &auditInfo); auditInfo["overwrittenBy"] != second.ID || auditInfo["localTimestamp"] == nil {
		t.Fatalf("audit = %v", auditInfo)
	}
	if status := c.json("GET", "/content/audit/profile/"+first.ID, nil, nil); status != 404 {
		t.Fatalf("audit with the wrong type: %d", status)
	}

	// History and changes.
	var deps struct {
		Deployments []map[string]any `json:"deployments"`
		Pagination  map[string]any   `json:"pagination"`
	}
	c.json("GET", "/content/deployments?limit=2", nil, &deps)
	if len(deps.Deployments) != 2 || deps.Deployments[0]["entityId"] != second.ID || deps.Pagination["moreData"] != true {
		t.Fatalf("deployments page 1 = %+v", deps)
	}
	next := deps.Pagination["next"].(string)
	c.json("GET", "/content/deployments"+next, nil, &deps)
	if len(deps.Deployments) != 1 || deps.Deployments[0]["entityId"] != first.ID || deps.Pagination["moreData"] != false {
		t.Fatalf("deployments page 2 (%s) = %+v", next, deps)
	}
	if content := deps.Deployments[0]["content"].([]any); content[0].(map[string]any)["key"] == nil {
		t.Fatalf("deployment content items use key: %v", content)
	}
	var changes struct {
		Deltas []map[string]any `json:"deltas"`
	}
	c.json("GET", "/content/pointer-changes?entityType=profile", nil, &changes)
	if len(changes.Deltas) != 1 || changes.Deltas[0]["entityId"] != profile.ID || changes.Deltas[0]["authChain"] == nil {
		t.Fatalf("pointer-changes = %+v", changes)
	}
	var st map[string]any
	if c.json("GET", "/content/status", nil, &st); st["synchronizationStatus"].(map[string]any)["synchronizationState"] != "Syncing" {
		t.Fatalf("status = %v", st)
	}
	var ab map[string]any
	if c.json("GET", "/about", nil, &ab); ab["content"].(map[string]any)["publicUrl"] != base+"/content/" || ab["comms"].(map[string]any)["adapter"] != "archipelago:archipelago:ws"+strings.TrimPrefix(base, "http")+"/archipelago/ws" {
		t.Fatalf("about = %v", ab)
	}
	var ch map[string]string
	if c.json("GET", "/content/challenge", nil, &ch); len(ch["challengeText"]) != 36 {
		t.Fatalf("challenge = %v", ch)
	}
	_, _, metrics := c.do("GET", "/metrics", nil, "")
	for _, m := range []string{`catalyst_deployments_total{origin="local",outcome="applied",type="scene"} 2`, "catalyst_store_bytes", "catalyst_deployment_duration_seconds_bucket"} {
		if !bytes.Contains(metrics, []byte(m)) {
			t.Errorf("metrics lack %s", m)
		}
	}
}

// multipartWithout re-encodes a deployment body keeping the fields and only
// the file part named keep.
func multipartWithout(t testing.TB, body []byte, ct string, out *bytes.Buffer, keep string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	if err := req.ParseMultipartForm(64 << 20); err != nil {
		t.Fatal(err)
	}
	w := newMultipart(out)
	for k, vs := range req.MultipartForm.Value {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for name, fhs := range req.MultipartForm.File {
		if name != keep {
			continue
		}
		f, _ := fhs[0].Open()
		b, _ := io.ReadAll(f)
		fw, _ := w.CreateFormFile(name, name)
		fw.Write(b)
	}
	w.Close()
	return w.FormDataContentType()
}
