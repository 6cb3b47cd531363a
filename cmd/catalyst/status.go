package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/p2pcatalyst/catalyst/node"
	"github.com/p2pcatalyst/catalyst/services/dashboard"
)

const defaultNode = "http://127.0.0.1:6969"

// nodeFlags are --node and --data, shared by the commands that talk to a
// running node: without --node, the node of --data (its remembered HTTP
// port) is asked.
func nodeFlags(fs interface {
	String(name, value, usage string) *string
}) (nodeURL func() string, data *string) {
	u := fs.String("node", envOr("CATALYST_NODE", ""), "the node's URL (default: the node of --data, else "+defaultNode+") ($CATALYST_NODE)")
	data = fs.String("data", envOr("CATALYST_DATA", "./data"), "data directory, as for run ($CATALYST_DATA)")
	return func() string {
		if *u != "" {
			return strings.TrimSuffix(*u, "/")
		}
		return node.LocalURL(*data, defaultNode)
	}, data
}

// checkNodeURL is a usage error unless u is an http(s) URL with a host.
func checkNodeURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return usagef("--node %q: want a URL like %s", u, defaultNode)
	}
	return nil
}

// printable is text from a node made safe for a terminal: control
// characters (which start escape sequences) replaced by U+FFFD, and the
// text cut at max bytes.
func printable(s string, max int) string {
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return '\uFFFD'
		}
		return r
	}, s)
}

// status prints a running node's state.
func status(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("status", "[--node URL] [--json]", "Shows a running node's sync state, peers, entities, comms and disk use.", stdout, stderr, args)
	nodeURL, _ := nodeFlags(fs)
	asJSON := fs.Bool("json", false, "print the state as JSON (GET /dashboard/api/state)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	base := nodeURL()
	if err := checkNodeURL(base); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/dashboard/api/state", nil)
	if err != nil {
		return usagef("node URL %q: %v", base, err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("no node answers at %s (is it running? --node URL): %w", base, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s: %s", base, res.Status, printable(strings.TrimSpace(string(raw)), 2048))
	}
	if *asJSON {
		_, err := stdout.Write(raw)
		return err
	}
	var st dashboard.State
	if err := json.Unmarshal(raw, &st); err != nil {
		return fmt.Errorf("%s: not a catalyst state: %w", base, err)
	}
	var safe bytes.Buffer
	printStatus(&safe, base, st)
	_, err = io.WriteString(stdout, printable(safe.String(), 1<<20))
	return err
}

func printStatus(w io.Writer, base string, st dashboard.State) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	line := func(k, format string, a ...any) { fmt.Fprintf(tw, "%s\t%s\n", k, fmt.Sprintf(format, a...)) }
	up := time.Duration(st.Runtime.UptimeSeconds * float64(time.Second)).Round(time.Second)
	line("node", "%s  %s, up %s", base, st.Node.Version, up)
	line("peer id", "%s (network %s)", st.Node.PeerID, st.Node.Network)
	var health []string
	for _, k := range []string{"content", "lambdas", "comms", "p2p"} {
		mark := "ok"
		if !st.Health[k] {
			mark = "DOWN"
		}
		health = append(health, k+" "+mark)
	}
	line("health", "%s", strings.Join(health, ", "))
	sync := st.Sync.State
	if c := st.Sync.CatchUp; c.Running {
		eta := "unknown"
		if c.ETASeconds >= 0 {
			eta = (time.Duration(c.ETASeconds) * time.Second).String()
		}
		sync += fmt.Sprintf("; catching up %d of %d (%.0f/s, %s received, ETA %s)", c.Done, c.Total, c.PerSecond, size(c.ReceivedBytes), eta)
	}
	line("sync", "%s", sync)
	peers := fmt.Sprintf("%d", len(st.Peers))
	for i, p := range st.Peers {
		if i == 5 {
			peers += fmt.Sprintf(", … %d more", len(st.Peers)-5)
			break
		}
		peers += fmt.Sprintf("%s %s", map[bool]string{true: ": ", false: ", "}[i == 0], short(p.PeerID))
		if p.LatencyMs > 0 {
			peers += fmt.Sprintf(" %.1f ms", p.LatencyMs)
		}
	}
	line("peers", "%s", peers)
	var counts []string
	for _, t := range slices.Sorted(maps.Keys(st.Entities)) {
		c := st.Entities[t]
		counts = append(counts, fmt.Sprintf("%s %d (%d stored)", t, c.Active, c.Stored))
	}
	line("entities", "%s", cmp.Or(strings.Join(counts, ", "), "none"))
	perMinute := 0
	if n := len(st.Deployments.PerMinute); n > 0 {
		perMinute = st.Deployments.PerMinute[n-1]
	}
	line("deploys", "%d this minute", perMinute)
	line("comms", "%d users on %d islands, %d rooms", st.Comms.Users, len(st.Comms.Islands), len(st.Comms.Rooms))
	line("disk", "db %s, blobs %s (%s)", size(st.Runtime.Disk.DB), size(st.Runtime.Disk.Blobs), st.Node.DataDir)
	line("process", "heap %s, %d goroutines", size(int64(st.Runtime.HeapBytes)), st.Runtime.Goroutines)
	tw.Flush()
}

func short(id string) string {
	if len(id) <= 16 {
		return id
	}
	return id[:8] + "…" + id[len(id)-6:]
}

// size formats a number of bytes in binary units.
func size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
