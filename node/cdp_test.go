package node

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// devtools drives a headless Chromium over the DevTools protocol: one
// page, its console errors and uncaught exceptions collected.
type devtools struct {
	t       *testing.T
	conn    *websocket.Conn
	session string

	mu      sync.Mutex
	nextID  int
	pending map[int]chan cdpMessage
	errors  []string
}

type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// openPage starts Chromium with a blank page, attaches to it and enables
// the domains whose events report errors; navigate loads a URL.
func openPage(t *testing.T, width, height int) *devtools {
	t.Helper()
	bin := chromium(t)
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile")
	logFile, _ := os.Create(filepath.Join(dir, "chromium.log"))
	cmd := exec.Command(bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
		"--no-default-browser-check", "--disable-background-networking", "--disable-extensions",
		"--hide-scrollbars", fmt.Sprintf("--window-size=%d,%d", width, height),
		"--user-data-dir="+profile, "--remote-debugging-port=0", "about:blank")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		logFile.Close()
	})
	var ws string
	for deadline := time.Now().Add(30 * time.Second); ws == ""; {
		if raw, err := os.ReadFile(filepath.Join(profile, "DevToolsActivePort")); err == nil {
			if lines := strings.Fields(string(raw)); len(lines) == 2 {
				ws = "ws://127.0.0.1:" + lines[0] + lines[1]
				break
			}
		}
		if time.Now().After(deadline) {
			raw, _ := os.ReadFile(logFile.Name())
			t.Fatalf("chromium did not open its DevTools port:\n%s", tail(string(raw), 2000))
		}
		time.Sleep(50 * time.Millisecond)
	}
	conn, _, err := websocket.DefaultDialer.Dial(ws, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := &devtools{t: t, conn: conn, pending: map[int]chan cdpMessage{}}
	go d.read()
	t.Cleanup(func() { conn.Close() })

	var targets struct {
		TargetInfos []struct {
			TargetID string `json:"targetId"`
			Type     string `json:"type"`
		} `json:"targetInfos"`
	}
	d.call("", "Target.getTargets", nil, &targets)
	for _, ti := range targets.TargetInfos {
		if ti.Type == "page" {
			var attached struct {
				SessionID string `json:"sessionId"`
			}
			d.call("", "Target.attachToTarget", map[string]any{"targetId": ti.TargetID, "flatten": true}, &attached)
			d.session = attached.SessionID
			break
		}
	}
	if d.session == "" {
		t.Fatal("chromium has no page")
	}
	for _, domain := range []string{"Runtime.enable", "Log.enable", "Page.enable"} {
		d.call(d.session, domain, nil, nil)
	}
	return d
}

func (d *devtools) read() {
	for {
		var m cdpMessage
		if err := d.conn.ReadJSON(&m); err != nil {
			return
		}
		d.mu.Lock()
		if ch, ok := d.pending[m.ID]; ok && m.ID != 0 {
			delete(d.pending, m.ID)
			ch <- m
		}
		switch m.Method {
		case "Runtime.exceptionThrown":
			d.errors = append(d.errors, "exception: "+string(m.Params))
		case "Runtime.consoleAPICalled":
			var p struct {
				Type string `json:"type"`
			}
			json.Unmarshal(m.Params, &p)
			if p.Type == "error" || p.Type == "assert" {
				d.errors = append(d.errors, "console: "+string(m.Params))
			}
		case "Log.entryAdded":
			var p struct {
				Entry struct {
					Level string `json:"level"`
				} `json:"entry"`
			}
			json.Unmarshal(m.Params, &p)
			if p.Entry.Level == "error" {
				d.errors = append(d.errors, "log: "+string(m.Params))
			}
		}
		d.mu.Unlock()
	}
}

// call sends a command and decodes its result into out (nil: ignored).
func (d *devtools) call(session, method string, params, out any) {
	d.t.Helper()
	d.mu.Lock()
	d.nextID++
	id := d.nextID
	ch := make(chan cdpMessage, 1)
	d.pending[id] = ch
	d.mu.Unlock()
	raw, _ := json.Marshal(params)
	if params == nil {
		raw = []byte("{}")
	}
	if err := d.conn.WriteJSON(cdpMessage{ID: id, Method: method, SessionID: session, Params: raw}); err != nil {
		d.t.Fatal(err)
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			d.t.Fatalf("%s: %s", method, m.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(m.Result, out); err != nil {
				d.t.Fatalf("%s: %v", method, err)
			}
		}
	case <-time.After(30 * time.Second):
		d.t.Fatalf("%s: no answer", method)
	}
}

func (d *devtools) navigate(url string) {
	d.call(d.session, "Page.navigate", map[string]any{"url": url}, nil)
}

// eval evaluates a JavaScript expression in the page and returns its
// value as a string.
func (d *devtools) eval(expr string) string {
	var r struct {
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
	}
	d.call(d.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &r)
	if r.Result.Value == nil {
		return ""
	}
	return fmt.Sprint(r.Result.Value)
}

// waitFor polls expr until it is "true", at most timeout.
func (d *devtools) waitFor(what, expr string, timeout time.Duration) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for d.eval(expr) != "true" {
		select {
		case <-ctx.Done():
			d.t.Fatalf("the page never showed %s (%s); its text:\n%s", what, expr, tail(d.eval("document.body.innerText"), 3000))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// screenshot saves the page as a PNG and returns its path.
func (d *devtools) screenshot(path string) string {
	var shot struct {
		Data string `json:"data"`
	}
	d.call(d.session, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true}, &shot)
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		d.t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		d.t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		d.t.Fatal(err)
	}
	return path
}

// pageErrors are the console errors and exceptions seen so far.
func (d *devtools) pageErrors() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.errors...)
}
