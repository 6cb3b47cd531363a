package p2p

import (
	"fmt"
	"net"
	"strings"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/p2pcatalyst/catalyst/p2p/ports"
)

// socket is a listen multiaddr taken apart: /ip4/<ip>/tcp/<port> or
// /ip4/<ip>/udp/<port>/quic-v1 (and ip6).
type socket struct {
	network    string // tcp4, udp6, …
	ip, port   string
	head, tail string // the multiaddr before the port, and after it
}

func parseSocket(addr string) (socket, error) {
	m, err := ma.NewMultiaddr(addr)
	if err != nil {
		return socket{}, err
	}
	var s socket
	var head, tail []string
	family := ""
	ma.ForEach(m, func(c ma.Component) bool {
		part := "/" + c.Protocol().Name
		if c.Protocol().Size != 0 {
			part += "/" + c.Value()
		}
		switch code := c.Protocol().Code; {
		case code == ma.P_IP4 || code == ma.P_IP6:
			family, s.ip = map[int]string{ma.P_IP4: "4", ma.P_IP6: "6"}[code], c.Value()
		case (code == ma.P_TCP || code == ma.P_UDP) && s.network == "":
			s.network, s.port = c.Protocol().Name+family, c.Value()
			head = append(head, "/"+c.Protocol().Name)
			return true
		}
		if s.network == "" {
			head = append(head, part)
		} else {
			tail = append(tail, part)
		}
		return true
	})
	if s.ip == "" || s.network == "" || family == "" {
		return socket{}, fmt.Errorf("%s: want /ip4|ip6/<ip>/tcp/<port> or …/udp/<port>/quic-v1", addr)
	}
	s.head, s.tail = strings.Join(head, ""), strings.Join(tail, "")
	return s, nil
}

// CheckListen reports whether addr is an address Start can listen on.
func CheckListen(addr string) error {
	_, err := parseSocket(addr)
	return err
}

func (s socket) with(port string) string { return s.head + "/" + port + s.tail }

// resolveListen chooses the address to bind for every configured one: a
// configured port when it is free; for port 0, the port remembered from
// an earlier start, else a free one; for a taken configured port, the
// remembered then a free one only when anyIfTaken — otherwise an error
// that names the address.
func resolveListen(configured []string, book map[string]string, anyIfTaken bool) (map[string]string, error) {
	out := make(map[string]string, len(configured))
	for _, a := range configured {
		s, err := parseSocket(a)
		if err != nil {
			return nil, err
		}
		remembered := ""
		if prev, err := parseSocket(book[a]); err == nil && prev.network == s.network && prev.ip == s.ip {
			remembered = prev.port
		}
		hostports := ports.Candidates(s.ip, s.port, remembered, anyIfTaken)
		chosen, err := ports.Choose(s.network, hostports...)
		if err != nil {
			return nil, fmt.Errorf("p2p: cannot listen on %s: %w", a, err)
		}
		_, p, _ := net.SplitHostPort(chosen)
		out[a] = s.with(p)
	}
	return out, nil
}
