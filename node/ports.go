package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/p2pcatalyst/catalyst/p2p/ports"
)

// portBook is DATA/ports.json: the addresses the node bound at its last
// start. A port given as 0 (or a taken one, with Config.FreePorts) is
// chosen once and then kept, so a restarted node keeps its multiaddrs and
// its peers' --bootstrap lines stay right.
type portBook struct {
	HTTP   string            `json:"http,omitempty"`
	P2P    map[string]string `json:"libp2p,omitempty"` // listen multiaddr → bound multiaddr
	RTCUDP int               `json:"rtcUdp,omitempty"`
}

func portBookPath(dataDir string) string { return filepath.Join(dataDir, "ports.json") }

// readPortBook reads the book; a missing or unreadable one is empty (the
// ports are then chosen afresh).
func readPortBook(dataDir string) portBook {
	var b portBook
	if raw, err := os.ReadFile(portBookPath(dataDir)); err == nil {
		json.Unmarshal(raw, &b)
	}
	return b
}

func (b portBook) write(dataDir string) error {
	raw, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	tmp := portBookPath(dataDir) + ".tmp"
	if err := os.WriteFile(tmp, append(raw, '\n'), 0o644); err != nil {
		return fmt.Errorf("remember ports: %w", err)
	}
	return os.Rename(tmp, portBookPath(dataDir))
}

// listenHTTP binds the HTTP address: the configured port; for port 0 the
// remembered one when free; when taken and anyIfTaken, the remembered
// then a free one.
func listenHTTP(addr, remembered string, anyIfTaken bool) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	_, rport, _ := net.SplitHostPort(remembered)
	candidates := ports.Candidates(host, port, rport, anyIfTaken)
	var last error
	for _, c := range candidates {
		ln, err := net.Listen("tcp", c)
		if err == nil {
			return ln, nil
		}
		if last = err; !ports.Taken(err) {
			break
		}
	}
	return nil, last
}

// ErrPortTaken marks a start that failed because a configured port is in
// use (errors.Is): the operator frees it, picks another, or allows a
// free one (Config.FreePorts).
var ErrPortTaken = errors.New("a port is taken")

// portTaken marks err with ErrPortTaken when it is one.
func portTaken(err error) error {
	if err != nil && ports.Taken(err) {
		return portTakenError{err}
	}
	return err
}

type portTakenError struct{ error }

func (e portTakenError) Is(target error) bool { return target == ErrPortTaken }
func (e portTakenError) Unwrap() error        { return e.error }

func httpPortOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// LocalURL is the URL to reach the node of a data dir from this machine:
// its HTTP port remembered from its last start, or def when it never
// started.
func LocalURL(dataDir, def string) string {
	b := readPortBook(dataDir)
	if b.HTTP == "" {
		return def
	}
	addr, err := net.ResolveTCPAddr("tcp", b.HTTP)
	if err != nil {
		return def
	}
	u, _ := localURL(addr)
	return u
}
