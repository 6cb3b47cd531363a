// Package ports chooses the ports a node listens on: the first of a list
// of candidates that can be bound, so the node can prefer the port it
// used before, fall back to a free one only when the operator allows it,
// and say clearly which port was taken. It binds each candidate for a
// moment only; the caller binds for real right after.
package ports

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"
)

// Choose returns the first candidate address (host:port) that network
// ("tcp", "udp", "tcp4", …) can bind, with a port 0 replaced by the port
// the system gave. It moves to the next candidate only when one is taken
// (errors.Is(err, syscall.EADDRINUSE)); any other error, or the last
// candidate's, is returned.
func Choose(network string, candidates ...string) (string, error) {
	if len(candidates) == 0 {
		return "", errors.New("ports: no candidate address")
	}
	var err error
	for _, c := range candidates {
		var addr net.Addr
		if addr, err = bind(network, c); err == nil {
			host, _, _ := net.SplitHostPort(c)
			return net.JoinHostPort(host, strconv.Itoa(port(addr))), nil
		}
		if !Taken(err) {
			break
		}
	}
	return "", err
}

// Taken reports whether err means the address was in use.
func Taken(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }

func bind(network, addr string) (net.Addr, error) {
	switch network {
	case "tcp", "tcp4", "tcp6":
		l, err := net.Listen(network, addr)
		if err != nil {
			return nil, err
		}
		defer l.Close()
		return l.Addr(), nil
	case "udp", "udp4", "udp6":
		c, err := net.ListenPacket(network, addr)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		return c.LocalAddr(), nil
	}
	return nil, fmt.Errorf("ports: network %q", network)
}

func port(a net.Addr) int {
	switch a := a.(type) {
	case *net.TCPAddr:
		return a.Port
	case *net.UDPAddr:
		return a.Port
	}
	return 0
}

// Candidates lists the addresses to try for a configured host:port, best
// first: the configured port; the port remembered from an earlier start
// ("" for none) when the configured one is 0, or taken and anyIfTaken;
// and a free port (0) when the configured one is 0 or anyIfTaken.
func Candidates(host, port, remembered string, anyIfTaken bool) []string {
	var out []string
	if port != "0" {
		out = append(out, net.JoinHostPort(host, port))
	}
	fallback := port == "0" || anyIfTaken
	if fallback && remembered != "" && remembered != "0" && remembered != port {
		out = append(out, net.JoinHostPort(host, remembered))
	}
	if fallback {
		out = append(out, net.JoinHostPort(host, "0"))
	}
	return out
}
