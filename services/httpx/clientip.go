package httpx

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ClientIP is the address a request came from, for per-client limits:
// the TCP peer (RemoteAddr, which TrustedProxies rewrites behind a
// configured proxy), an IPv4-mapped address as IPv4, and an IPv6 address
// as its /64 (one host holds a /64 as easily as one address).
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// TrustedProxies rewrites a request's RemoteAddr, when its TCP peer is
// one of proxies, to the client X-Forwarded-For names: the right-most
// address that is not itself a trusted proxy (a client may write any
// left part of the header). With no proxies it changes nothing.
func TrustedProxies(proxies []netip.Prefix, next http.Handler) http.Handler {
	if len(proxies) == 0 {
		return next
	}
	trusted := func(s string) bool {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return false
		}
		for _, p := range proxies {
			if p.Contains(a.Unmap()) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err == nil && trusted(host) {
			hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				hop := strings.TrimSpace(hops[i])
				if _, err := netip.ParseAddr(hop); err != nil {
					break
				}
				if !trusted(hop) {
					r2 := r.Clone(r.Context())
					r2.RemoteAddr = net.JoinHostPort(hop, "0")
					r = r2
					break
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
