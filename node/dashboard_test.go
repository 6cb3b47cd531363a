package node

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/p2pcatalyst/catalyst/store/entitytest"
)

// The dashboard in headless Chromium: it loads without a console error,
// shows the node's peer id, and follows a deployment made while it is
// open — in the latest deployments, the counts and the map. The
// screenshot is saved as an artifact (TEST_ARTIFACTS, default
// ./artifacts).
func TestDashboardInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	n, base := startNode(t, nil)
	c := client{t, base}
	id := entitytest.NewIdentity()
	first := entitytest.Scene(id, time.Now(), []string{"0,0", "1,0"}, map[string][]byte{"bin/index.js": []byte("a")})
	if status, body := c.deploy(first); status != 200 {
		t.Fatalf("deploy: %d %v", status, body)
	}

	page := openPage(t, 1440, 1600)
	page.navigate(base + "/dashboard/")
	page.waitFor("the peer id", `document.getElementById('peer-id').textContent === `+strconv.Quote(n.Host.ID().String()), 20*time.Second)
	page.waitFor("the live stream", `document.getElementById('live').className === 'live on'`, 10*time.Second)
	page.waitFor("the first scene", `document.getElementById('latest').innerText.includes(`+strconv.Quote(first.ID)+`)`, 10*time.Second)
	page.waitFor("the chain tile", `document.getElementById('t-chain').textContent === 'dev mode'`, 5*time.Second)

	second := entitytest.Scene(id, time.Now(), []string{"-3,4", "-3,5", "-2,4", "-2,5"}, map[string][]byte{"bin/index.js": []byte("b")})
	if status, body := c.deploy(second); status != 200 {
		t.Fatalf("deploy: %d %v", status, body)
	}
	page.waitFor("the deployment made while open", `document.getElementById('latest').innerText.includes(`+strconv.Quote(second.ID)+`)`, 5*time.Second)
	page.waitFor("two scenes counted", `document.getElementById('t-entities-by-type').textContent.includes('2 scenes')`, 5*time.Second)
	page.waitFor("both scenes on the map", `document.getElementById('map-caption').textContent.startsWith('2 scenes on 6 parcels')`, 35*time.Second)

	dir := os.Getenv("TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "artifacts")
	}
	t.Logf("screenshot: %s", page.screenshot(filepath.Join(dir, "dashboard.png")))
	if errs := page.pageErrors(); len(errs) > 0 {
		t.Fatalf("the page logged errors:\n%v", errs)
	}
}
