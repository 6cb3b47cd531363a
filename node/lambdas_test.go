package node

import (
	"context"
	"encoding/json"
	"net/url"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entity"
	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// Lambdas as explorers reach them: URLs built from /about (the Unity
// rule for /explorer), doubled slashes, CORS, and profiles that follow
// deployments made through the pipeline.
func TestLambdasAsExplorersCallThem(t *testing.T) {
	_, base := startNode(t, func(cfg *Config) { cfg.RateLimits = map[entity.Type]time.Duration{entity.Profile: 0} })
	c := client{t, base}
	var about struct {
		Content struct{ PublicURL string } `json:"content"`
		Lambdas struct {
			PublicURL string `json:"publicUrl"`
			Healthy   bool   `json:"healthy"`
		} `json:"lambdas"`
	}
	c.json("GET", "/about", nil, &about)
	if about.Lambdas.PublicURL != base+"/lambdas/" || !about.Lambdas.Healthy {
		t.Fatalf("lambdas in /about: %+v", about.Lambdas)
	}

	alice := entitytest.NewIdentity()
	if status, body := c.deploy(entitytest.Profile(alice, time.Now().Add(-time.Minute), "first")); status != 200 {
		t.Fatalf("deploy: %d %v", status, body)
	}
	// The Bevy explorer joins publicUrl and "/profiles/…".
	lambdas := strings.TrimPrefix(about.Lambdas.PublicURL, base)
	status, _, raw := c.do("GET", lambdas+"/profiles/"+alice.Address, nil, "")
	if status != 200 || !strings.Contains(string(raw), `"first"`) {
		t.Fatalf("GET %s/profiles/…: %d %s", lambdas, status, raw)
	}
	if status, _, _ := c.do("POST", "/content//entities/active", strings.NewReader(`{"pointers":["`+alice.Address+`"]}`), "application/json"); status != 200 {
		t.Fatalf("doubled slash on content: %d", status)
	}

	// The Unity explorer drops the last segment of lambdas.publicUrl.
	u, _ := url.Parse(about.Lambdas.PublicURL)
	u.Path = path.Dir(strings.TrimSuffix(u.Path, "/")) + "explorer/" + alice.Address + "/wearables"
	status, h, raw := c.do("GET", strings.TrimPrefix(u.String(), base)+"?trimmed=true&includeAmount=true&orderBy=Date&direction=desc", nil, "")
	var page struct {
		Elements    []any `json:"elements"`
		TotalAmount *int  `json:"totalAmount"`
	}
	if status != 200 || json.Unmarshal(raw, &page) != nil || page.TotalAmount == nil || h.Get("Access-Control-Allow-Origin") == "" {
		t.Fatalf("%s: %d %s %v", u, status, raw, h)
	}

	// A newer profile through the pipeline replaces the rendered one.
	if status, body := c.deploy(entitytest.Profile(alice, time.Now(), "second")); status != 200 {
		t.Fatalf("deploy: %d %v", status, body)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, _, raw := c.do("GET", "/lambdas/profiles/"+alice.Address, nil, "")
		if strings.Contains(string(raw), `"second"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %s", raw)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// dcl-catalyst-client's catalyst client finds lambdas through /about and
// reads back what its content client deployed (testdata/js/lambdas.js).
func TestLambdasWithRealClient(t *testing.T) {
	if testing.Short() {
		t.Skip("needs node and testdata/js/node_modules")
	}
	_, base := startNode(t, nil)
	runScript(t, "lambdas.js", base)
}

// runScript runs a testdata/js script against a node and wants its
// "<name>: 1 passed, 0 failed".
func runScript(t *testing.T, script, base string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script, base)
	cmd.Dir = filepath.Join(repoRoot(t), "testdata", "js")
	out, err := cmd.CombinedOutput()
	if want := strings.TrimSuffix(script, ".js") + ": 1 passed, 0 failed"; err != nil || !strings.Contains(string(out), want) {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
}
